"""Probe isolation and probe discovery through entry points."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from verifier.engine import run_probes
from verifier.evidence import Finding
from verifier.probe import Probe
from verifier.registry import discover


def _probe(probe_id: str, run) -> Probe:
    return Probe(id=probe_id, description="test probe", kinds=("t.kind",), run=run)


def test_a_crashing_probe_keeps_the_other_probes_findings(make_view):
    view = make_view({"a.txt": "a"})

    def good(v):
        yield GOOD.finding("t.kind", "a.txt", 1, "a")

    def bad(v):
        yield BAD.finding("t.kind", "a.txt", 1, "before the crash")
        raise RuntimeError("boom")

    GOOD, BAD = _probe("good", good), _probe("bad", bad)
    result = run_probes(view, [BAD, GOOD])
    assert [f.probe for f in result.findings] == ["bad", "good"]
    [error] = result.errors
    assert error.source == "bad" and "RuntimeError: boom" in error.message
    assert set(result.timings) == {"bad", "good"}


def test_a_probe_yielding_something_else_is_an_error(make_view):
    result = run_probes(make_view({"a": "a"}), [_probe("odd", lambda v: ["not a finding"])])
    assert result.findings == []
    assert "not a Finding" in result.errors[0].message


def test_undeclared_kind_is_refused():
    probe = _probe("p", lambda v: [])
    with pytest.raises(ValueError, match="undeclared"):
        probe.finding("other.kind", None, None, "x")


def test_finding_snippets_are_clipped_to_one_line():
    finding = Finding("p", "k", "f", 1, "line one\nline two " + "x" * 500)
    assert "\n" not in finding.snippet and len(finding.snippet) <= 160


def test_built_in_probes_load_through_the_entry_point_group():
    registry = discover()
    ids = {p.id for p in registry.probes}
    assert {"git", "dockerfiles", "workflows", "pre-commit", "hydra", "wandb", "dvc", "cloudbuild"} <= ids
    assert registry.errors == []


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch):
    """A third-party distribution on sys.path that registers a probe by entry point."""
    site = tmp_path / "site"
    (site / "thirdparty_probe").mkdir(parents=True)
    (site / "thirdparty_probe" / "__init__.py").write_text(
        textwrap.dedent("""
        from verifier.probe import Probe

        def _run(view):
            for path in view.glob("*.toml"):
                yield PROBE.finding("thirdparty.toml", path, 1, view.line_text(path, 1))

        PROBE = Probe(id="thirdparty", description="finds TOML files",
                      kinds=("thirdparty.toml",), run=_run)
        BROKEN = "not a probe"
    """)
    )
    dist = site / "thirdparty_probe-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: thirdparty-probe\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[mlops_verifier.probes]\n"
        "thirdparty = thirdparty_probe:PROBE\n"
        "broken = thirdparty_probe:BROKEN\n"
        "missing = thirdparty_probe_missing:PROBE\n"
    )
    monkeypatch.syspath_prepend(str(site))
    yield
    sys.modules.pop("thirdparty_probe", None)


def test_a_pip_installed_package_adds_a_probe_without_touching_the_project(installed_plugin, make_view):
    registry = discover()
    assert "thirdparty" in {p.id for p in registry.probes}
    errors = {e.source: e.message for e in registry.errors}
    assert "not a verifier.probe.Probe" in errors["broken"]
    assert "failed to load" in errors["missing"]
    probe = next(p for p in registry.probes if p.id == "thirdparty")
    result = run_probes(make_view({"pyproject.toml": "[project]\nname = 'x'\n"}), [probe])
    assert [(f.kind, f.path, f.snippet) for f in result.findings] == [
        ("thirdparty.toml", "pyproject.toml", "[project]")
    ]


def test_only_restricts_the_probes_loaded():
    registry = discover(only={"git"})
    assert [p.id for p in registry.probes] == ["git"]


def test_every_catalog_evidence_kind_has_a_probe():
    from verifier.catalog import load_catalog

    probed = discover().kinds()
    missing = {
        item.id: sorted(item.all_kinds() - probed)
        for item in load_catalog().items
        if item.all_kinds() - probed
    }
    assert missing == {}


def test_entry_points_are_read_as_importlib_metadata_reads_them(installed_plugin):
    from importlib.metadata import entry_points as metadata_entry_points

    from verifier.registry import entry_points

    for group in ("mlops_verifier.probes", "console_scripts"):
        ours = sorted((ep.name, ep.value) for ep in entry_points(group))
        theirs = sorted((ep.name, ep.value) for ep in metadata_entry_points(group=group))
        assert ours == theirs and ours


def test_start_up_is_loaded_once_and_shown_in_the_timings(tmp_path):
    from verifier.startup import load_startup

    first = load_startup(only={"git"})
    again = load_startup(only={"git"})
    assert again.catalog is first.catalog and again.registry is first.registry
    assert set(first.timings) == {"catalog", "probe discovery"}
    assert again.timings == {"catalog": 0.0, "probe discovery": 0.0}


def test_the_checked_catalog_is_cached_by_content(tmp_path, monkeypatch):
    import verifier.catalog as catalog_module

    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    built_in = catalog_module.load_catalog()
    assert list((tmp_path / "catalogs").glob("*.pickle"))

    def fail(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(catalog_module, "_parse", fail)
    cached = catalog_module.load_catalog()
    assert cached.items == built_in.items and cached.source == "built-in"
    mine = tmp_path / "mine.yaml"
    mine.write_text("items:\n  - id: x\n    wordings: [Do x]\n    week: '1'\n", encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    assert [i.id for i in catalog_module.load_catalog(mine).items] == ["x"]
    mine.write_text("items:\n  - id: y\n    wordings: [Do y]\n    week: '1'\n", encoding="utf-8")
    assert [i.id for i in catalog_module.load_catalog(mine).items] == ["y"]  # a changed file is read anew
