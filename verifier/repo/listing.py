"""Which files make up the repository.

In a git work tree the tracked files are the repository (what a grader sees after a clone), so
virtual environments, data folders and ignored files are never walked. Outside git, a walk
that skips the usual heavy folders and honours the root ``.gitignore`` stands in.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from verifier.records import field, record
from verifier.repo.confined import read_regular
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
MAX_WALK_DEPTH = 100  # folder levels; deeper ones are noted, not walked
GITIGNORE_LIMIT = 1_000_000  # bytes


# Files at the top of a git work tree that act on the whole repository wherever the project
# sits in it: GitHub only runs workflows from the top, pre-commit and DVC work from the top.
REPOSITORY_LEVEL = (".github/", ".gitlab-ci.yml", ".pre-commit-config.yaml", ".dvc/", ".dvcignore")


def is_repository_level(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in REPOSITORY_LEVEL)


@record
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
        link = linked_git_dir(git_root)
        return Listing(root=git_root, files=files, via="git", git_root=git_root, notes=[link] if link else [])
    return _walk(path)


def linked_git_dir(git_root: Path) -> str | None:
    """A sentence when ``.git`` is a file (``gitdir: ...``) or a symlink leading to a git folder
    outside this folder: the file list and history are then another repository's."""
    dot_git = git_root / ".git"
    try:
        if dot_git.is_symlink():
            target, how = dot_git.resolve(), "a symlink"
        elif dot_git.is_file():
            first = read_regular(dot_git, 4096).decode("utf-8", "replace").strip().splitlines()
            if not first or not first[0].startswith("gitdir:"):
                return None
            target, how = (git_root / first[0][len("gitdir:") :].strip()).resolve(), "a file (gitdir)"
        else:
            return None
    except OSError:
        return None
    if target.is_relative_to(git_root.resolve()):
        return None
    owner = target.parent if target.name == ".git" else target
    try:
        common = read_regular(target / "commondir", 4096).decode("utf-8", "replace").strip()
        common_dir = (target / common).resolve()
        owner = common_dir.parent if common_dir.name == ".git" else common_dir
    except OSError:
        pass  # not a linked work tree: a submodule's or another repository's git folder
    return (
        f".git is {how} pointing to {target}, outside this folder: the tracked files and the "
        f"history (and with --rev/--at the files' content) are those of the repository at {owner}"
    )


def clip_reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _git_tracked(git_root: Path) -> list[str]:
    out = run_git(git_root, "ls-files", "-z", "--cached")
    return sorted({p for p in out.split("\0") if p})


def _walk(path: Path, honour_gitignore: bool = True) -> Listing:
    """The files under ``path``, walked with an explicit stack (no recursion, however deep the
    folders), never following symlinked folders, at most :data:`MAX_WALK_DEPTH` levels down."""
    ignore = _read_gitignore(path / ".gitignore") if honour_gitignore else []
    files: list[str] = []
    notes = ["not a git work tree: walked the folder (skipping .venv, data/, node_modules ...)"]
    too_deep: list[str] = []
    stack: list[tuple[str, int]] = [("", 0)]
    while stack:
        rel_dir, depth = stack.pop()
        try:
            with os.scandir(path / rel_dir if rel_dir else path) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            notes.append(f"{_clip(rel_dir or '.')}: cannot list the folder ({exc.strerror}), skipped")
            continue
        folders = []
        for entry in entries:
            rel = _join(rel_dir, entry.name)
            try:
                is_link, is_dir = entry.is_symlink(), entry.is_dir(follow_symlinks=False)
                if is_link and entry.is_dir():
                    continue  # a symlinked folder is never walked
            except OSError:
                is_dir = False
            if is_dir:
                if (
                    entry.name in SKIPPED_DIRS
                    or (rel_dir == "" and entry.name in TOP_SKIPPED_DIRS)
                    or _ignored(rel, ignore, True)
                ):
                    continue
                if depth + 1 >= MAX_WALK_DEPTH:
                    too_deep.append(rel)
                    continue
                folders.append((rel, depth + 1))
            elif not _ignored(rel, ignore, False):
                files.append(rel)
        stack.extend(reversed(folders))
    if too_deep:
        notes.append(
            f"{len(too_deep)} folder(s) nested deeper than {MAX_WALK_DEPTH} levels not walked "
            f"(first: {_clip(too_deep[0])})"
        )
    return Listing(root=path, files=sorted(files), via="walk", notes=notes)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(a: str, b: str) -> str:
    return f"{a}/{b}" if a else b


def _read_gitignore(path: Path) -> list[tuple[str, bool]]:
    """(pattern, directory-only) pairs from a .gitignore; negations are not supported."""
    try:
        text = read_regular(path, GITIGNORE_LIMIT).decode("utf-8", errors="replace")
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
