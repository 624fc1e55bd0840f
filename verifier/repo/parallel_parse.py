"""A second process parsing most of a large repository's Python files while this one parses
the first third and runs the probes.

On a repository with many Python files not yet in the parse cache, and a core to spare, the
view forks one helper before the first probe walks the files. The helper reads and parses the
second half (``ast`` only: a file ``ast`` refuses is left to this process, which alone may
start libcst's child process) and writes the facts, in chunks, to an unlinked temporary file. The view
walks the files in their usual order, parsing the first third itself, and takes the helper's
outcome for each later file at the point where it would have parsed it, through
the same shared cache, so results, notices and their order are the same as without a helper.
A file the helper did not deliver (it failed, was killed or is too slow) is parsed here.
"""

from __future__ import annotations

import os
import pickle
import time
from typing import Any

from verifier.repo.python_facts import PythonParseError, parse_python

MIN_FILES = 400  # Python files still to parse before a second process pays for itself
# This process also runs the probes between its files, so the helper takes the later two thirds
SHARE_HERE = 3  # this process parses the first 1/SHARE_HERE of the files
HELPER_TIMEOUT = 120.0
CHUNK = 256  # outcomes pickled together  # seconds to wait for the helper once its results are needed


def spare_core() -> bool:
    """Whether another core is likely free: at least two usable, and a load average below
    their number (the load counts this process too, once it has run a while)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return cores >= 2 and load < cores


class ParseHelper:
    """A forked process's facts for :attr:`paths` (see the module docstring)."""

    def __init__(self, pid: int, handle: Any, paths: frozenset[str]) -> None:
        self.pid = pid
        self.paths = paths
        self._handle = handle
        self._outcomes: dict[str, tuple[bool, Any]] = {}
        self._waited = False

    @classmethod
    def start(cls, view, paths: list[str]) -> ParseHelper | None:
        """Fork a helper for the later part of ``paths`` (``.py`` files whose facts are not yet
        known), or None when that would not pay (too few files, no spare core, no ``fork``)."""
        if not hasattr(os, "fork"):
            return None
        pending = [p for p in paths if p.endswith(".py") and not view.has_parsed("Python", p)]
        if len(pending) < MIN_FILES or not spare_core():
            return None
        import tempfile

        view.python(pending[0])  # everything parsing needs is imported before the fork (the
        # helper imports nothing: another thread may hold the import lock when it starts)
        view.facts_cache.preload()
        share = pending[len(pending) // SHARE_HERE :]
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _collect)
        try:
            pid = os.fork()
        except OSError:
            handle.close()
            return None
        if pid == 0:  # the helper: parse, write, leave without running any exit handler
            code = 1
            try:
                _write_outcomes(view, share, handle)
                code = 0
            finally:
                os._exit(code)
        return cls(pid, handle, frozenset(share))

    def outcome(self, path: str) -> tuple[bool, Any] | None:
        """(True, facts) or (False, the parse error's message) for ``path``, or None when the
        helper did not deliver it; waits for the helper the first time. The outcomes are read
        a chunk at a time, as the files are asked for, so few wait in memory."""
        if not self._waited:
            self._waited = True
            if not self._wait():
                self._handle.close()
            else:
                self._handle.seek(0)
        while path not in self._outcomes and not self._handle.closed:
            try:
                chunk = pickle.load(self._handle)
                self._outcomes.update(chunk)
            except Exception:  # the end, or a helper that failed: its files are parsed here
                self._handle.close()
        return self._outcomes.pop(path, None)

    def _wait(self) -> bool:
        """Whether the helper finished well (it is killed after :data:`HELPER_TIMEOUT`)."""
        deadline = time.monotonic() + HELPER_TIMEOUT
        try:
            while True:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    return status == 0
                if time.monotonic() > deadline:
                    os.kill(self.pid, 9)
                    os.waitpid(self.pid, 0)
                    return False
                time.sleep(0.002)
        except OSError:
            return False


def _write_outcomes(view, paths: list[str], handle: Any) -> None:
    cache = view.facts_cache
    outcomes: dict[str, tuple[bool, Any]] = {}
    for path in paths:
        text = view.text(path)
        if text is None or cache.holds("Python", text):
            continue  # this process reads it again (and says why it could not)
        try:
            outcomes[path] = (True, parse_python(path, text, newer_syntax=False))
        except PythonParseError as exc:
            outcomes[path] = (False, str(exc))
        except Exception:  # newer syntax (libcst) and anything unexpected: left to this process
            continue
        if len(outcomes) == CHUNK:
            pickle.dump(outcomes, handle, protocol=pickle.HIGHEST_PROTOCOL)
            outcomes = {}
    pickle.dump(outcomes, handle, protocol=pickle.HIGHEST_PROTOCOL)
    handle.flush()
