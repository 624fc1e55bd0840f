"""A cache of parsed files by content, one file per repository, so a second run over an
unchanged repository neither parses its files again nor imports the parsers.

The file lives under ``$VERIFY_CACHE_DIR`` or ``~/.cache/mlops-report-verifier`` (the user's own
folder, never the repository under test), named after the repository's folder. It maps a form
(Python facts, YAML documents, template fingerprint) and the SHA-1 of a file's text to the
parsed value, or to the reason the text could not be parsed (a failure is as costly to find
again: libcst is tried on such a Python file). Each value is unpickled only when a run asks
for it. The file is read at the first lookup and written once, after the result is out
(:meth:`FactsCache.save`, from a forked process on the command line), holding only what that
run used. ``VERIFY_NO_CACHE=1`` turns it off. A missing, unreadable or stale file is ignored.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

from verifier.digest import sha1
from verifier.records import replace

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


FORMAT_VERSION = "5"
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError)


class CachedParseError(ValueError):
    """A text that could not be parsed before; the message is the reason found then."""


class ParseFailure:
    """The reason a text could not be parsed, kept in the cache."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __reduce__(self):
        return (ParseFailure, (self.reason,))


def cache_file(root: Path) -> Path | None:
    """Where the parses of the repository at ``root`` are kept, or None when caching is off."""
    from verifier.cache import cache_root

    base = cache_root()
    if base is None:
        return None
    name = sha1(str(root).encode("utf-8", "surrogatepass")).hexdigest()
    return base / f"parses-{FORMAT_VERSION}" / f"{name}.pickle"


class FactsCache:
    """Parsed forms of one repository's files, by content."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stored: dict[str, bytes] | None = None  # read on first use
        self._used: dict[str, Any] = {}  # what this run used: pickled bytes, or a new value
        self._changed = False

    @classmethod
    def for_repository(cls, root: Path) -> FactsCache:
        return cls(cache_file(root))

    def parse(self, path: str, text: str):
        """Python facts of ``text`` (see :func:`~verifier.repo.python_facts.parse_python`)."""
        from verifier.repo.python_facts import parse_python

        return self.get("Python", path, text, parse_python)

    def get(self, form: str, path: str, text: str, parse: Callable[[str, str], Any]) -> Any:
        """``parse(path, text)``, or what it returned for the same form and text before; a text
        that could not be parsed raises :class:`CachedParseError` again, with its reason."""
        if self.file is None:
            return parse(path, text)
        key = f"{form}\0{sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()}"
        value = _MISSING
        data = self._used.get(key)
        if data is None:
            data = self._load().get(key)
        if type(data) is bytes:
            try:
                value = pickle.loads(data)
            except Exception:
                value = _MISSING
        elif data is not None:
            value = data
        if value is _MISSING:
            try:
                value = parse(path, text)
            except Exception as exc:
                value = ParseFailure(" ".join(str(exc).split()) or type(exc).__name__)
            data = value  # pickled when saved, after the result is out
            self._changed = True
        self._used[key] = data
        if isinstance(value, ParseFailure):
            raise CachedParseError(value.reason)
        if getattr(value, "path", path) != path:  # Python facts of a file with the same text
            value = replace(value, path=path)
        return value

    def preload(self) -> None:
        """Read the cache file now (before a fork, so that both processes share it)."""
        if self.file is not None:
            self._load()

    def holds(self, form: str, text: str) -> bool:
        """Whether ``text`` was parsed as ``form`` before (no parse needed)."""
        if self.file is None:
            return False
        key = f"{form}\0{sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()}"
        return key in self._used or key in self._load()

    def _load(self) -> dict[str, bytes]:
        if self._stored is None:
            self._stored = {}
            try:
                with open(self.file, "rb") as handle:
                    stored = pickle.load(handle)
                if isinstance(stored, dict):
                    self._stored = stored
            except UNREADABLE:
                pass
        return self._stored

    def save(self, background: bool = False) -> None:
        """Write what this run parsed or used, if that differs from what was read.

        With ``background`` (the command line, once its result is printed) the writing is left
        to a forked process, so that even the first run over a repository ends as soon as
        without the cache; where there is no ``fork`` it is written here.
        """
        if self.file is None or not self._used:
            return
        if not self._changed and self._stored is not None and len(self._stored) == len(self._used):
            return
        if background and hasattr(os, "fork"):
            try:
                pid = os.fork()
            except OSError:
                pid = -1
            if pid > 0:
                return
            if pid == 0:  # the writer: nothing of it reaches the terminal, nothing else runs
                try:
                    devnull = os.open(os.devnull, os.O_RDWR)
                    for descriptor in (0, 1, 2):
                        os.dup2(devnull, descriptor)
                    self._write()
                finally:
                    os._exit(0)
        self._write()

    def _write(self) -> None:
        from verifier.cache import write_atomically

        entries = {}
        for key, data in self._used.items():
            if type(data) is not bytes:
                try:
                    data = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:
                    continue  # a value that cannot be kept is simply parsed again next time
            entries[key] = data
        write_atomically(self.file, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))


_MISSING = object()
