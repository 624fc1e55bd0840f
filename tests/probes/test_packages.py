"""A tool declared but never seen run: the `declared` probe and the catalog's ``packages``."""

from __future__ import annotations

from probes.packages import KIND, PROBE
from tests.probes.helpers import run
from verifier.catalog import load_catalog
from verifier.evidence import DEPENDENCY_ONLY, WEAK
from verifier.verdicts import UNSUPPORTED, WEAK_VERDICT, decide, index_findings


def _verdict(item_id: str, findings) -> str:
    item = load_catalog()[item_id]
    return decide(item, "ticked", index_findings(findings), item.all_kinds())[0]


def test_declared_packages_are_weak_findings_at_their_declaration(make_view):
    view = make_view({"requirements.txt": "torch==2.1\nTorch_Model.Archiver>=0.9\npytest-cov\n"})
    found = {f.data["package"]: f for f in run(PROBE, view)}
    archiver = found["torch-model-archiver"]
    assert (archiver.path, archiver.line, archiver.strength) == ("requirements.txt", 2, WEAK)
    assert DEPENDENCY_ONLY in archiver.flags


def test_a_tool_declared_but_never_run_is_weak_not_unsupported(make_view):
    view = make_view({"requirements.txt": "coverage\ntorch-model-archiver\n"})
    findings = run(PROBE, view)
    assert _verdict("coverage", findings) == WEAK_VERDICT
    assert _verdict("torchserve", findings) == WEAK_VERDICT
    # a package the catalog does not name for the item changes nothing
    assert _verdict("load-test", findings) == UNSUPPORTED


def test_every_declared_kind_named_by_the_catalog_is_this_probes():
    catalog = load_catalog()
    assert any(item.packages for item in catalog.items)
    assert all(KIND in item.all_kinds() for item in catalog.items if item.packages)
    assert KIND in PROBE.kinds
