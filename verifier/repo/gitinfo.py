"""Facts from the git history: commits, authors, remotes (read-only git queries)."""

from __future__ import annotations

import re
from pathlib import Path

from verifier.compiled import regex
from verifier.records import field, record
from verifier.repo.authors import distinct_authors
from verifier.repo.gitcmd import GitCommandError, git_log, run_git
from verifier.safe_text import without_credentials


@record(frozen=True)
class GitInfo:
    """Facts of the repository's git history (head, commits, authors, remotes)."""

    head: str | None  # commit sha, None for a repository without commits
    head_date: str | None  # ISO 8601, committer date
    commits: int
    authors: tuple[str, ...]  # one name per distinct person (.mailmap, noreply folded, no bots)
    author_names: tuple[str, ...]  # every author name as written (after .mailmap)
    remotes: dict[str, str] = field(default_factory=dict)  # name -> url, credentials removed
    branch: str | None = None


# a GitHub remote's owner and repository name, from an https or ssh URL
GITHUB_REMOTE = regex(r"github\.com[:/]{1,3}([^/\s]{1,100})/([^/\s]{1,100}?)(?:\.git)?/?$", re.I)


def read_git_info(git_root: Path, rev: str = "HEAD") -> GitInfo:
    remotes: dict[str, str] = {}
    try:
        for line in run_git(git_root, "config", "--get-regexp", r"^remote\..*\.url$").splitlines():
            key, _, url = line.partition(" ")
            remotes.setdefault(key[len("remote.") : -len(".url")], without_credentials(url.strip()))
    except GitCommandError:
        pass  # no remotes
    try:
        branch = run_git(git_root, "symbolic-ref", "--short", "-q", "HEAD").strip() or None
    except GitCommandError:
        branch = None
    try:
        # %aE/%aN: the author mapped through the repository's .mailmap (read by git as data)
        out = git_log(git_root, "--format=%H%x09%cI%x09%aE%x09%aN", rev, "--")
    except GitCommandError:
        return GitInfo(None, None, 0, (), (), remotes, branch)  # no commits yet
    names: dict[str, None] = {}
    rows = [(row.split("\t") + ["", "", "", ""])[:4] for row in out.splitlines() if row]
    for _sha, _date, _email, name in rows:
        names.setdefault(name.strip(), None)
    if not rows:
        return GitInfo(None, None, 0, (), (), remotes, branch)
    return GitInfo(
        head=rows[0][0],
        head_date=rows[0][1],
        commits=len(rows),
        authors=tuple(distinct_authors([(name, email) for _sha, _date, email, name in rows])),
        author_names=tuple(names),
        remotes=remotes,
        branch=branch,
    )
