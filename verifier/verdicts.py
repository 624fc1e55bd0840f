"""Catalog rules over findings: one verdict per checklist item, with the reason for it.

Verdicts for a ticked (or partially ticked) item:
  supported       strong evidence meets one of the item's ``strong`` rules
  weak            only weak evidence (a hint, a template default, part of a combined rule)
  unsupported     nothing the probes found supports it
  contradicted    the repository shows the claim false as stated
  not-verifiable  the repository cannot show it (people, cloud consoles); indirect signals shown
  no-probe-yet    no probe looks for the evidence this item needs yet
For an unticked item: ``evidence-not-claimed`` when strong evidence exists, else ``not-claimed``.
A report line that matches no catalog item is ``unmatched``.
"""

from __future__ import annotations

from verifier.catalog import DECLARED_KIND, Catalog, CatalogItem
from verifier.evidence import INFORMATIONAL, STRONG, WEAK, Finding
from verifier.records import field, record

SUPPORTED = "supported"
WEAK_VERDICT = "weak"
UNSUPPORTED = "unsupported"
CONTRADICTED = "contradicted"
NOT_VERIFIABLE = "not-verifiable"
NO_PROBE_YET = "no-probe-yet"
EVIDENCE_NOT_CLAIMED = "evidence-not-claimed"
NOT_CLAIMED = "not-claimed"
UNMATCHED = "unmatched"

VERDICTS = (
    SUPPORTED,
    WEAK_VERDICT,
    UNSUPPORTED,
    CONTRADICTED,
    NOT_VERIFIABLE,
    NO_PROBE_YET,
    EVIDENCE_NOT_CLAIMED,
    NOT_CLAIMED,
    UNMATCHED,
)
FLAGGED = frozenset({UNSUPPORTED, CONTRADICTED})  # ticks a grader would question: exit status 1
QUESTIONABLE = FLAGGED | {WEAK_VERDICT}
# the verdicts of a tick that set exit status 1, for each ``fail-on`` setting
FAILING = {
    "contradicted": frozenset({CONTRADICTED}),
    "unsupported": FLAGGED,
    "weak": QUESTIONABLE,
}

MAX_EVIDENCE = 12


@record
class ItemVerdict:
    """The verdict on one checklist item: the claim, the evidence weighed and why."""

    item_id: str | None
    modules: tuple[str, ...]
    week: str | None
    text: str
    report_line: int
    mark: str
    state: str  # ticked / unticked / partial
    verdict: str
    reason: str
    remediation: str = ""
    evidence: list[tuple[str, Finding]] = field(default_factory=list)  # (role, finding)
    match_score: float = 0.0
    excused: str | None = None  # the repository's reason for excusing the item, if it does

    @property
    def claimed(self) -> bool:
        return self.state != "unticked"

    def best_evidence(self) -> Finding | None:
        for role in ("supports", "contradicts", "weak", "indirect", "note"):
            for r, finding in self.evidence:
                if r == role:
                    return finding
        return None


def decide(
    item: CatalogItem,
    state: str,
    findings_by_kind: dict[str, list[Finding]],
    probed_kinds: set[str],
) -> tuple[str, str, list[tuple[str, Finding]]]:
    """(verdict, reason, evidence with roles) for one catalog item."""
    strong_of = {
        k: [f for f in findings_by_kind.get(k, []) if f.strength == STRONG]
        for req in item.strong
        for k in req.kinds
    }
    met = [req for req in item.strong if all(strong_of[k] for k in req.kinds)]
    evidence: list[tuple[str, Finding]] = []
    for req in met:
        for kind in req.kinds:
            evidence += [("supports", f) for f in strong_of[kind]]
    contradicting = [f for k in item.contradicts for f in findings_by_kind.get(k, [])]
    evidence += [("contradicts", f) for f in contradicting]
    weak_found = _weak_evidence(item, findings_by_kind, strong_of, met)
    evidence += [("weak", f) for f in weak_found]
    indirect = [f for k in item.indirect for f in findings_by_kind.get(k, [])]
    evidence += [("indirect", f) for f in indirect]
    evidence = _dedupe(evidence)[:MAX_EVIDENCE]
    evidence += [("note", f) for k in item.notes for f in findings_by_kind.get(k, [])]

    claimed = state != "unticked"
    all_kinds = item.all_kinds()
    strong_kinds = {k for req in item.strong for k in req.kinds}
    unprobed = sorted((strong_kinds | set(item.weak)) - probed_kinds)

    if not claimed:
        if met and not contradicting:
            return EVIDENCE_NOT_CLAIMED, f"not ticked, yet {_describe(evidence[0][1])}", evidence
        return NOT_CLAIMED, "not ticked", evidence
    if contradicting:
        return CONTRADICTED, f"the repository contradicts it: {_describe(contradicting[0])}", evidence
    if met:
        return SUPPORTED, _describe(evidence[0][1]), evidence
    if not item.verifiable:
        signal = f"; indirect signal: {_describe(indirect[0])}" if indirect else ""
        return NOT_VERIFIABLE, f"a repository cannot show this{signal}", evidence
    if weak_found:
        return WEAK_VERDICT, f"only weak evidence: {_describe(weak_found[0])}", evidence
    if all_kinds and not (all_kinds & probed_kinds):
        return NO_PROBE_YET, "no probe looks for this item's evidence yet", evidence
    if unprobed:
        return (
            NO_PROBE_YET,
            "nothing found by the probes that exist; no probe yet for " + ", ".join(unprobed),
            evidence,
        )
    if not item.strong:
        return NOT_VERIFIABLE, "the catalog names no evidence for this item", evidence
    return UNSUPPORTED, "no evidence found: looked for " + _looked_for(item), evidence


