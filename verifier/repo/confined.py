"""Reading a repository's files without ever leaving it or blocking on a special file.

A path is resolved in full (every part, so a parent folder that is a symlink counts as much as
a symlinked file) and refused when its real path is not inside the repository's real root.
Only regular files are opened, and opened without blocking: a named pipe, a socket or a device
is refused before anything waits on it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class RefusedPath(PermissionError):
    """The path is not read; the message says why in a few words."""


class TooLarge(Exception):
    """A regular file larger than the reader asked for; nothing of it was read."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def real_root(root: Path) -> str:
    return os.path.realpath(root)


def inside(root_real: str, relative: str, folders: dict[str, str] | None = None) -> str:
    """The real path of ``relative`` under the root, refused when it leaves the root.

    ``folders`` (a dict the caller keeps for one root) remembers the real path of each folder,
    so that a file in a folder already resolved costs one ``lstat`` instead of one per part.
    """
    full = os.path.join(root_real, relative)
    if folders is None:
        real = os.path.realpath(full)
    else:
        folder, _, name = relative.rpartition("/")
        candidate = os.path.join(_real_folder(root_real, folder, folders), name)
        real = (
            os.path.realpath(candidate) if os.path.islink(candidate) or name in ("", ".", "..") else candidate
        )
    if _is_inside(root_real, real):
        return real
    if os.path.islink(full):
        raise RefusedPath("symlink pointing outside the repository, not followed")
    raise RefusedPath("a folder on its path is a symlink leading outside the repository, not followed")


def _real_folder(root_real: str, folder: str, folders: dict[str, str]) -> str:
    """The real path of ``folder`` (relative to the root), built from its parent's (one
    ``lstat`` per folder, each folder resolved once): a part that is a symlink is resolved in
    full, any other is its parent's real path and its name."""
    real_folder = folders.get(folder)
    if real_folder is not None:
        return real_folder
    missing = []  # the folder and its ancestors not yet known, deepest first
    while folder and folder not in folders:
        missing.append(folder)
        folder = folder.rpartition("/")[0]
    real_folder = folders[folder] if folder else root_real
    for folder in reversed(missing):
        name = folder.rpartition("/")[2]
        candidate = os.path.join(real_folder, name)
        if name in ("", ".", "..") or os.path.islink(candidate):
            candidate = os.path.realpath(candidate)
        folders[folder] = real_folder = candidate
    return real_folder


def _is_inside(root_real: str, real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _require_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a folder"
        if stat.S_ISDIR(mode)
        else "not a regular file"
    )
    raise RefusedPath(f"{kind}, not opened")


def size_inside(root_real: str, relative: str, folders: dict[str, str] | None = None) -> int:
    """The size of a regular file inside the root (with ``folders``, a file that is not a
    symlink, in a folder already resolved inside the root, costs one ``lstat``)."""
    info = None
    direct = _in_resolved_folder(root_real, relative, folders)
    if direct is not None:
        info = os.lstat(direct)
        if stat.S_ISLNK(info.st_mode):
            info = None  # resolved in full below
    if info is None:
        info = os.stat(inside(root_real, relative, folders))
    _require_regular(info.st_mode)
    return info.st_size


def read_inside(
    root_real: str,
    relative: str,
    limit: int,
    folders: dict[str, str] | None = None,
    refuse_above: int | None = None,
) -> bytes:
    """At most ``limit`` bytes of a regular file inside the root (see :func:`read_regular`).

    With ``folders``, a file in a folder already resolved inside the root is opened without
    following a symlink (one system call instead of a check and an open); only a file that is a
    symlink is resolved in full, and read when it stays inside.
    """
    direct = _in_resolved_folder(root_real, relative, folders) if _NO_FOLLOW else None
    if direct is not None:
        try:
            return read_regular(direct, limit, refuse_above, follow=False)
        except OSError as exc:
            if exc.errno not in _SYMLINK_REFUSED:
                raise
    return read_regular(inside(root_real, relative, folders), limit, refuse_above)


def _in_resolved_folder(root_real: str, relative: str, folders: dict[str, str] | None) -> str | None:
    """The path of ``relative`` in its folder's real path when that folder is inside the root
    (the file itself may still be a symlink: the caller does not follow it); None without
    ``folders`` or when the folder leads out (then :func:`inside` resolves and refuses)."""
    if folders is None:
        return None
    folder, _, name = relative.rpartition("/")
    real_folder = _real_folder(root_real, folder, folders)
    if name in ("", ".", "..") or not _is_inside(root_real, real_folder):
        return None
    return os.path.join(real_folder, name)


_NO_FOLLOW = hasattr(os, "O_NOFOLLOW")
# what opening a symlink with O_NOFOLLOW gives (Linux and macOS; FreeBSD)
_SYMLINK_REFUSED = frozenset({errno.ELOOP, getattr(errno, "EMLINK", errno.ELOOP)})


def read_regular(path: str | Path, limit: int, refuse_above: int | None = None, follow: bool = True) -> bytes:
    """At most ``limit`` bytes of ``path``, which must be a regular file (checked on the open
    descriptor, opened without blocking, so a FIFO swapped in meanwhile cannot hang the run).
    Raises :class:`TooLarge`, reading nothing, when the file is larger than ``refuse_above``.
    Without ``follow``, a symlink is not opened (``OSError`` with ``ELOOP``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= os.O_NOFOLLOW
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        _require_regular(info.st_mode)
        if refuse_above is not None and info.st_size > refuse_above:
            raise TooLarge(info.st_size)
        chunks = []
        remaining = limit
        # The first read asks for the size the file had (plus one byte, to see its end in the
        # same call): a fixed large request allocates that much for every small file.
        request = min(remaining, info.st_size + 1)
        while remaining > 0:
            chunk = os.read(descriptor, max(request, 1))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            request = min(remaining, 1 << 20)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
