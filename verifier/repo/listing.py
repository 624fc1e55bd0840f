"""Which files make up the repository.

In a git work tree the tracked files are the repository (what a grader sees after a clone), so
virtual environments, data folders and ignored files are never walked. Outside git, a walk
that skips the usual heavy folders and honours the root ``.gitignore`` stands in.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from verifier.repo.gitcmd import run_git

# folders never walked, wherever they are
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        ".env",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".ipynb_checkpoints",
        ".idea",
        ".vscode",
        "site-packages",
    }
)
# folders skipped only at the top: data and run output there, but src/data is code
TOP_SKIPPED_DIRS = frozenset({"data", "env", "wandb", "outputs", "multirun", "build", "dist"})


# Files at the top of a git work tree that act on the whole repository wherever the project
# sits in it: GitHub only runs workflows from the top, pre-commit and DVC work from the top.
REPOSITORY_LEVEL = (".github/", ".gitlab-ci.yml", ".pre-commit-config.yaml", ".dvc/", ".dvcignore")


def is_repository_level(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in REPOSITORY_LEVEL)


@dataclass
class Listing:
    """The files of a repository, as POSIX paths relative to ``root``."""

    root: Path
    files: list[str]
    via: str  # "git" or "walk"
    git_root: Path | None = None
    notes: list[str] = field(default_factory=list)


def find_git_root(path: Path) -> Path | None:
    """The enclosing git work tree's top folder, without running git."""
    for candidate in [path, *path.parents]:
        if (candidate / ".git").exists():
            return candidate
    return None


def list_files(path: Path) -> Listing:
    """List the repository that contains ``path`` (a folder)."""
    path = path.resolve()
    git_root = find_git_root(path)
    if git_root is not None:
        try:
            files = _git_tracked(git_root)
        except Exception as exc:  # a broken .git folder: fall back to a walk
            listing = _walk(path, honour_gitignore=False)
            listing.notes.append(f"git could not list files ({clip_reason(exc)}); walked instead")
            return listing
        if not files and any(p.name != ".git" for p in git_root.iterdir()):
            # the files on disk were checked out: tracked ones may match .gitignore too
            listing = _walk(path, honour_gitignore=False)
            listing.git_root = git_root
            listing.notes.append(
                "git tracks no files here (an empty or broken index): walked the folder instead"
            )
            return listing
        return Listing(root=git_root, files=files, via="git", git_root=git_root)
    return _walk(path)


def clip_reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _git_tracked(git_root: Path) -> list[str]:
    out = run_git(git_root, "ls-files", "-z", "--cached")
    return sorted({p for p in out.split("\0") if p})


def _walk(path: Path, honour_gitignore: bool = True) -> Listing:
    ignore = _read_gitignore(path / ".gitignore") if honour_gitignore else []
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        rel_dir = os.path.relpath(dirpath, path)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIPPED_DIRS
            and not (rel_dir == "" and d in TOP_SKIPPED_DIRS)
            and not _ignored(_join(rel_dir, d), ignore, True)
        )
        for name in filenames:
            rel = _join(rel_dir, name)
            if not _ignored(rel, ignore, False):
                files.append(rel)
    return Listing(
        root=path,
        files=sorted(files),
        via="walk",
        notes=["not a git work tree: walked the folder (skipping .venv, data/, node_modules ...)"],
    )


def _join(a: str, b: str) -> str:
    return f"{a}/{b}" if a else b


def _read_gitignore(path: Path) -> list[tuple[str, bool]]:
    """(pattern, directory-only) pairs from a .gitignore; negations are not supported."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    patterns = []
    for raw in text.splitlines()[:2000]:
        line = raw.strip()
        if not line or line.startswith(("#", "!")):
            continue
        dir_only = line.endswith("/")
        patterns.append((line.strip("/"), dir_only))
    return patterns


def _ignored(rel: str, patterns: list[tuple[str, bool]], is_dir: bool) -> bool:
    name = rel.rsplit("/", 1)[-1]
    for pattern, dir_only in patterns:
        if dir_only and not is_dir:
            continue
        if "/" in pattern:
            if fnmatch.fnmatchcase(rel, pattern):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False
