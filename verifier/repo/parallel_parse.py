"""A second process parsing a large repository's Python and YAML files from the far end while
this one parses them from the near end, between the probes' questions.

On a repository with many such files not yet in the parse cache, and a core to spare, the
view forks one helper before the probes run. The helper reads and parses the files from the
last one backwards (YAML files first, then Python files; Python with ``ast`` only: a file
``ast`` refuses is left to this process, which alone may start libcst's child process) and
appends the outcomes, with the text it read, a few at a time as length-prefixed pickles to an
unlinked temporary file. This process walks the files in its usual order; for each it takes
the helper's outcome and text when they have already been written, and otherwise claims the
file on a shared board of one byte per file and reads and parses it itself. The helper skips
the files claimed, so the two meet wherever their speeds put the boundary and neither waits
for the other. Outcomes are taken at the point where this process would have parsed the file,
through the same shared cache, so results, notices and their order are the same as without a
helper (a file whose reading gave a notice is read again here, to give it). A file the helper
did not deliver (it failed, was killed or had not reached it) is read and parsed here.
"""

from __future__ import annotations

import os
import pickle
import struct
import time
from collections.abc import Callable

from verifier.repo.python_facts import PythonParseError

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


MIN_FILES = 400  # files still to parse before a second process pays for itself
PYTHON, YAML = "Python", "YAML"  # the forms of the view's parsed cache a helper parses
UNCLAIMED, CLAIMED_HERE, TAKEN_BY_HELPER = 0, 1, 2
THEN_TIMEOUT = 120.0  # seconds to wait for the helper's closing task
_THEN = ("then", "")  # the key of that task's outcome among the files'
BATCH = 8  # outcomes written together: fewer, smaller pickles, still delivered soon after parsing
_FRAME = struct.Struct(">I")


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
    """A forked process's parses of :attr:`items`, (form, path) pairs (see the module docstring)."""

    def __init__(self, pid: int, handle: Any, board: Any, items: list[tuple[str, str]]) -> None:
        self.pid = pid
        self.items = frozenset(items)
        self._index = {item: number for number, item in enumerate(items)}
        self._handle = handle
        self._board = board
        self._read = 0  # bytes of the outcome file taken so far
        self._outcomes: dict[tuple[str, str], tuple[bool, Any]] = {}
        # the texts the helper read for the outcomes it wrote, with their sizes in bytes
        self._texts: dict[str, tuple[str, int | None]] = {}
        self._finished = False
        self.runs_then = False

    @classmethod
    def start(
        cls, view, paths: list[str], yaml_paths: list[str] = (), then: Callable[[], Any] | None = None
    ) -> ParseHelper | None:
        """Fork a helper for ``paths`` (the ``.py`` files among them whose facts are not yet
        known) and ``yaml_paths`` (those not yet loaded), or None when that would not pay (too
        few files, no spare core, no ``fork``). ``then`` (everything it calls imported already)
        runs in the helper once its files are done, while this process finishes the probes;
        :meth:`finish` gives what it returned."""
        if not hasattr(os, "fork"):
            return None
        pending = [(PYTHON, p) for p in paths if p.endswith(".py") and not view.has_parsed(PYTHON, p)]
        pending += [(YAML, p) for p in yaml_paths if not view.has_parsed(YAML, p)]
        if len(pending) < MIN_FILES or not spare_core() or pending[0][0] != PYTHON:
            return None
        import mmap
        import tempfile

        view.python(pending[0][1])  # everything parsing needs is imported before the fork (the
        # helper imports nothing: another thread may hold the import lock when it starts)
        from verifier.repo import (
            python_scan,  # noqa: F401 (the first file may have come from the cache)
            yaml_safe,  # noqa: F401 (the helper names its errors)
        )

        if any(form == YAML for form, _ in pending):
            import yaml  # noqa: F401
        view.facts_cache.preload()
        board = mmap.mmap(-1, len(pending))  # shared with the helper across the fork
        board[0] = CLAIMED_HERE
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish)
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            handle.close()
            board.close()
            return None
        if pid == 0:  # the helper: parse, write, leave without running any exit handler
            code = 1
            try:
                _write_outcomes(view, pending, handle.fileno(), board, parent)
                if then is not None and os.getppid() == parent:
                    _write_then(handle.fileno(), then)
                code = 0
            finally:
                os._exit(code)
        helper = cls(pid, handle, board, pending)
        helper.runs_then = then is not None
        import weakref

        helper._finalizer = weakref.finalize(helper, _stop, pid, handle, board)
        return helper

    def stop(self) -> None:
        """Stop the helper (if it still runs) and reap it; later files are parsed here."""
        self._finished = True
        self._texts.clear()
        self._finalizer()

    def text(self, path: str) -> tuple[str, int | None] | None:
        """The text of ``path`` as the helper read it (with no notice) and the file's size in
        bytes, once, if it was written with an outcome already taken; else None (this process
        reads the file)."""
        return self._texts.pop(path, None)

    def release(self) -> None:
        """Claim every file the helper has not taken, so that it goes on to ``then`` (or
        ends) instead of parsing files nobody will ask for."""
        if self._finished:
            return
        board = self._board
        for number in range(len(board)):
            if board[number] == UNCLAIMED:
                board[number] = CLAIMED_HERE

    def finish(self, timeout: float = THEN_TIMEOUT) -> tuple[bool, Any] | None:
        """(True, what ``then`` returned) or (False, why it failed), waiting for the helper to
        write it (at most ``timeout`` seconds); None when there is no ``then``, or the helper
        ended or was stopped without it. The helper is stopped and reaped either way."""
        outcome = None
        if self.runs_then and not self._finished:
            deadline = time.monotonic() + timeout
            while outcome is None:
                self._take_written()
                outcome = self._outcomes.pop(_THEN, None)
                if outcome is not None or self._finished or time.monotonic() > deadline:
                    break
                try:
                    ended = os.waitpid(self.pid, os.WNOHANG)[0] != 0
                except OSError:
                    ended = True
                if ended:
                    self._take_written()
                    outcome = self._outcomes.pop(_THEN, None)
                    break
                time.sleep(0.001)
        self.stop()
        return outcome

    def outcome(self, form: str, path: str) -> tuple[bool, Any] | None:
        """(True, the parsed value) or (False, the parse error's message) for ``path`` read as
        ``form`` when the helper has written it; otherwise None, and the file is claimed for
        this process to parse."""
        item = (form, path)
        if item not in self._outcomes:
            self._take_written()
        found = self._outcomes.pop(item, None)
        if found is None and not self._finished and item in self._index:
            self._board[self._index[item]] = CLAIMED_HERE
        return found

    def _take_written(self) -> None:
        """Read every complete outcome the helper has written since the last call."""
        if self._finished:
            return
        descriptor = self._handle.fileno()
        try:
            size = os.fstat(descriptor).st_size
            if size <= self._read:
                return
            data = os.pread(descriptor, size - self._read, self._read)
        except OSError:
            self._finished = True
            return
        at = 0
        while at + _FRAME.size <= len(data):
            (length,) = _FRAME.unpack_from(data, at)
            end = at + _FRAME.size + length
            if end > len(data):
                break  # still being written
            try:
                batch = pickle.loads(data[at + _FRAME.size : end])
            except Exception:  # a helper that failed midway: its other files are parsed here
                self._finished = True
                return
            for form, path, outcome, text, size in batch:
                self._outcomes[(form, path)] = outcome
                if text is not None:
                    self._texts[path] = (text, size)
            at = end
        self._read += at


