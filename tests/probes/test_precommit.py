"""The pre-commit probe."""

from __future__ import annotations

from probes.precommit import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, TEMPLATE_DEFAULT, WEAK

TEMPLATE = """\
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v3.2.0
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
    -   id: check-yaml
    -   id: check-added-large-files
"""
OWN = (
    TEMPLATE
    + """\
-   repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.8.0
    hooks:
    -   id: ruff
    -   id: ruff-format
-   repo: https://github.com/pre-commit/mirrors-mypy
    rev: v1.13.0
    hooks:
    -   id: mypy
ci:
    autofix_prs: true
"""
)


def test_own_hooks_are_strong_with_lint_and_typecheck(make_view):
    found = kinds(run(PROBE, make_view({".pre-commit-config.yaml": OWN})))
    assert found["precommit.config"][0].strength == STRONG
    assert [f.line for f in found["precommit.lint-hook"]] == [12, 13]
    assert found["precommit.typecheck-hook"][0].line == 17
    assert found["precommit.ci-section"][0].strength == WEAK


def test_unchanged_template_config_is_weak(make_view):
    [finding] = run(PROBE, make_view({".pre-commit-config.yaml": TEMPLATE}))
    assert finding.strength == WEAK and TEMPLATE_DEFAULT in finding.flags
    assert finding.line == 5


def test_absent_or_empty_config(make_view):
    assert run(PROBE, make_view({"README.md": "x"})) == []
    assert run(PROBE, make_view({".pre-commit-config.yaml": "repos: []\n"})) == []


def test_broken_config_is_a_notice(make_view):
    view = make_view({".pre-commit-config.yaml": "repos:\n  - repo: [\n"})
    assert run(PROBE, view) == []
    assert any(n.path == ".pre-commit-config.yaml" for n in view.notices)


def test_a_config_away_from_the_repository_top_is_never_used(make_view):
    config = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.0\n    hooks:\n      - id: ruff\n"
    found = kinds(run(PROBE, make_view({".github/workflows/.pre-commit-config.yaml": config})))
    [hooks] = found["precommit.config"]
    assert hooks.strength == WEAK and "never reads" in hooks.message
    assert "precommit.lint-hook" not in found
    at_top = kinds(run(PROBE, make_view({".pre-commit-config.yaml": config})))
    assert at_top["precommit.config"][0].strength == STRONG
