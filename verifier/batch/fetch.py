"""Cloning group repositories into a cache folder, and fetching them again only when asked."""

from __future__ import annotations

import hashlib
from pathlib import Path

from verifier.batch.sources import Group, safe_id

CLONE_TIMEOUT = 600.0  # seconds for one clone or fetch


class FetchError(Exception):
    """The repository could not be cloned or fetched; one-line reason."""


def cache_path(cache: Path, group: Group) -> Path:
    digest = hashlib.sha1(group.repo.encode()).hexdigest()[:8]
    name = group.repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    return cache / f"{safe_id(name)}-{digest}"


def ensure_local(
    group: Group, cache: Path, offline: bool = False, refresh: bool = False, timeout: float = CLONE_TIMEOUT
) -> Path:
    """A local work tree for the group: its path, or a clone in the cache (cloned once).

    Clones and fetches run through :mod:`verifier.repo.gitcmd` (no prompt, no hooks, only the
    transports a grader can mean) and are stopped after ``timeout`` seconds."""
    if not group.is_url:
        path = Path(group.repo).expanduser()
        if not path.is_dir():
            raise FetchError(f"{group.repo} is not a folder")
        return path
    from verifier.repo.gitcmd import GitCommandError, clone, fetch

    target = cache_path(cache, group)
    if (target / ".git").exists():
        if refresh and not offline:
            try:
                fetch(target, group.repo, timeout=timeout)
            except GitCommandError as exc:
                raise FetchError(f"fetch failed: {_reason(exc)}") from None
        return target
    if offline:
        raise FetchError(f"not in the cache ({target}) and --offline was given")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        clone(group.repo, target, timeout=timeout)
    except GitCommandError as exc:
        if target.exists():
            import shutil

            shutil.rmtree(target, ignore_errors=True)  # a half-made clone is never used
        raise FetchError(f"clone failed: {_reason(exc)}") from None
    return target


def _reason(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [line for line in lines if "fatal:" in line or "error:" in line] or lines
    return (useful[-1] if useful else type(exc).__name__)[:300]
