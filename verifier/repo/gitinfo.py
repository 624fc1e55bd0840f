"""Facts from the git history: commits, authors, remotes. Read through gitpython."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from verifier.repo.listing import SAFE_GIT_OPTIONS


@dataclass(frozen=True)
class GitInfo:
    head: str | None  # commit sha, None for a repository without commits
    head_date: str | None  # ISO 8601, committer date
    commits: int
    authors: tuple[str, ...]  # distinct author e-mails (or names when e-mails are missing)
    author_names: tuple[str, ...]
    remotes: dict[str, str] = field(default_factory=dict)  # name -> url
    branch: str | None = None


def read_git_info(git_root: Path, rev: str = "HEAD") -> GitInfo:
    import git

    repo = git.Repo(git_root)
    try:
        remotes = {}
        for remote in repo.remotes:
            try:
                remotes[remote.name] = next(iter(remote.urls))
            except Exception:
                continue
        try:
            branch = repo.active_branch.name
        except Exception:
            branch = None
        if not repo.head.is_valid():
            return GitInfo(None, None, 0, (), (), remotes, branch)
        head = repo.commit(rev)
        out = repo.git.execute(
            ["git", *SAFE_GIT_OPTIONS, "log", "--format=%ae%x09%an", head.hexsha],
        )
        emails: dict[str, None] = {}
        names: dict[str, None] = {}
        count = 0
        for row in out.splitlines():
            email, _, name = row.partition("\t")
            count += 1
            key = email.strip().lower() or name.strip()
            emails.setdefault(key, None)
            names.setdefault(name.strip(), None)
        return GitInfo(
            head=head.hexsha,
            head_date=head.committed_datetime.isoformat(),
            commits=count,
            authors=tuple(emails),
            author_names=tuple(names),
            remotes=remotes,
            branch=branch,
        )
    finally:
        repo.close()
