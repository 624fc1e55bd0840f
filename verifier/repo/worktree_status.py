"""Which files of a work tree differ from its last commit: evidence a grader's clone will not have.

One read-only ``git status`` (through the same guarded runner as every other git query).
Paths are returned relative to the view's root, which may be a subfolder of the work tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from verifier.repo.gitcmd import GitCommandError, run_git

CHANGED = "changed since the last commit"
ADDED = "added but not committed"
UNTRACKED = "untracked"


@dataclass
class WorktreeStatus:
    """Files changed or added in the work tree but not committed."""

    uncommitted: dict[str, str] = field(default_factory=dict)  # path -> CHANGED | ADDED
    untracked: list[str] = field(default_factory=list)  # not read: the listing is tracked files


def worktree_status(git_root: Path, view_root: Path) -> WorktreeStatus:
    """The work tree's differences from HEAD, for the files under ``view_root``."""
    try:
        out = run_git(git_root, "status", "--porcelain=v1", "-z", "--untracked-files=normal")
    except GitCommandError:
        return WorktreeStatus()
    prefix = os.path.relpath(view_root.resolve(), git_root.resolve()).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    status = WorktreeStatus()
    entries = out.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            index += 1  # the next entry is the path it was renamed or copied from
        if not path.startswith(prefix):
            continue
        path = path[len(prefix) :]
        if code == "??":
            status.untracked.append(path)
        elif "D" in code:
            continue  # a file deleted from the work tree gives no evidence
        elif code[0] in "AC" or code[0] == "R":
            status.uncommitted[path] = ADDED
        else:
            status.uncommitted[path] = CHANGED
    return status