def _weak_evidence(
    item: CatalogItem,
    by_kind: dict[str, list[Finding]],
    strong_of: dict[str, list[Finding]],
    met: list,
) -> list[Finding]:
    if met:
        return []
    out: list[Finding] = []
    # a tool the project declares but nothing shows configured, imported or run
    out += [f for f in by_kind.get(DECLARED_KIND, []) if f.data.get("package") in item.packages]
    # weak-strength findings of strong kinds (a template default, a stub), and parts of rules
    for req in item.strong:
        for kind in req.kinds:
            out += [f for f in by_kind.get(kind, []) if f.strength == WEAK]
            if len(req.kinds) > 1:
                out += strong_of[kind]
    for kind in item.weak:
        out += by_kind.get(kind, [])
    return [f for f in out if INFORMATIONAL not in f.flags]


def _dedupe(evidence: list[tuple[str, Finding]]) -> list[tuple[str, Finding]]:
    seen: set[tuple] = set()
    out = []
    for role, f in evidence:
        key = (f.kind, f.path, f.line, f.snippet)
        if key not in seen:
            seen.add(key)
            out.append((role, f))
    return out


def _describe(finding: Finding) -> str:
    text = finding.message or finding.snippet or finding.kind
    return f"{text} ({finding.location})" if finding.path else text


def _looked_for(item: CatalogItem) -> str:
    rules = [req.describe() for req in item.strong] + list(item.weak)
    return ", ".join(rules)


def index_findings(findings: list[Finding]) -> dict[str, list[Finding]]:
    by_kind: dict[str, list[Finding]] = {}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    for values in by_kind.values():
        # the best evidence first: strong before weak, then the probe's own ranking (0 best)
        values.sort(key=lambda f: (f.strength != STRONG, f.data.get("rank", 0), f.path or "", f.line or 0))
    return by_kind


def judge(matches: list, catalog: Catalog, findings: list[Finding], probed_kinds: set[str]):
    """One :class:`ItemVerdict` per checklist entry (a Match from catalog.matching)."""
    by_kind = index_findings(findings)
    verdicts = []
    for match in matches:
        entry = match.entry
        as_written = dict(
            text=entry.text,
            report_line=entry.line,
            mark=entry.raw_mark,
            state=entry.state,
            match_score=match.score,
        )
        if match.item_id is None or match.item_id not in catalog.by_id:
            verdicts.append(
                ItemVerdict(
                    item_id=None,
                    modules=entry.modules,
                    week=entry.week,
                    verdict=UNMATCHED,
                    reason="matches no catalog item: kept as written, not verified",
                    **as_written,
                )
            )
            continue
        item = catalog[match.item_id]
        verdict, reason, evidence = decide(item, entry.state, by_kind, probed_kinds)
        if entry.state == "partial":
            reason = f"partly ticked [{entry.raw_mark}], verified as a claim: {reason}"
        remediation = item.remediation if verdict in QUESTIONABLE | {NO_PROBE_YET} else ""
        verdicts.append(
            ItemVerdict(
                item_id=item.id,
                modules=item.modules,
                week=item.week,
                verdict=verdict,
                reason=reason,
                remediation=remediation,
                evidence=evidence,
                **as_written,
            )
        )
    return verdicts
