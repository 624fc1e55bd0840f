"""Which files of a work tree differ from its last commit: evidence a grader's clone will not have.

No ``git status`` (nor ``diff``): comparing the work tree through git runs the clean and process
filters that ``.gitattributes`` names and the repository's configuration defines, under names
no override can list. Instead three listings that never run a filter (the index with its stat
data, the last commit's tree, the untracked files) and, for a tracked file whose size or
modification time differs from what the index recorded, its git blob hash computed here from
the bytes read through the same confined reader as every other read (no symlink out of the
repository followed, no named pipe opened). A file whose content git would convert on its way
into the index (a filter, line-ending conversion) and whose stat data changed is reported as
changed when its raw bytes differ from the committed blob.

Paths are returned relative to the view's root, which may be a subfolder of the work tree.
"""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from verifier.compiled import regex
from verifier.digest import sha1
from verifier.lazy_re import lazy
from verifier.records import field, record
from verifier.repo.confined import RefusedPath, inside, read_regular, real_root
from verifier.repo.gitcmd import GitCommandError, run_git

CHANGED = "changed since the last commit"
ADDED = "added but not committed"
UNTRACKED = "untracked"
HASHED_AT_MOST = 256 << 20  # a larger file whose stat data changed is taken as changed unread
SYMLINK, GITLINK = "120000", "160000"
ENTRY = lazy(r"(?:\A|\n)([0-7]{6}) ([0-9a-f]{40}(?:[0-9a-f]{24})?) ([0-3])\t")
# one entry of `ls-files -z --stage --debug` as git writes it: the entry, its path, then the
# five lines of stat data (ctime, mtime, dev/ino, uid/gid, size/flags)
RECORD = regex(
    r"([0-7]{6}) ([0-9a-f]{40}(?:[0-9a-f]{24})?) ([0-3])\t([^\0]+)\0"
    r"  ctime: [^\n]*\n  mtime: (\d+):(\d+)\n  dev: [^\n]*\n  uid: [^\n]*\n  size: (\d+)\t[^\n]*\n"
)


@record
class WorktreeStatus:
    """Files changed or added in the work tree but not committed."""

    uncommitted: dict[str, str] = field(default_factory=dict)  # path -> CHANGED | ADDED
    untracked: list[str] = field(default_factory=list)  # not read: the listing is tracked files


# one entry of the index, with the stat data git recorded for it (a named tuple: one is made per
# tracked file)
IndexEntry = namedtuple("IndexEntry", "mode blob stage mtime_ns size")


def worktree_status(git_root: Path, view_root: Path) -> WorktreeStatus:
    """The work tree's differences from HEAD, for the files under ``view_root``."""
    try:
        index = _index(git_root)
        head = _head_tree(git_root)
        others = run_git(
            git_root,
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--directory",
            "--no-empty-directory",
        )
    except GitCommandError:
        return WorktreeStatus()
    prefix = os.path.relpath(view_root.resolve(), git_root.resolve()).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    status = WorktreeStatus()
    root_real = real_root(git_root)
    index_written = _mtime_ns(git_root / run_git(git_root, "rev-parse", "--git-path", "index").strip())
    folders: dict[str, str] = {}
    for path, entry in index.items():
        if not path.startswith(prefix) or entry.mode == GITLINK:
            continue
        state = _compare(root_real, path, entry, head.get(path), index_written, folders)
        if state is not None:
            status.uncommitted[path[len(prefix) :]] = state
    status.untracked = [p[len(prefix) :] for p in others.split("\0") if p and p.startswith(prefix)]
    return status


def _compare(
    root_real: str,
    path: str,
    entry: IndexEntry,
    committed: tuple[str, str] | None,
    index_written: int | None,
    folders: dict[str, str],
) -> str | None:
    """CHANGED, ADDED or None (same as committed, or deleted: a missing file gives no evidence)."""
    try:
        on_disk = _worktree_blob(root_real, path, entry, index_written, folders)
    except FileNotFoundError:
        return None
    except (RefusedPath, OSError):
        return None  # not read by the view either
    if committed is None:
        return ADDED
    if entry.stage != "0" or (entry.mode, entry.blob) != committed:
        return CHANGED
    return None if on_disk == entry.blob else CHANGED


