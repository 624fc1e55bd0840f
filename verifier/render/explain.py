"""Plain-text views of the catalog and the probes: `--list-probes` and `--explain ITEM`."""

from __future__ import annotations

from verifier.catalog import Catalog, CatalogItem
from verifier.registry import Registry


def list_probes(registry: Registry, catalog: Catalog) -> str:
    lines = []
    for probe in registry.probes:
        lines.append(f"{probe.id}: {probe.description}")
        for kind in probe.kinds:
            items = [i.id for i in catalog.items if kind in i.all_kinds()]
            lines.append(f"    {kind:<34} -> {', '.join(items) or '(no catalog item)'}")
    for error in registry.errors:
        lines.append(f"{error.source}: {error.message}")
    probed = registry.kinds()
    missing = [i.id for i in catalog.items if i.all_kinds() and not (i.all_kinds() & probed)]
    if missing:
        lines.append("")
        lines.append("Items no probe covers yet (verdict no-probe-yet): " + ", ".join(missing))
    return "\n".join(lines) + "\n"


def explain_item(item: CatalogItem, registry: Registry) -> str:
    probed = registry.kinds()

    def who(kind: str) -> str:
        probes = [p.id for p in registry.probes if kind in p.kinds]
        return f"{kind} (probe: {', '.join(probes)})" if probes else f"{kind} (no probe yet)"

    lines = [
        f"{item.id}: {item.title}",
        f"  modules: {item.module_tag or '-'}   week: {item.week}   editions: {', '.join(item.editions)}",
        f"  verifiable: {'yes' if item.verifiable else 'no'}",
    ]
    if item.strong:
        lines.append("  supported when any of:")
        lines += ["    - " + " + ".join(who(k) for k in req.kinds) for req in item.strong]
    for label, kinds in (
        ("weak", item.weak),
        ("contradicted by", item.contradicts),
        ("indirect signals", item.indirect),
    ):
        if kinds:
            lines.append(f"  {label}:")
            lines += [f"    - {who(k)}" for k in kinds]
    if item.packages:
        lines.append(f"  weak when only declared: {', '.join(item.packages)} ({who('dependency.declared')})")
    if item.answers:
        lines.append("  contradicted when the report's answer denies it:")
        lines.append(f"    - questions whose prompt has: {', '.join(item.answers.questions)}")
        lines.append(f"    - words naming it: {', '.join(item.answers.words)}")
        if item.answers.not_about:
            lines.append(f"    - clauses about something else: {', '.join(item.answers.not_about)}")
    lines.append(f"  what would count as evidence: {item.remediation}")
    if item.all_kinds() and not (item.all_kinds() & probed):
        lines.append("  no probe covers this item yet: a tick gets the verdict no-probe-yet")
    lines.append("  wordings matched in reports:")
    lines += [f"    - {w}" for w in item.wordings]
    return "\n".join(lines) + "\n"
