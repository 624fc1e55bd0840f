"""The work tree's differences from the last commit, found without ``git status``."""

from __future__ import annotations

import os

from tests.conftest import git
from verifier.repo.worktree_status import ADDED, CHANGED, worktree_status


def test_differences_are_found_from_blob_hashes(make_repo):
    root = make_repo({"a.txt": "same\n", "b.txt": "old\n", "gone.txt": "x\n", "sub/c.txt": "c\n"})
    later = (root / "a.txt").stat().st_mtime + 5
    os.utime(root / "a.txt", (later, later))  # touched, same bytes: not a difference
    (root / "b.txt").write_text("new\n")  # same size, other bytes
    os.utime(root / "b.txt", (later, later))
    (root / "gone.txt").unlink()  # a deleted file gives no evidence
    (root / "staged.txt").write_text("s\n")
    git(root, "add", "staged.txt")
    (root / "sub" / "c.txt").write_text("changed and staged\n")
    git(root, "add", "sub/c.txt")
    (root / "loose").mkdir()
    (root / "loose" / "n.txt").write_text("n\n")
    (root / "note.txt").write_text("n\n")
    status = worktree_status(root, root)
    assert status.uncommitted == {"b.txt": CHANGED, "staged.txt": ADDED, "sub/c.txt": CHANGED}
    assert sorted(status.untracked) == ["loose/", "note.txt"]
    sub = worktree_status(root, root / "sub")
    assert sub.uncommitted == {"c.txt": CHANGED} and sub.untracked == []


def test_a_tracked_path_turned_into_a_symlink_out_is_not_read(make_repo, tmp_path):
    root = make_repo({"a.txt": "same\n"})
    outside = tmp_path / "outside.txt"
    outside.write_text("secret\n")
    (root / "a.txt").unlink()
    (root / "a.txt").symlink_to(outside)
    assert worktree_status(root, root).uncommitted == {}
