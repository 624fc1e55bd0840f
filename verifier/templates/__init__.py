"""Facts about the course's cookiecutter template, to recognise its unchanged default files.

A student file that is still the template's default (a Dockerfile, a workflow, the pre-commit
config, the docs stub, a stub module or test) is weak evidence. The facts are fingerprints,
not copies: for every version of every default file in the template's history, the hashes of
its normalised lines, the number of lines, and how many lines held a cookiecutter placeholder
(``{{ cookiecutter.project_name }}`` ...) and so differ in every generated project.

``python -m verifier.templates PATH`` rebuilds ``defaults.json`` from a clone of the template
repository (all of its history is read through git; nothing is executed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from verifier.compiled import regex
from verifier.digest import sha1
from verifier.records import record

DEFAULTS = Path(__file__).with_name("defaults.json")  # read directly: importlib.resources costs 3 ms
MIN_FIXED_LINES = 3
TOOL_SECTIONS = ("ruff", "mypy", "coverage", "pytest", "black", "isort", "pylint")
PLACEHOLDER = regex(r"\{\{|\{%|%\}")
COMMENT = regex(r"^(#|//)")


def normalise_lines(text: str) -> list[str]:
    """Non-blank, non-comment lines, stripped, with runs of whitespace collapsed."""
    return list(_normalised(text))


def _normalised(text: str) -> Iterator[str]:
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = " ".join(raw.split())
        if line and not COMMENT.match(line):
            yield line


def _count_lines(text: str) -> int:
    """How many lines :func:`normalise_lines` keeps, without building them."""
    count = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line and not line.startswith(("#", "//")):
            count += 1
    return count


def line_hash(line: str) -> str:
    return sha1(line.encode("utf-8")).hexdigest()[:10]


@record(frozen=True)
class Fingerprint:
    """The shape of a course template file, to tell an unchanged copy."""

    source: str  # template path @ commit
    lines: int
    placeholders: int
    hashes: frozenset[str]


def fingerprint(source: str, text: str) -> Fingerprint:
    lines = normalise_lines(text)
    fixed = [line for line in lines if not PLACEHOLDER.search(line)]
    return Fingerprint(
        source, len(lines), len(lines) - len(fixed), frozenset(line_hash(line) for line in fixed)
    )


@cache
def _index() -> dict[int, list[Fingerprint]]:
    data = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    index: dict[int, list[Fingerprint]] = {}
    for entry in data["fingerprints"]:
        fp = Fingerprint(entry["source"], entry["lines"], entry["placeholders"], frozenset(entry["hashes"]))
        # too few fixed lines to tell a copy from a coincidence
        if len(fp.hashes) >= MIN_FIXED_LINES and fp.placeholders <= len(fp.hashes):
            index.setdefault(fp.lines, []).append(fp)
    return index


def match_default(text: str) -> str | None:
    """The template file this text is an unchanged copy of, or None.

    Unchanged means: the same number of normalised lines, and every line that is not a
    placeholder line in the template appears in it (placeholder lines may hold anything).
    Lines are normalised and hashed one at a time, and the comparison stops as soon as every
    template of that length has more unknown lines than it has placeholders.
    """
    candidates = _index().get(_count_lines(text))
    if not candidates:  # most files: no template has that many lines
        return None
    unknown = dict.fromkeys(range(len(candidates)), 0)  # candidate -> lines not in it, while in the running
    for line in _normalised(text):
        digest = line_hash(line)
        for number in list(unknown):
            if digest not in candidates[number].hashes:
                unknown[number] += 1
                if unknown[number] > candidates[number].placeholders:
                    del unknown[number]
        if not unknown:
            return None
    return candidates[min(unknown)].source if unknown else None


def section_hash(table: dict) -> str:
    """A ``[tool.<name>]`` table's content, independent of layout, key order and comments."""
    return sha1(json.dumps(table, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:12]


@cache
def _sections() -> dict[str, frozenset[str]]:
    data = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    return {name: frozenset(hashes) for name, hashes in (data.get("tool_sections") or {}).items()}


def default_section(name: str, table: object) -> bool:
    """Whether ``[tool.<name>]`` is exactly one of the template's versions of that section."""
    return isinstance(table, dict) and section_hash(table) in _sections().get(name, frozenset())


def tool_table(text: str, name: str) -> dict | None:
    """The ``[tool.<name>]`` table (with its subtables) of a pyproject text, parsed on its own,
    so template placeholders elsewhere in the file (``{% if %}`` blocks) do not matter."""
    import tomllib

    lines, keep = [], False
    for line in text.splitlines():
        header = line.strip()
        if header.startswith("["):
            keep = header.startswith((f"[tool.{name}]", f"[tool.{name}."))
        if keep:
            lines.append(line)
    if not lines:
        return None
    try:
        table = tomllib.loads("\n".join(lines)).get("tool", {}).get(name)
    except tomllib.TOMLDecodeError:
        return None
    return table if isinstance(table, dict) else None
