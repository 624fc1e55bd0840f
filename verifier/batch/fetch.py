"""Cloning group repositories into a cache folder, and fetching them again only when asked.

Each repository has its own cache folder, named from its whole normalised URL (credentials
removed) and the full SHA-256 of it, so two URLs never share a folder. A clone is made in a
``.partial`` folder and renamed into place when complete: a folder in the cache is always a
whole clone. Clones and fetches run through :mod:`verifier.repo.gitcmd` (no prompt, no hooks,
only the transports a grader can mean) and are stopped after their timeout.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from verifier.batch.sources import SCP_LIKE, Group, safe_id
from verifier.safe_text import without_credentials

DEFAULT_TIMEOUT = 600.0  # seconds for one clone or fetch, and for one verification


class FetchError(Exception):
    """The repository could not be cloned or fetched; one-line reason."""


def normalised_url(url: str) -> str:
    """The URL without credentials, scheme and host in lower case, no trailing slash."""
    clean = without_credentials(url.strip()).rstrip("/")
    scp = SCP_LIKE.match(clean)
    if scp:
        return f"{scp.group(1)}@{scp.group(2).lower()}:{scp.group(3)}"
    try:
        parts = urlsplit(clean)
    except ValueError:
        return clean
    if not parts.scheme:
        return clean
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def cache_path(cache: Path, group: Group) -> Path:
    """The group's clone folder: the normalised URL made safe for a name, then its full hash."""
    normal = normalised_url(group.repo)
    digest = hashlib.sha256(normal.encode("utf-8")).hexdigest()
    return cache / f"{safe_id(normal)}-{digest}"


def ensure_local(
    group: Group,
    cache: Path,
    offline: bool = False,
    refresh: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Path:
    """A local work tree for the group: its path, or a clone in the cache (cloned once)."""
    if not group.is_url:
        path = Path(group.repo).expanduser()
        if not path.is_dir():
            raise FetchError(f"{group.repo} is not a folder")
        return path
    from verifier.repo import gitcmd

    limit = timeout if timeout and timeout > 0 else 365 * 24 * 3600.0
    target = cache_path(cache, group)
    if (target / ".git").exists():
        if refresh and not offline:
            try:
                gitcmd.fetch(target, group.repo, timeout=limit)
            except gitcmd.GitCommandError as exc:
                raise FetchError(f"fetch failed: {_reason(exc)}") from None
        return target
    if offline:
        raise FetchError(f"not in the cache ({target}) and --offline was given")
    cache.mkdir(parents=True, exist_ok=True)
    for stale in cache.glob(f"{target.name}.partial-*"):  # left by a run that was stopped
        shutil.rmtree(stale, ignore_errors=True)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        gitcmd.clone(group.repo, partial, timeout=limit)
        try:
            os.rename(partial, target)
        except OSError:
            if not (target / ".git").exists():
                raise FetchError(f"clone could not be moved into {target}") from None
    except gitcmd.GitCommandError as exc:
        raise FetchError(f"clone failed: {_reason(exc)}") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def _reason(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [line for line in lines if "fatal:" in line or "error:" in line] or lines
    return without_credentials(useful[-1] if useful else type(exc).__name__)[:300]