def _worktree_blob(
    root_real: str, path: str, entry: IndexEntry, index_written: int | None, folders: dict[str, str]
) -> str | None:
    """The blob hash of the work tree's file (the index's when its stat data shows no change;
    None when it differs without being read: a changed size, or too large to hash)."""
    full = os.path.join(root_real, path)
    info = os.lstat(full)
    if entry.mode == SYMLINK:
        return _blob_hash(os.fsencode(os.readlink(full))) if os.path.islink(full) else None
    untouched = (
        entry.size == info.st_size
        and entry.mtime_ns == info.st_mtime_ns
        and index_written is not None
        and info.st_mtime_ns < index_written  # a file written as the index was is "racy": hash it
    )
    if untouched:
        return entry.blob
    if entry.size is not None and entry.size != info.st_size:
        inside(root_real, path, folders)  # refused (not counted) when it leads out
        return None
    if info.st_size > HASHED_AT_MOST:
        return None
    data = read_regular(inside(root_real, path, folders), HASHED_AT_MOST + 1)
    return _blob_hash(data)


def _blob_hash(data: bytes) -> str:
    return sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _mtime_ns(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _index(git_root: Path) -> dict[str, IndexEntry]:
    """Path -> index entry, with the stat data git recorded (``ls-files --debug``); no filter runs."""
    out = run_git(git_root, "ls-files", "-z", "--stage", "--debug")
    return _index_records(out) or _index_entries(out)


def _index_records(out: str) -> dict[str, IndexEntry] | None:
    """The entries read in one pass of :data:`RECORD` when every one of them has the usual
    layout, back to back to the end; None when anything else is there (then
    :func:`_index_entries` reads it line by line)."""
    entries: dict[str, IndexEntry] = {}
    at = 0
    for found in RECORD.finditer(out):
        if found.start() != at:
            return None
        at = found.end()
        mode, blob, stage, path, seconds, nanos, size = found.groups()
        previous = entries.get(path)
        if previous is not None and previous.stage != "0":
            stage = previous.stage  # an unmerged path keeps its conflict mark
        entries[path] = IndexEntry(mode, blob, stage, int(seconds) * 1_000_000_000 + int(nanos), int(size))
    return entries if at == len(out) else None


def _index_entries(out: str) -> dict[str, IndexEntry]:
    entries: dict[str, IndexEntry] = {}
    chunks = out.split("\0")
    for position, chunk in enumerate(chunks):
        found = ENTRY.search(chunk)  # after the previous entry's debug lines (which are indented)
        if found is None or not chunk[found.end() :]:
            continue
        mode, blob, stage, path = *found.groups(), chunk[found.end() :]
        debug = chunks[position + 1] if position + 1 < len(chunks) else ""
        mtime_ns, size = _stat_data(debug)
        previous = entries.get(path)
        if previous is not None and previous.stage != "0":
            stage = previous.stage  # an unmerged path keeps its conflict mark
        entries[path] = IndexEntry(mode, blob, stage, mtime_ns, size)
    return entries


def _stat_data(debug: str) -> tuple[int | None, int | None]:
    """(mtime in ns, size) from the ``--debug`` lines that follow an entry."""
    mtime_ns = size = None
    for line in debug.split("\n"):
        line = line.strip()
        if line.startswith("mtime:"):
            seconds, _, nanos = line[6:].strip().partition(":")
            if seconds.isdigit() and nanos.isdigit():
                mtime_ns = int(seconds) * 1_000_000_000 + int(nanos)
        elif line.startswith("size:"):
            value = line[5:].split()[0] if line[5:].split() else ""
            size = int(value) if value.isdigit() else None
    return mtime_ns, size


def _head_tree(git_root: Path) -> dict[str, tuple[str, str]]:
    """Path -> (mode, blob) of the last commit; empty before the first commit."""
    try:
        head = run_git(git_root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip()
    except GitCommandError:
        return {}
    if not head:
        return {}
    out = run_git(git_root, "ls-tree", "-r", "-z", "--full-tree", head)
    tree: dict[str, tuple[str, str]] = {}
    for line in out.split("\0"):
        meta, _, path = line.partition("\t")
        fields = meta.split()
        if path and len(fields) == 3:
            tree[path] = (fields[0], fields[2])
    return tree
