"""A new course edition's report template against the catalog: which checklist lines match
catalog items, which are new, which items of the latest edition the template dropped, and a
starting catalog for the new edition (matched items keep their rules and gain the template's
wording; new items have no rules yet, so a tick of one is ``not-verifiable``, never flagged)."""

from __future__ import annotations

import re

from verifier.catalog import Catalog, CatalogItem
from verifier.records import field, record
from verifier.report.checklist import ChecklistEntry

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


@record
class EditionCheck:
    """How a new edition's checklist compares with the catalog's items."""

    edition: str  # the new edition's name
    against: str | None  # the catalog's latest edition, what "dropped" is measured against
    matched: list[tuple[ChecklistEntry, CatalogItem, float, bool]] = field(default_factory=list)
    new: list[ChecklistEntry] = field(default_factory=list)
    dropped: list[CatalogItem] = field(default_factory=list)


def latest_edition(catalog: Catalog) -> str | None:
    editions = {e for item in catalog.items for e in item.editions}
    return max(editions) if editions else None


def check_template(entries: list[ChecklistEntry], catalog: Catalog, edition: str) -> EditionCheck:
    from verifier.catalog.matching import match_entries, normalise

    against = latest_edition(catalog)
    check = EditionCheck(edition=edition, against=against)
    seen: set[str] = set()
    for match in match_entries(entries, catalog, edition=None):
        if match.item_id is None:
            check.new.append(match.entry)
            continue
        item = catalog[match.item_id]
        exact = normalise(match.entry.text) in {normalise(w) for w in item.wordings}
        check.matched.append((match.entry, item, match.score, exact))
        seen.add(item.id)
    check.dropped = [i for i in catalog.items if against in i.editions and i.id not in seen]
    return check


def slug(text: str, taken: set[str]) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _FILLER][:4]
    base = "-".join(words) or "item"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


_FILLER = frozenset(
    {"a", "an", "and", "the", "to", "your", "you", "for", "of", "in", "on", "or", "with", "that"}
)


def starting_catalog(check: EditionCheck, entries: list[ChecklistEntry]) -> str:
    """YAML text of a catalog for the new edition, in the template's order."""
    import yaml

    by_line = {entry.line: (item, exact) for entry, item, _score, exact in check.matched}
    taken = {item.id for _e, item, _s, _x in check.matched}
    lines = [
        f"# Catalog for the {check.edition} edition, started by `verify catalog check`.",
        "# Items matched to the previous catalog keep its rules; items marked NEW have none yet:",
        "# until kinds are added (see `verify --list-probes`), a tick of one is not-verifiable.",
    ]
    if check.dropped:
        lines.append(
            f"# Items of {check.against} this template no longer has: "
            + ", ".join(i.id for i in check.dropped)
        )
    lines += ["version: 1", "items:"]
    for entry in entries:
        if entry.line in by_line:
            item, exact = by_line[entry.line]
            data = _item_data(item, check.edition, entry, exact)
        else:
            lines.append(f"  # NEW (template line {entry.line}): no rules yet")
            data = {
                "id": slug(entry.text, taken),
                "modules": list(entry.modules),
                "week": entry.week or "extra",
                "editions": [check.edition],
                "wordings": [entry.text],
                "strong": [],
                "remediation": "",
            }
        dumped = yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=100)
        lines += ["  " + line if line else line for line in dumped.rstrip("\n").split("\n")]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _item_data(item: CatalogItem, edition: str, entry: ChecklistEntry, exact: bool) -> dict[str, Any]:
    wordings = list(item.wordings)
    if not exact:
        wordings.insert(0, entry.text)
    data: dict[str, Any] = {
        "id": item.id,
        "modules": list(entry.modules or item.modules),
        "week": entry.week or item.week,
        "editions": sorted({*item.editions, edition}),
        "wordings": wordings,
    }
    if not item.verifiable:
        data["verifiable"] = False
    if item.strong:
        data["strong"] = [
            req.kinds[0] if len(req.kinds) == 1 else {"all": list(req.kinds)} for req in item.strong
        ]
    for key in ("weak", "contradicts", "indirect", "notes", "files"):
        value = getattr(item, key)
        if value:
            data[key] = list(value)
    data["remediation"] = item.remediation
    return data


def describe(check: EditionCheck, template: str) -> str:
    """The plain-text account of a check."""
    total = len(check.matched) + len(check.new)
    out = [
        f"{template}: {total} checklist lines; {len(check.matched)} match catalog items, "
        f"{len(check.new)} new; {len(check.dropped)} item(s) of {check.against} dropped",
        "",
        f"Matched ({len(check.matched)}):",
    ]
    for entry, item, score, exact in check.matched:
        how = "same wording" if exact else f"edited wording, similarity {score:.2f}"
        out.append(f"  line {entry.line:<4} {item.id:<26} {_clip(entry.text, 60)}  ({how})")
    out.append(f"New ({len(check.new)}): no catalog item matches")
    for entry in check.new:
        tag = f" ({'+'.join(entry.modules)})" if entry.modules else ""
        out.append(f"  line {entry.line:<4} {_clip(entry.text, 70)}{tag}")
    out.append(f"Dropped ({len(check.dropped)}): items of {check.against} the template no longer has")
    for item in check.dropped:
        out.append(f"  {item.id:<26} {_clip(item.title, 60)}")
    return "\n".join(out) + "\n"


def _clip(text: str, limit: int) -> str:
    """Template text on one line, control characters escaped, at most ``limit`` characters."""
    from verifier.safe_text import printable

    text = printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
