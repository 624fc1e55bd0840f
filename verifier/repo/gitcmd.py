"""Running git itself for the few read-only queries of a normal run (listing, history).

A plain subprocess is used here rather than gitpython, whose import alone costs about as much
as a whole verification of a small repository; gitpython serves the revision and cohort paths
(object reads, clones). The options keep a repository's own configuration from running
anything: no fsmonitor, no hooks, no pager.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SAFE_GIT_OPTIONS = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "--no-pager")


class GitCommandError(RuntimeError):
    """git failed; the message is git's own last line."""


def run_git(root: Path, *args: str, timeout: float = 60) -> str:
    completed = subprocess.run(
        ["git", *SAFE_GIT_OPTIONS, "-C", str(root), *args],
        capture_output=True,
        timeout=timeout,
        check=False,
        env={
            "GIT_TERMINAL_PROMPT": "0",
            "PATH": _path(),
            "HOME": _home(),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
        },
    )
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitCommandError(lines[-1] if lines else f"git {args[0]} failed")
    return completed.stdout.decode("utf-8", "replace")


def _path() -> str:
    import os

    return os.environ.get("PATH", "/usr/bin:/bin")


def _home() -> str:
    import os

    return os.environ.get("HOME", "/")
