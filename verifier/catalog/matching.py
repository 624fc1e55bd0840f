"""Matching a report's checklist lines to catalog ids.

By module tag where the report has one, and by text similarity (groups edit the wording),
never by position. Each catalog item is given to at most one line; the best scores win.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from verifier.catalog import Catalog, CatalogItem
from verifier.lazy_re import lazy
from verifier.records import record
from verifier.report.checklist import ChecklistEntry

NOT_WORD = lazy(r"[^a-z0-9.+/_-]+")
WORD_GAPS = lazy(r"[\s/]+")

THRESHOLD = 0.5  # below this a line is unmatched; edited wordings score 0.6-0.9
TAG_BONUS = 0.15
TAG_PENALTY = 0.25
EDITION_BONUS = 0.05
SHORTLIST = 4  # items per line scored exactly, after a cheap ranking
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "to",
        "your",
        "you",
        "for",
        "of",
        "in",
        "on",
        "or",
        "with",
        "that",
        "it",
        "is",
        "be",
        "use",
        "using",
    ]
)


@record(frozen=True)
class Match:
    """A report's checklist line matched to a catalog item (or to none), with how."""

    entry: ChecklistEntry
    item_id: str | None
    score: float
    method: str


def normalise(text: str) -> str:
    text = text.lower().replace("`", "")
    text = NOT_WORD.sub(" ", text)
    return " ".join(text.split())


def _tokens(text: str) -> set[str]:
    return {t for t in WORD_GAPS.split(text) if t and t not in STOP}


def overlap(a: str, b: str) -> float:
    """How much of the shorter text's words the other has (cheap; damped for short texts)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    value = len(ta & tb) / min(len(ta), len(tb))
    if min(len(ta), len(tb)) < 3:
        value *= 0.6
    return value * 0.95


def similarity(a: str, b: str) -> float:
    """The better of sequence similarity and word overlap."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return max(SequenceMatcher(None, a, b, autojunk=False).ratio(), overlap(a, b))


_NORMALISED: dict[str, tuple[str, ...]] = {}


def _wordings(item: CatalogItem) -> tuple[str, ...]:
    key = "\0".join(item.wordings)
    if key not in _NORMALISED:
        _NORMALISED[key] = tuple(normalise(w) for w in item.wordings)
    return _NORMALISED[key]


def score(
    entry: ChecklistEntry, item: CatalogItem, edition: str | None, cheap: bool = False
) -> tuple[float, str]:
    """Similarity plus module-tag and edition adjustments; ``cheap`` uses word overlap only."""
    text = normalise(entry.text)
    measure = overlap if cheap else similarity
    best = max(measure(text, wording) if wording != text else 1.0 for wording in _wordings(item))
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


def match_entries(entries: list[ChecklistEntry], catalog: Catalog, edition: str | None = None) -> list[Match]:
    """One Match per entry, in report order; unmatched entries keep ``item_id=None``."""
    exact: dict[str, list[CatalogItem]] = {}
    for item in catalog.items:
        for wording in _wordings(item):
            exact.setdefault(wording, []).append(item)
    candidates = []
    for index, entry in enumerate(entries):
        hits = exact.get(normalise(entry.text), [])
        if hits:  # the template's own wording: no similarity needed
            for item in hits:
                value, method = score(entry, item, edition, cheap=True)
                candidates.append((value + 1.0, index, item.id, method))
            continue
        # rank every item cheaply by word overlap, then score the front runners exactly
        ranked = sorted(
            catalog.items,
            key=lambda item: score(entry, item, edition, cheap=True)[0],
            reverse=True,
        )
        for item in ranked[:SHORTLIST]:
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
                ((score(entry, item, edition, cheap=True)[0], item.id) for item in catalog.items),
                default=(0.0, None),
            )
            method = "none"
            if value >= THRESHOLD and item_id in taken_items:
                owner = next(entries[i].line for i, a in assigned.items() if a[0] == item_id)
                method = f"duplicate of line {owner} ({item_id})"
            out.append(Match(entry, None, round(max(value, 0.0), 3), method))
    return out
