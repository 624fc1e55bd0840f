"""Small helpers for the paths that commands and answers mention."""

from __future__ import annotations


def without_dot_slash(path: str) -> str:
    """``./a/b`` and ``././a`` become ``a/b``; ``.github/x`` and ``.dvc/`` keep their dot."""
    path = path.strip()
    while path.startswith("./"):
        path = path[2:]
    return path
