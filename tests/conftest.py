"""Shared fixtures: small repositories built in temporary folders, and the shared data."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

# Set before the verifier is imported (importing it compiles patterns through the compiled-forms
# store): the test run never reads or writes the user's cache folder.
_SESSION_CACHE = tempfile.mkdtemp(prefix="verify-tests-cache-")
os.environ["VERIFY_CACHE_DIR"] = _SESSION_CACHE
atexit.register(shutil.rmtree, _SESSION_CACHE, True)

from verifier.repo.view import RepoView  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEMPLATES = SHARED / "templates"
CORPUS = SHARED / "corpus"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


@pytest.fixture(autouse=True)
def private_facts_cache(tmp_path_factory, monkeypatch):
    """Tests never read or fill the user's cache of parsed Python facts."""
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path_factory.mktemp("facts-cache")))


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in a fixture repository (never in a repository under test)."""
    full_env = {**os.environ, **GIT_ENV, **(env or {})}
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=full_env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """Build a repository from ``{path: content}``; ``git=True`` makes it a committed git repo."""
    counter = {"n": 0}

    def build(files: dict[str, str | bytes], git_init: bool = True, name: str | None = None) -> Path:
        counter["n"] += 1
        root = tmp_path / (name or f"repo{counter['n']}")
        root.mkdir(parents=True)
        write_tree(root, files)
        if git_init:
            git(root, "init", "-q")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "initial", "--allow-empty")
        return root

    return build


@pytest.fixture
def make_view(make_repo) -> Callable[..., RepoView]:
    """Build a repository and open a :class:`RepoView` on it."""

    def build(files: dict[str, str | bytes], git_init: bool = True) -> RepoView:
        return RepoView.open(make_repo(files, git_init=git_init))

    return build


def shared_files(folder: Path, pattern: str = "*.md") -> list[Path]:
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


needs_shared = pytest.mark.skipif(
    not TEMPLATES.is_dir(),
    reason=f"the shared templates and corpus are not at {SHARED} (CI has them; a clone may not)",
)
