"""Work that lives only on branches never merged into the verified revision.

A grader verifies one revision (the hand-in); a group's work left on another branch is not in
it. For a tick nothing there supports, the files that would have counted (the catalog's
``files`` patterns) are looked up among the files each unmerged branch added or changed since
it left the verified line, so the output can name them ("on branch X, last commit ..."),
never count them. Branch names are read from git, then only their hashes are passed back.
"""

from __future__ import annotations

from pathlib import Path

from verifier.records import record
from verifier.repo.gitcmd import HASH, GitCommandError, git_log, run_git
from verifier.repo.history import matching_absent

MAX_BRANCHES = 20  # newest first; a repository with hundreds of branches is not walked


@record(frozen=True)
class BranchFile:
    """A file found only on another branch."""

    path: str
    branch: str
    commit: str  # the branch's last commit
    date: str  # its committer date, ISO 8601


def unmerged_branch_files(git_root: Path, rev: str = "HEAD") -> list[BranchFile]:
    """Files added or changed on branches whose last commit the verified revision lacks
    (``rev``: ``HEAD`` or a full commit hash).

    Two git commands whatever the number of branches: the unmerged branches, then one log of
    their commits the revision lacks, each commit attributed to the branch it was reached from.
    """
    if rev != "HEAD" and not HASH.match(rev):
        return []  # only HEAD or a resolved commit hash ever reaches git here
    head = rev
    try:
        refs = run_git(
            git_root,
            "for-each-ref",
            "--sort=-committerdate",
            f"--no-merged={head}",
            "--format=%(objectname)%09%(committerdate:iso-strict)%09%(refname:short)",
            "refs/heads",
            "refs/remotes",
        )
    except GitCommandError:
        return []
    branches: dict[str, tuple[str, str]] = {}  # last commit -> (branch, date)
    for row in refs.splitlines():
        commit, date, name = (row.split("\t") + ["", "", ""])[:3]
        if HASH.match(commit) and commit != head and commit not in branches and not name.endswith("/HEAD"):
            branches[commit] = (name, date)
        if len(branches) >= MAX_BRANCHES:
            break
    if not branches:
        return []
    try:
        log = git_log(
            git_root,
            "--source",
            "--no-renames",
            "--diff-filter=AM",
            "--name-only",
            "--format=@%S",
            *branches,
            "--not",
            head,
            "--",
        )
    except GitCommandError:
        return []
    out: list[BranchFile] = []
    source = None
    for line in log.splitlines():
        if line.startswith("@"):
            source = line[1:].strip()
        elif line.strip() and source in branches:
            name, date = branches[source]
            out.append(BranchFile(line.strip(), name, source, date))
    return out


def branch_evidence(
    files: list[BranchFile], patterns: tuple[str, ...], present: set[str], limit: int = 3
) -> list[BranchFile]:
    """Branch files matching a pattern (base name or path) that the verified tree lacks."""
    return matching_absent(files, patterns, present, limit)
