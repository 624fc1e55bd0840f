"""The project a folder belongs to: ``cd reports && verify`` verifies the repository, not a
project in ``reports/``.

Inside a git work tree the folder given is the project when it looks like one (a ``reports``
folder, a ``pyproject.toml``, ``setup.py``, ``requirements.txt``, a ``.github`` folder) or is
the work tree's top; otherwise the nearest enclosing folder up to the top that does. Outside
git only a ``reports`` folder steps up to its parent.
"""

from __future__ import annotations

from pathlib import Path

from verifier.repo.listing import find_git_root

MARKERS = ("reports", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", ".github", ".git")


def looks_like_project(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in MARKERS)


def enclosing_project(path: Path) -> Path:
    """The project folder for the folder ``path`` (itself when it is one)."""
    path = path.resolve()
    top = find_git_root(path)
    if top is None:
        return path.parent if path.name.lower() == "reports" and not looks_like_project(path) else path
    for folder in [path, *path.parents]:
        if folder == top or looks_like_project(folder):
            return folder
        if not folder.is_relative_to(top):
            break
    return top
