"""Compiled forms the process would otherwise build again on every run, kept in the user's
cache folder: the code of the project's regular expressions and of the record classes'
generated ``__init__`` methods.

Compiling a regular expression costs Python's ``re`` 0.05-1.5 ms, and a verification compiles
about 150 of them: a tenth of a run over a small repository. ``re`` compiles in two steps, a
parse into a list of integer opcodes (the costly part, written in Python) and ``_sre.compile``
of that list (microseconds, in C, which validates the opcodes). The store keeps the opcodes of
every pattern compiled through :func:`regex`, so a later process only takes the second step.

The store is one ``marshal`` file per interpreter build (its name holds the implementation's
cache tag; its content is keyed by the full version and the regular expression engine's magic
number and code size, and is ignored when they differ). It is read on the first lookup and
written once, after the result is out (:func:`save`), only when the run compiled something new.
Anything unexpected (a missing, stale or damaged file, an interpreter whose ``re`` internals
differ) falls back to compiling as ``re`` does. ``VERIFY_NO_CACHE=1`` turns it off. Like the
other caches, it is written by this tool in the user's own folder and trusted as such.
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FORMAT = 1
MAX_ENTRIES = 4000  # past this, a save keeps only what the saving run used


def _tag() -> tuple:
    import _sre

    return (FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE, getattr(_sre, "MAXGROUPS", 0))


class _Store:
    """The compiled forms read from the cache file, and those this process added or used."""

    def __init__(self) -> None:
        self.path: Path | None = None  # where the store is kept (None: caching off), with loaded
        self.loaded: dict[str, dict] | None = None  # read on first use
        self.patterns: dict[tuple[str, int], re.Pattern] = {}  # this process's, by (source, flags)
        self.used: dict[str, dict] = {"regex": {}, "code": {}}
        self.added = False

    def stored(self, kind: str) -> dict:
        if self.loaded is None:
            from verifier.cache import cache_root

            root = cache_root()
            self.path = root / f"compiled-{sys.implementation.cache_tag}.marshal" if root else None
            self.loaded = (_read(self.path) if self.path else None) or {"regex": {}, "code": {}}
        return self.loaded[kind]


def _read(path: Path) -> dict[str, dict] | None:
    import marshal

    try:
        with open(path, "rb") as handle:
            data = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("tag") != _tag()
        or not isinstance(data.get("regex"), dict)
        or not isinstance(data.get("code"), dict)
    ):
        return None
    return {"regex": data["regex"], "code": data["code"]}


_STORE = _Store()


def regex(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the stored opcodes when an earlier run compiled the
    same pattern (the same object for the same pattern within a process, as ``re`` gives)."""
    flags = int(flags)
    key = (pattern, flags)
    compiled = _STORE.patterns.get(key)
    if compiled is not None:
        return compiled
    parts = _STORE.stored("regex").get(key)
    compiled = _from_parts(pattern, parts) if parts is not None else None
    if compiled is None:
        parts = _parts(pattern, flags)
        compiled = _from_parts(pattern, parts) if parts is not None else None
        if compiled is None:
            compiled = re.compile(pattern, flags)
        elif _STORE.path is not None:
            _STORE.added = True
    if parts is not None:
        _STORE.used["regex"][key] = parts
    _STORE.patterns[key] = compiled
    return compiled


def _parts(pattern: str, flags: int) -> tuple | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` after the costly parse, as plain
    values; None where ``re``'s internals are not the ones this was written against."""
    try:
        from re import _compiler, _parser

        tree = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(tree, flags)]
        state = tree.state
        groupindex = {str(name): int(number) for name, number in state.groupdict.items()}
        indexgroup: list[str | None] = [None] * state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        return (int(flags | state.flags), code, int(state.groups - 1), groupindex, tuple(indexgroup))
    except re.error:
        raise
    except Exception:
        return None


def _from_parts(pattern: str, parts: Any) -> re.Pattern | None:
    import _sre

    try:
        flags, code, groups, groupindex, indexgroup = parts
        return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    except Exception:  # stale or damaged: _sre validates the opcodes it is given
        return None


def code(source: str, filename: str = "<string>") -> Any:
    """``compile(source, filename, "exec")``, from the store when an earlier run compiled it."""
    key = f"{filename}\0{source}"
    compiled = _STORE.stored("code").get(key)
    if type(compiled) is not type(_tag.__code__):
        compiled = compile(source, filename, "exec")
        if _STORE.path is not None:
            _STORE.added = True
    _STORE.used["code"][key] = compiled
    return compiled


def save() -> None:
    """Keep what this process compiled for the next one, when it compiled anything new."""
    path = _STORE.path
    if not _STORE.added or path is None:
        return
    import marshal

    from verifier.cache import write_atomically

    stored = _STORE.loaded or {"regex": {}, "code": {}}
    merged = {kind: {**stored[kind], **_STORE.used[kind]} for kind in ("regex", "code")}
    if sum(len(entries) for entries in merged.values()) > MAX_ENTRIES:
        merged = _STORE.used
    try:
        data = marshal.dumps({"tag": _tag(), **merged})
    except ValueError:
        return
    write_atomically(path, data)
    _STORE.loaded, _STORE.added = merged, False
