"""A cache of Python facts by file content, one file per repository, so a second run over an
unchanged repository does not parse its code again.

The file lives under ``$VERIFY_CACHE_DIR`` or ``~/.cache/mlops-report-verifier`` (the user's own
folder, never the repository under test), named after the repository's folder, and maps the
SHA-1 of each parsed text to its facts, or to the reason it could not be parsed (a failure is
as costly to find again: libcst is tried on such a file). It is read once at the first parse
and written once, after the result is out (:meth:`FactsCache.save`), holding only the texts of
that run. ``VERIFY_NO_CACHE=1`` turns it off. A missing, unreadable or stale file is ignored.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import replace
from pathlib import Path

from verifier.repo.python_facts import PythonFacts, PythonParseError, parse_python

FORMAT_VERSION = "4"
UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError)


def cache_file(root: Path) -> Path | None:
    """Where the facts of the repository at ``root`` are kept, or None when caching is off."""
    from verifier.cache import cache_root

    base = cache_root()
    if base is None:
        return None
    name = hashlib.sha1(str(root).encode("utf-8", "surrogatepass")).hexdigest()
    return base / f"python-facts-{FORMAT_VERSION}" / f"{name}.pickle"


class FactsCache:
    """Parsed Python facts of one repository, by content."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stored: dict[str, PythonFacts | str] | None = None  # read on first use
        self._used: dict[str, PythonFacts | str] = {}
        self._changed = False

    @classmethod
    def for_repository(cls, root: Path) -> FactsCache:
        return cls(cache_file(root))

    def parse(self, path: str, text: str) -> PythonFacts:
        """Facts of ``text`` (see :func:`parse_python`), from the cache when it holds them;
        a text that could not be parsed raises :class:`PythonParseError` again, with its reason."""
        if self.file is None:
            return parse_python(path, text)
        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        entry = self._used.get(key)
        if entry is None:
            entry = self._load().get(key)
            if entry is None:
                try:
                    entry = parse_python(path, text)
                except Exception as exc:
                    entry = " ".join(str(exc).split()) or type(exc).__name__
                self._changed = True
            self._used[key] = entry
        if isinstance(entry, str):
            raise PythonParseError(entry)
        return entry if entry.path == path else replace(entry, path=path)

    def _load(self) -> dict[str, PythonFacts | str]:
        if self._stored is None:
            self._stored = {}
            try:
                with open(self.file, "rb") as handle:
                    stored = pickle.load(handle)
                if isinstance(stored, dict):
                    self._stored = stored
            except (
                OSError,
                EOFError,
                pickle.UnpicklingError,
                AttributeError,
                ImportError,
                TypeError,
                ValueError,
            ):
                pass
        return self._stored

    def save(self) -> None:
        """Write what this run parsed or used, if that differs from what was read."""
        if self.file is None or not self._used:
            return
        if not self._changed and self._stored is not None and len(self._stored) == len(self._used):
            return
        from verifier.cache import write_atomically

        write_atomically(self.file, pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))
