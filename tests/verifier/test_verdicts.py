"""Catalog rules over findings: each verdict, and what decides between them."""

from __future__ import annotations

from verifier.catalog import CatalogItem, Requirement
from verifier.evidence import INFORMATIONAL, STRONG, WEAK, Finding
from verifier.verdicts import (
    CONTRADICTED,
    EVIDENCE_NOT_CLAIMED,
    NO_PROBE_YET,
    NOT_CLAIMED,
    NOT_VERIFIABLE,
    SUPPORTED,
    UNSUPPORTED,
    WEAK_VERDICT,
    decide,
    index_findings,
)


def item(**kw) -> CatalogItem:
    base = dict(
        id="x", modules=("M1",), week="1", editions=("2024-12",), wordings=("Do x",), remediation="Commit x."
    )
    base.update(kw)
    return CatalogItem(**base)


def f(kind: str, strength: str = STRONG, flags=(), path="a.yaml", line=3) -> Finding:
    return Finding(
        probe="p",
        kind=kind,
        path=path,
        line=line,
        snippet=f"{kind} here",
        strength=strength,
        message=f"{kind} found",
        flags=tuple(flags),
    )


ALL = {"a", "b", "w", "c", "i"}


def run(it, state, findings, probed=ALL):
    return decide(it, state, index_findings(findings), probed)


def test_strong_evidence_supports_a_tick_and_names_its_location():
    verdict, reason, evidence = run(item(strong=(Requirement(("a",)),)), "ticked", [f("a")])
    assert verdict == SUPPORTED
    assert "a.yaml:3" in reason
    assert evidence[0][0] == "supports"


def test_no_evidence_is_unsupported_and_says_what_was_looked_for():
    verdict, reason, _ = run(item(strong=(Requirement(("a",)),), weak=("w",)), "ticked", [])
    assert verdict == UNSUPPORTED
    assert "a" in reason and "w" in reason


def test_weak_kind_gives_weak():
    verdict, _, evidence = run(item(strong=(Requirement(("a",)),), weak=("w",)), "ticked", [f("w")])
    assert verdict == WEAK_VERDICT
    assert [role for role, _ in evidence] == ["weak"]


def test_weak_strength_finding_of_a_strong_kind_gives_weak():
    finding = f("a", strength=WEAK, flags=("template-default",))
    verdict, reason, _ = run(item(strong=(Requirement(("a",)),)), "ticked", [finding])
    assert verdict == WEAK_VERDICT
    assert "only weak evidence" in reason


def test_combined_rule_needs_every_kind():
    it = item(strong=(Requirement(("a", "b")),))
    assert run(it, "ticked", [f("a")])[0] == WEAK_VERDICT
    assert run(it, "ticked", [f("a"), f("b")])[0] == SUPPORTED


def test_contradiction_wins_over_absence_and_is_cited():
    it = item(strong=(Requirement(("a",)),), contradicts=("c",))
    verdict, reason, evidence = run(it, "ticked", [f("c")])
    assert verdict == CONTRADICTED
    assert ("contradicts", evidence[0][1]) == evidence[0]
    assert "contradicts" in reason


def test_unticked_item_with_strong_evidence_is_evidence_not_claimed():
    it = item(strong=(Requirement(("a",)),))
    assert run(it, "unticked", [f("a")])[0] == EVIDENCE_NOT_CLAIMED
    assert run(it, "unticked", [f("a", strength=WEAK)])[0] == NOT_CLAIMED
    assert run(it, "unticked", [])[0] == NOT_CLAIMED


def test_partial_mark_is_judged_as_a_claim():
    it = item(strong=(Requirement(("a",)),))
    assert run(it, "partial", [])[0] == UNSUPPORTED


def test_unverifiable_item_is_never_unsupported_and_shows_indirect_signal():
    it = item(verifiable=False, indirect=("i",))
    verdict, reason, evidence = run(it, "ticked", [f("i", flags=(INFORMATIONAL,))])
    assert verdict == NOT_VERIFIABLE
    assert "indirect" in reason
    assert evidence[0][0] == "indirect"
    assert run(it, "ticked", [])[0] == NOT_VERIFIABLE


def test_unverifiable_item_with_committed_configuration_is_supported():
    it = item(verifiable=False, strong=(Requirement(("a",)),))
    assert run(it, "ticked", [f("a")])[0] == SUPPORTED


def test_item_whose_kinds_no_probe_emits_says_no_probe_yet():
    it = item(strong=(Requirement(("zzz",)),))
    verdict, reason, _ = run(it, "ticked", [], probed={"a"})
    assert verdict == NO_PROBE_YET


def test_partly_probed_item_without_evidence_is_no_probe_yet_not_unsupported():
    it = item(strong=(Requirement(("a",)), Requirement(("zzz",))))
    verdict, reason, _ = run(it, "ticked", [], probed={"a"})
    assert verdict == NO_PROBE_YET
    assert "zzz" in reason
    # but evidence from the probed part still supports it
    assert run(it, "ticked", [f("a")], probed={"a"})[0] == SUPPORTED