def _stop(pid: int, handle: Any, board: Any) -> None:
    """Stop the helper if it still runs (its files were all parsed here), and reap it."""
    try:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    except OSError:
        pass
    handle.close()
    board.close()


def _write_then(descriptor: int, then: Callable[[], Any]) -> None:
    try:
        outcome = (True, then())
    except Exception as exc:  # said to this process, which does the work itself
        outcome = (False, f"{type(exc).__name__}: {exc}")
    _write(descriptor, [(*_THEN, outcome, None, None)])


def _write_outcomes(view, items: list[tuple[str, str]], descriptor: int, board: Any, parent: int) -> None:
    """The helper's work: the files from the last backwards, skipping those claimed, until
    every file is claimed or done (or this process's parent is gone)."""
    from verifier.repo.python_scan import parse_python  # imported before the fork
    from verifier.repo.yaml_safe import YamlError, load_all

    cache = view.facts_cache
    batch: list[tuple[str, str, tuple[bool, Any]]] = []
    for number in range(len(items) - 1, -1, -1):
        if board[number] != UNCLAIMED:
            continue
        board[number] = TAKEN_BY_HELPER
        if os.getppid() != parent:
            return  # nobody reads what is left
        form, path = items[number]
        noticed = len(view._notices)
        text = view.text(path)
        if text is None or cache.holds(form, text):
            continue  # this process reads it again (and says why it could not)
        clean = len(view._notices) == noticed  # else this process reads it, to say the same
        try:
            outcome = (
                True,
                parse_python(path, text, newer_syntax=False) if form == PYTHON else load_all(text),
            )
        except (PythonParseError, YamlError) as exc:
            outcome = (False, str(exc))
        except Exception:  # newer syntax (libcst) and anything unexpected: left to this process
            continue
        batch.append((form, path, outcome, text if clean else None, view._cache.get(("size", path))))
        if len(batch) == BATCH:
            _write(descriptor, batch)
            batch = []
    _write(descriptor, batch)


def _write(descriptor: int, batch: list) -> None:
    """One length-prefixed pickle of a few outcomes (names they share are written once)."""
    if not batch:
        return
    data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    frame = memoryview(_FRAME.pack(len(data)) + data)
    while frame:
        frame = frame[os.write(descriptor, frame) :]
