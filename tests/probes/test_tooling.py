"""The tooling probe."""

from __future__ import annotations

from probes.tooling import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, TEMPLATE_DEFAULT, WEAK

PYPROJECT = """\
[project]
name = "p"

[tool.ruff]
line-length = 100

[tool.mypy]
strict = true

[tool.coverage.run]
source = ["src"]
"""


def test_linter_typechecker_and_coverage_configuration(make_view):
    found = kinds(
        run(PROBE, make_view({"pyproject.toml": PYPROJECT, ".flake8": "[flake8]\nmax-line-length = 100\n"}))
    )
    assert [f.line for f in found["style.linter-config"] if f.path == "pyproject.toml"] == [4]
    assert found["style.typecheck-config"][0].line == 7
    assert found["coverage.config"][0].line == 10
    assert any(f.path == ".flake8" for f in found["style.linter-config"])


def test_invoke_tasks_own_and_template(make_view):
    own = "from invoke import task\n\n\n@task\ndef train(c):\n    c.run('python train.py')\n\n\n@task\ndef sweep(c):\n    c.run('docker build -t x .')\n"
    found = kinds(run(PROBE, make_view({"tasks.py": own})))
    assert found["tasks.invoke"][0].line == 9 and "sweep" in found["tasks.invoke"][0].message
    assert found["tasks.docker-build"][0].line == 11
    template = (
        "from invoke import task\n\n\n@task\ndef train(c):\n    pass\n\n\n@task\ndef test(c):\n    pass\n"
    )
    [finding] = kinds(run(PROBE, make_view({"tasks.py": template})))["tasks.invoke"]
    assert finding.strength == WEAK and TEMPLATE_DEFAULT in finding.flags


def test_makefile_targets(make_view):
    found = kinds(
        run(
            PROBE,
            make_view(
                {
                    "Makefile": "clean:\n\trm -rf x\n\nserve:\n\tuvicorn app:app\n\ncov:\n\tcoverage run -m pytest\n"
                }
            ),
        )
    )
    assert "serve" in found["tasks.makefile"][0].message
    assert found["tasks.coverage"][0].line == 8


def test_docs_site_with_pages_and_stub(make_view):
    page = "# Usage\n\n" + "word " * 100
    found = kinds(
        run(
            PROBE,
            make_view({"docs/mkdocs.yml": "site_name: x\ndocs_dir: source\n", "docs/source/index.md": page}),
        )
    )
    assert found["docs.site"][0].strength != WEAK
    stub = kinds(
        run(
            PROBE,
            make_view(
                {"docs/mkdocs.yml": "site_name: x\ndocs_dir: source\n", "docs/source/index.md": "# Docs\n"}
            ),
        )
    )
    assert stub["docs.site"][0].strength == WEAK
    readme = kinds(run(PROBE, make_view({"README.md": "# x\n"})))
    assert readme["docs.readme-only"][0].strength == WEAK


def test_profiling_output_committed(make_view):
    found = kinds(run(PROBE, make_view({"reports/profile/train.prof": b"\x00binary"})))
    assert found["profiling.artifact"][0].path == "reports/profile/train.prof"


def test_docs_evidence_points_at_the_group_s_own_pages(make_view):
    files = {
        "mkdocs.yml": "site_name: x\ndocs_dir: site-docs\n",
        "site-docs/index.md": "# Home\n",
        "site-docs/usage.md": "# Usage\n\n" + "word " * 80,
        "reports/README.md": "word " * 500,
    }
    [finding] = kinds(run(PROBE, make_view(files)))["docs.site"]
    assert finding.path == "site-docs/usage.md" and "2 page(s)" in finding.message


def test_documentation_beside_a_stub_site_counts(make_view):
    files = {
        "docs/mkdocs.yaml": "site_name: x\ndocs_dir: source\n",
        "docs/source/index.md": "# Docs\n",
        "docs/deploy.md": "# Deploying\n\n" + "word " * 120,
    }
    [finding] = kinds(run(PROBE, make_view(files)))["docs.site"]
    assert finding.strength != WEAK and finding.path == "docs/deploy.md"


def test_the_templates_ruff_section_in_a_changed_pyproject_is_still_its_default(make_view):
    project = '[project]\nname = "sorter"\ndependencies = ["torch", "fastapi"]\n\n'
    default = kinds(run(PROBE, make_view({"pyproject.toml": project + "[tool.ruff]\nline-length = 120\n"})))
    [linter] = default["style.linter-config"]
    assert linter.strength == WEAK and TEMPLATE_DEFAULT in linter.flags
    own = project + '[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = ["E", "F", "I"]\n'
    assert kinds(run(PROBE, make_view({"pyproject.toml": own})))["style.linter-config"][0].strength == STRONG
