"""The work tree's differences from the last commit, found without ``git status``."""

from __future__ import annotations

import os
import subprocess

import pytest

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


def test_the_one_pass_index_reading_agrees_with_the_line_by_line_one(make_repo):
    """Entries read in one pass are those read line by line: paths with a newline or what
    looks like another entry inside, a merge conflict's stages; anything not in the usual
    layout falls back to the line-by-line reading."""
    from pathlib import Path

    from verifier.repo.gitcmd import run_git
    from verifier.repo.worktree_status import _index, _index_entries, _index_records

    sha = "0" * 40
    root = make_repo(
        {
            "plain.txt": "a\n",
            "two\nlines.txt": "b\n",
            f"x\n100644 {sha} 0\tfake.txt": "c\n",
            "conflict.txt": "base\n",
        }
    )
    git(root, "checkout", "-q", "-b", "other")
    (root / "conflict.txt").write_text("other\n")
    git(root, "commit", "-qam", "other")
    git(root, "checkout", "-q", "-")
    (root / "conflict.txt").write_text("mine\n")
    git(root, "commit", "-qam", "mine")
    with pytest.raises(subprocess.CalledProcessError):
        git(root, "merge", "-q", "other")  # stops at the conflict
    out = run_git(Path(root), "ls-files", "-z", "--stage", "--debug")
    fast = _index_records(out)
    assert fast is not None and fast == _index_entries(out)
    assert fast["conflict.txt"].stage != "0" and "two\nlines.txt" in fast
    assert "fake.txt" not in fast and f"x\n100644 {sha} 0\tfake.txt" in fast
    assert all(e.mtime_ns and e.size is not None for e in fast.values() if e.stage == "0")
    odd = out.replace("  uid:", "  uidx:", 1)  # a layout the one pass does not know
    assert _index_records(odd) is None
    assert _index(Path(root)) == fast
