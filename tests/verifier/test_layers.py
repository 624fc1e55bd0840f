"""Layers point one way: reading knows nothing of probes or verdicts, probes know nothing of
verdicts or rendering, the verifier core and the renderers never import a built-in probe."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# folder -> module prefixes its code must never import
FORBIDDEN = {
    "verifier": ("probes",),
    "verifier/repo": (
        "probes",
        "verifier.probe",
        "verifier.engine",
        "verifier.verdicts",
        "verifier.render",
        "verifier.run",
        "verifier.answers",
        "verifier.catalog",
        "verifier.code_evidence",
        "verifier.result",
    ),
    "probes": (
        "verifier.verdicts",
        "verifier.run",
        "verifier.render",
        "verifier.result",
        "verifier.catalog",
        "verifier.answers",
        "verifier.engine",
    ),
}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _forbidden(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_module_imports_against_the_layers(folder):
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files
    crossing = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if _forbidden(m, FORBIDDEN[folder])
        )
        for path in files
    }
    assert {path: modules for path, modules in crossing.items() if modules} == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from probes.git import PROBE\n    import verifier.run\n")
    assert imported_modules(sample) == {"probes.git", "verifier.run"}
    assert _forbidden("probes.git", ("probes",)) and not _forbidden("probesx", ("probes",))
