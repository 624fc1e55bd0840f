"""Matching a report's checklist lines to catalog ids.

By module tag where the report has one, and by text similarity (groups edit the wording),
never by position. Each catalog item is given to at most one line; the best scores win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from verifier.catalog import Catalog, CatalogItem
from verifier.report.checklist import ChecklistEntry

THRESHOLD = 0.5  # below this a line is unmatched; edited wordings score 0.6-0.9
TAG_BONUS = 0.15
TAG_PENALTY = 0.25
EDITION_BONUS = 0.05
STOP = frozenset("a an and the to your you for of in on or with that it is be use using".split())


@dataclass(frozen=True)
class Match:
    entry: ChecklistEntry
    item_id: str | None
    score: float
    method: str


def normalise(text: str) -> str:
    text = text.lower().replace("`", "")
    text = re.sub(r"[^a-z0-9.+/_-]+", " ", text)
    return " ".join(text.split())


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[\s/]+", text) if t and t not in STOP}


def similarity(a: str, b: str) -> float:
    """The better of sequence similarity and how much of the shorter text the other covers."""
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return ratio
    overlap = len(ta & tb) / min(len(ta), len(tb))
    # containment only counts when the shorter text is not trivially short
    if min(len(ta), len(tb)) < 3:
        overlap *= 0.6
    return max(ratio, overlap * 0.95)


def score(entry: ChecklistEntry, item: CatalogItem, edition: str | None) -> tuple[float, str]:
    text = normalise(entry.text)
    best = max(similarity(text, normalise(w)) for w in item.wordings)
    method = "text"
    if entry.modules:
        if item.modules and set(entry.modules) == set(item.modules):
            best += TAG_BONUS
            method = "module+text"
        elif item.modules and set(entry.modules) & set(item.modules):
            best += TAG_BONUS / 2
            method = "module+text"
        elif item.modules:
            best -= TAG_PENALTY
    if edition and edition in item.editions:
        best += EDITION_BONUS
    return best, method


def match_entries(
    entries: list[ChecklistEntry], catalog: Catalog, edition: str | None = None
) -> list[Match]:
    """One Match per entry, in report order; unmatched entries keep ``item_id=None``."""
    candidates = []
    for index, entry in enumerate(entries):
        for item in catalog.items:
            value, method = score(entry, item, edition)
            if value >= THRESHOLD:
                candidates.append((value, index, item.id, method))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    taken_items: set[str] = set()
    assigned: dict[int, tuple[str, float, str]] = {}
    for value, index, item_id, method in candidates:
        if index in assigned or item_id in taken_items:
            continue
        assigned[index] = (item_id, value, method)
        taken_items.add(item_id)
    out = []
    for index, entry in enumerate(entries):
        if index in assigned:
            item_id, value, method = assigned[index]
            out.append(Match(entry, item_id, round(min(value, 1.0), 3), method))
        else:
            value, item_id = max(
                ((score(entry, item, edition)[0], item.id) for item in catalog.items),
                default=(0.0, None),
            )
            method = "none"
            if value >= THRESHOLD and item_id in taken_items:
                owner = next(entries[i].line for i, a in assigned.items() if a[0] == item_id)
                method = f"duplicate of line {owner} ({item_id})"
            out.append(Match(entry, None, round(max(value, 0.0), 3), method))
    return out
