"""Evidence that existed in the history but was removed before the verified commit.

A grader may credit an attempt: for a tick nothing supports, the files that would have counted
(the catalog's ``files`` patterns) are looked up among the files deleted in the history up to
the verified commit, with the last commit that had each and the commit that removed it.
One ``git log`` over the history serves every item.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path

from verifier.records import record
from verifier.repo.gitcmd import GitCommandError, git_log


@record(frozen=True)
class Removal:
    """A file removed from the repository, and the commit that removed it."""

    path: str
    removed_in: str  # commit sha
    removed_on: str  # committer date, ISO 8601
    last_with: str  # the parent commit, which still had the file


def deleted_files(git_root: Path, rev: str = "HEAD") -> list[Removal]:
    """Files deleted in the history up to ``rev``, newest deletion first (renames excluded)."""
    try:
        out = git_log(
            git_root,
            "--diff-filter=D",
            "--no-renames",
            "--name-only",
            "--format=@%H%x09%P%x09%cI",
            rev,
            "--",
        )
    except GitCommandError:
        return []
    removals: list[Removal] = []
    commit = parent = date = ""
    for line in out.splitlines():
        if line.startswith("@"):
            commit, parents, date = (line[1:].split("\t") + ["", "", ""])[:3]
            parent = parents.split(" ")[0] if parents else ""
        elif line.strip():
            removals.append(Removal(line.strip(), commit, date, parent))
    return removals


TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    class _HasPath(Protocol):
        @property
        def path(self) -> str: ...

    E = TypeVar("E", bound=_HasPath)


def matching_absent(
    entries: Iterable[E], patterns: tuple[str, ...], present: set[str], limit: int = 3
) -> list[E]:
    """Entries (anything with a ``path``) whose path matches a pattern (base name, or the whole
    path where the pattern has a folder) and is not in the verified tree; at most ``limit``."""
    out: list[E] = []
    seen: set[str] = set()
    for entry in entries:
        name = entry.path.rsplit("/", 1)[-1]
        if entry.path in present or entry.path in seen:
            continue
        if any(fnmatch.fnmatchcase(name if "/" not in p else entry.path, p) for p in patterns):
            seen.add(entry.path)
            out.append(entry)
            if len(out) >= limit:
                break
    return out


def removed_evidence(
    removals: list[Removal], patterns: tuple[str, ...], present: set[str], limit: int = 3
) -> list[Removal]:
    """Removals whose path matches a pattern (base name or path) and is not back in the tree."""
    return matching_absent(removals, patterns, present, limit)
