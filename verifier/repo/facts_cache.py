"""A cache of Python facts by file content, so a second run over an unchanged repository (or
many groups sharing the template's files) does not parse the same code again.

Entries live under ``$VERIFY_CACHE_DIR`` or ``~/.cache/mlops-report-verifier`` (the user's own
folder, never the repository under test), keyed by the SHA-1 of the source text and the fact
format's version. ``VERIFY_NO_CACHE=1`` turns the cache off. A missing, unreadable or stale
entry is simply parsed again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from verifier.repo.python_facts import PythonFacts, parse_python

FORMAT_VERSION = "3"


def cache_dir() -> Path | None:
    from verifier.cache import cache_root

    root = cache_root()
    return None if root is None else root / f"python-facts-{FORMAT_VERSION}"


def parse_python_cached(path: str, text: str) -> PythonFacts:
    folder = cache_dir()
    if folder is None:
        return parse_python(path, text)
    key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    entry = folder / key[:2] / key
    try:
        with open(entry, "rb") as handle:
            facts = pickle.load(handle)
        if isinstance(facts, PythonFacts):
            facts.path = path
            return facts
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass
    facts = parse_python(path, text)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f"{key}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(facts, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError:
        pass  # a read-only home: run without the cache
    return facts
