"""Regular expressions compiled the first time they are used.

Compiling a pattern costs 0.1-1.5 ms in Python's ``re`` (a few microseconds once the
compiled-forms store holds it, see :mod:`verifier.compiled`, but not on a first run or with the
cache off); a module that defines a dozen costs its importer that much, whether or not the run
ever asks the question. Patterns that most runs never use (a Python 2 hint, a Terraform
resource, a private key header) are defined with :func:`lazy` and compiled, through the store,
on their first search.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verifier.compiled import regex


class LazyPattern:
    """A pattern with the methods of ``re.Pattern`` this project calls, compiled on first use."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = regex(self.pattern, self.flags)
        return self._compiled

    def search(self, string: str, *args: int) -> re.Match | None:
        return self.compiled.search(string, *args)

    def match(self, string: str, *args: int) -> re.Match | None:
        return self.compiled.match(string, *args)

    def fullmatch(self, string: str, *args: int) -> re.Match | None:
        return self.compiled.fullmatch(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match]:
        return self.compiled.finditer(string, *args)

    def findall(self, string: str, *args: int) -> list:
        return self.compiled.findall(string, *args)

    def sub(self, replacement, string: str, count: int = 0) -> str:
        return self.compiled.sub(replacement, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list:
        return self.compiled.split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, done on the first search."""
    return LazyPattern(pattern, flags)
