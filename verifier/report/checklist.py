"""The checklist of a 02476 report: every item, its tick mark, module tags and week.

Real reports vary: ``[x]``, ``[X ]``, ``[ x]``, ``[✓]``, ``[(X)]`` are ticks; ``[ ]`` and ``[]``
are not; anything else (``[50%]``, ``[/]``, ``[-]``, ``[%]``) is a partial mark, kept raw.
Bullets ``*``, ``-`` or ``+``; items wrapped over several lines; module tags ``(M5)``,
``(M2+M6)``, sometimes followed by the names of the members who did the work.
"""

from __future__ import annotations

import re

from verifier.compiled import regex
from verifier.lazy_re import lazy
from verifier.records import record

MODULE_NUMBER = lazy(r"M\d+", re.I)
SPACES = lazy(r"\s+")

TICKED, UNTICKED, PARTIAL = "ticked", "unticked", "partial"

CHECKLIST_HEADING = regex(r"^\s{0,3}##\s+overall\s+project\s+checklist\b", re.I)
SECTION_HEADING = regex(r"^\s{0,3}##\s+\S")
WEEK_HEADING = regex(r"^\s{0,3}#{2,4}\s+(?:week\s*(\d)|(extra|additional))\b", re.I)
QUESTION_HEADING = regex(r"^\s{0,3}###\s+question\b", re.I)
ANY_HEADING = regex(r"^\s{0,3}#{1,6}\s")
# a bullet, a bracketed mark, then text; "[text](link)" bullets are links, not items
ITEM = regex(r"^(\s*)[*+-]\s*\[([^\]\n]{0,12})\](?!\()\s*(.*)$")
TAG = regex(r"\(\s*(M\d+(?:\s*[+,/&]\s*M\d+)*)\s*\)", re.I)
TICK_MARKS = frozenset({"x", "✓", "✔", "✅", "(x)", "v", "☑", "✗"})


@record(frozen=True)
class ChecklistEntry:
    """One checkbox line of the report's checklist."""

    line: int  # 1-based line of the item's first line
    raw_mark: str  # exactly what stood between the brackets
    state: str  # TICKED | UNTICKED | PARTIAL
    text: str  # wrapped lines joined; module tag and anything after it removed
    raw_text: str  # everything after the mark, wrapped lines joined
    modules: tuple[str, ...]
    week: str | None  # "1", "2", "3", "extra"


@record
class Checklist:
    """The checklist section of a report: its entries and where it starts."""

    entries: list[ChecklistEntry]
    heading_line: int | None

    @property
    def ticked(self) -> list[ChecklistEntry]:
        return [e for e in self.entries if e.state == TICKED]


def mark_state(mark: str) -> str:
    core = mark.strip().lower()
    if not core:
        return UNTICKED
    if core in TICK_MARKS:
        return TICKED
    return PARTIAL


def parse_checklist(text: str) -> Checklist:
    """Parse the checklist; never raises, returns what it can find."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, end, heading = _checklist_span(lines)
    entries: list[ChecklistEntry] = []
    week: str | None = None
    index = start
    while index < end:
        line = lines[index]
        week_match = WEEK_HEADING.match(line)
        if week_match:
            week = week_match.group(1) or "extra"
            index += 1
            continue
        item = ITEM.match(line)
        if not item:
            index += 1
            continue
        indent, mark, first = item.groups()
        parts = [first.strip()]
        index += 1
        while index < end and _continues(lines[index], len(indent)):
            parts.append(lines[index].strip())
            index += 1
        raw_text = " ".join(p for p in parts if p)
        body, modules = _split_tag(raw_text)
        entries.append(
            ChecklistEntry(
                line=item.start() + _line_number(lines, line, index, parts),
                raw_mark=mark,
                state=mark_state(mark),
                text=body,
                raw_text=raw_text,
                modules=modules,
                week=week,
            )
        )
    return Checklist(entries=entries, heading_line=heading)


def _line_number(lines: list[str], first_line: str, next_index: int, parts: list[str]) -> int:
    # the item began len(parts) lines before next_index (blank lines never continue an item)
    return next_index - len(parts) + 1


def _continues(line: str, indent: int) -> bool:
    """A wrapped continuation: non-blank, not a new item, not a heading."""
    if not line.strip():
        return False
    if ITEM.match(line) or ANY_HEADING.match(line):
        return False
    return not line.lstrip().startswith(("* ", "- ", "+ ", ">", "|", "```", "<"))


def _checklist_span(lines: list[str]) -> tuple[int, int, int | None]:
    """(start, end, heading line) of the checklist block."""
    for number, line in enumerate(lines):
        if CHECKLIST_HEADING.match(line):
            end = len(lines)
            for later in range(number + 1, len(lines)):
                if SECTION_HEADING.match(lines[later]) and not WEEK_HEADING.match(lines[later]):
                    end = later
                    break
            return number + 1, end, number + 1
    # no checklist heading: the block of items under the first "### Week 1"
    for number, line in enumerate(lines):
        match = WEEK_HEADING.match(line)
        if match and match.group(1) == "1":
            end = len(lines)
            for later in range(number + 1, len(lines)):
                if SECTION_HEADING.match(lines[later]) or QUESTION_HEADING.match(lines[later]):
                    end = later
                    break
            return number, end, None
    return 0, 0, None


def _split_tag(raw: str) -> tuple[str, tuple[str, ...]]:
    """Item text without its module tag (and names after it), and the modules."""
    matches = list(TAG.finditer(raw))
    if not matches:
        return _clean(raw), ()
    tag = matches[-1]
    modules = tuple(m.upper() for m in MODULE_NUMBER.findall(tag.group(1)))
    return _clean(raw[: tag.start()]), modules


def _clean(text: str) -> str:
    text = SPACES.sub(" ", text).strip()
    return text.rstrip(" -–—:;,")
