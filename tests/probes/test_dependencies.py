"""Declared dependencies, shared by probes."""

from __future__ import annotations

from probes.dependencies import declared_dependencies, declares, normalise


def test_every_declaration_format(make_view):
    view = make_view(
        {
            "requirements.txt": "# comment\n-r base.txt\nTorch==2.3\nhttps://x/y.whl\nscikit_learn>=1\n",
            "requirements_dev.txt": "pytest\n",
            "pyproject.toml": (
                "[project]\nname='x'\ndependencies=['typer>=0.9']\n"
                "[project.optional-dependencies]\ndev=['ruff']\n"
                "[dependency-groups]\ntest=['coverage']\n"
                "[tool.poetry.dependencies]\npython='^3.11'\nfastapi='*'\n"
            ),
            "environment.yml": "dependencies:\n  - numpy\n  - pip:\n    - wandb\n",
        }
    )
    deps = declared_dependencies(view)
    for name in ("torch", "scikit-learn", "pytest", "typer", "ruff", "coverage", "fastapi", "numpy", "wandb"):
        assert name in deps, name
    assert "python" not in deps
    assert deps["torch"] == ("requirements.txt", 3)
    assert declares(view, "Scikit_Learn") == ("requirements.txt", 5)


def test_results_are_computed_once_per_view(make_view):
    view = make_view({"requirements.txt": "torch\n"})
    assert declared_dependencies(view) is declared_dependencies(view)


def test_broken_pyproject_is_a_notice(make_view):
    view = make_view({"pyproject.toml": "[project\nname=", "requirements.txt": "torch\n"})
    assert "torch" in declared_dependencies(view)
    assert any(n.path == "pyproject.toml" for n in view.notices)


def test_normalise():
    assert normalise("Hydra_Core") == normalise("hydra.core") == "hydra-core"
