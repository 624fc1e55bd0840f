"""The user's cache folder: ``$VERIFY_CACHE_DIR``, else ``$XDG_CACHE_HOME`` or ``~/.cache``, then
``mlops-report-verifier`` (never inside the repository under test). ``VERIFY_NO_CACHE=1``
turns every cache off: nothing is read from or written to it."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path | None:
    if os.environ.get("VERIFY_NO_CACHE"):
        return None
    base = os.environ.get("VERIFY_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "mlops-report-verifier"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` so that readers see the old file or the whole new one; a read-only
    cache folder is not an error (the run simply goes without the cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass
