"""The workflows probe and the workflow model."""

from __future__ import annotations

from probes.workflows import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, WEAK

MATRIX = """\
name: Tests
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest]
        python-version: ["3.11"]
        include:
          - os: windows-latest
            python-version: "3.12"
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
          cache: pip
      - run: pip install -e .
      - name: Test
        run: coverage run -m pytest tests/
      - run: ruff check .
      - run: mypy src
"""

SINGLE = """\
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pytest
"""


def test_matrix_with_include_entries_and_matrix_os(make_view):
    found = kinds(run(PROBE, make_view({".github/workflows/tests.yaml": MATRIX})))
    [matrix] = found["ci.matrix"]
    assert matrix.data["os"] == ["ubuntu", "windows"]
    assert matrix.data["python"] == ["3.11", "3.12"]
    assert matrix.line == 9 and matrix.snippet == "matrix:"
    assert found["ci.tests"][0].line == 23  # the `run:` line of the test step
    assert found["ci.cache"][0].message.endswith("setup-python caches pip")
    assert found["ci.coverage"] and found["ci.lint"] and found["ci.typecheck"]
    assert "ci.single-platform-no-cache" not in found


def test_one_os_one_python_without_cache_contradicts_the_matrix_claim(make_view):
    found = kinds(run(PROBE, make_view({".github/workflows/ci.yml": SINGLE})))
    assert "ci.matrix" not in found and "ci.cache" not in found
    [contra] = found["ci.single-platform-no-cache"]
    assert "ubuntu" in contra.snippet and "3.11" in contra.snippet
    assert found["ci.tests"][0].strength == STRONG


def test_cache_without_matrix_is_not_a_contradiction(make_view):
    text = SINGLE.replace('python-version: "3.11"', 'python-version: "3.11"\n          cache: pip')
    found = kinds(run(PROBE, make_view({".github/workflows/ci.yml": text})))
    assert "ci.cache" in found and "ci.single-platform-no-cache" not in found


def test_setup_uv_caches_by_default_from_v5(make_view):
    def cache(version: str, extra: str = "") -> list:
        text = SINGLE.replace("actions/setup-python@v5", f"astral-sh/setup-uv@{version}")
        text = text.replace('python-version: "3.11"', 'python-version: "3.11"' + extra)
        return kinds(run(PROBE, make_view({".github/workflows/ci.yml": text}))).get("ci.cache", [])

    assert cache("v4") == []
    assert "by default" in cache("v6")[0].message
    assert cache("v6", "\n          enable-cache: false") == []
    assert cache("v3", "\n          enable-cache: true")


def test_data_paths_trigger_but_code_paths_do_not(make_view):
    data = "on:\n  push:\n    paths:\n      - 'data.dvc'\n      - 'src/**'\njobs:\n  j:\n    runs-on: x\n    steps: []\n"
    code = data.replace("'data.dvc'", "'tests/**'")
    found = kinds(run(PROBE, make_view({".github/workflows/data.yml": data})))
    [trigger] = found["ci.data-trigger"]
    assert trigger.line == 4 and "data.dvc" in trigger.snippet
    assert "ci.data-trigger" not in kinds(run(PROBE, make_view({".github/workflows/c.yml": code})))


def test_registry_dispatch_and_models_folder(make_view):
    text = (
        "on:\n  repository_dispatch:\n    types: [model-staged]\n  push:\n    paths: ['models/**']\n"
        "jobs:\n  j:\n    runs-on: x\n    steps: []\n"
    )
    found = kinds(run(PROBE, make_view({".github/workflows/stage.yml": text})))
    assert found["ci.registry-trigger"][0].data["types"] == ["model-staged"]
    assert found["ci.models-path-trigger"][0].strength == WEAK


def test_docker_build_deploy_and_docs(make_view):
    text = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          push: true
      - run: gcloud run deploy api --image x
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: mkdocs gh-deploy --force
"""
    found = kinds(run(PROBE, make_view({".github/workflows/cd.yml": text})))
    assert found["ci.docker-build"][0].line == 6
    assert found["ci.deploy"][0].line == 9
    assert found["ci.docs-publish"][0].line == 13
    assert "ci.tests" not in found and "ci.single-platform-no-cache" not in found


def test_on_key_read_as_true_by_yaml_still_gives_triggers(make_view):
    view = make_view({".github/workflows/ci.yml": SINGLE})
    assert list(view.workflow(".github/workflows/ci.yml").triggers) == ["push"]


def test_broken_workflow_is_a_notice_and_others_still_count(make_view):
    view = make_view({".github/workflows/bad.yml": "on: [push\njobs:\n", ".github/workflows/ok.yml": SINGLE})
    found = kinds(run(PROBE, view))
    assert found["ci.tests"][0].path == ".github/workflows/ok.yml"
    assert any(n.path == ".github/workflows/bad.yml" for n in view.notices)


def test_alias_bomb_workflow_is_refused_quickly(make_view):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    view = make_view({".github/workflows/bomb.yml": bomb})
    assert run(PROBE, view) == []
    assert any("alias bomb" in n.message for n in view.notices)


def test_workflows_in_a_subfolder_do_not_run_and_are_weak(make_view):
    found = kinds(run(PROBE, make_view({"project/.github/workflows/ci.yml": SINGLE})))
    assert found["ci.tests"][0].strength == WEAK
    assert "not-at-git-root" in found["ci.tests"][0].flags


def test_project_in_subfolder_sees_workflows_at_the_git_root(make_repo):
    from verifier.repo.view import RepoView

    root = make_repo({".github/workflows/ci.yml": SINGLE, "portfolio/src/a.py": "x = 1\n"})
    found = kinds(run(PROBE, RepoView.open(root / "portfolio")))
    assert found["ci.tests"][0].strength == STRONG


def test_gitlab_ci_counts(make_view):
    text = "test:\n  script:\n    - pip install .\n    - pytest --cov\nlint:\n  script: ruff check .\n"
    found = kinds(run(PROBE, make_view({".gitlab-ci.yml": text})))
    assert found["ci.tests"][0].line == 4 and found["ci.lint"][0].line == 6


def test_training_started_in_gcp_from_a_workflow(make_view):
    text = "on: workflow_dispatch\njobs:\n  train:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          JOB=$(gcloud ai custom-jobs create --region=europe-west1 \\\n            --config=vertex.yaml)\n"
    [finding] = kinds(run(PROBE, make_view({".github/workflows/train.yml": text})))["ci.gcp-training"]
    assert finding.line == 7 and "custom-jobs create" in finding.snippet


def test_lint_through_a_named_step_or_a_make_target(make_view):
    text = "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - name: ruff check\n        run: make check\n"
    [finding] = kinds(run(PROBE, make_view({".github/workflows/lint.yml": text})))["ci.lint"]
    assert finding.line == 6 and finding.snippet == "- name: ruff check"


DATA_WORKFLOW = "on:\n  push:\n    paths:\n      - 'data/**'\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python check.py\n"


def test_a_data_path_filter_that_no_tracked_file_matches_cannot_fire(make_view):
    untracked = make_view({".github/workflows/data.yaml": DATA_WORKFLOW, "data.dvc": "outs:\n- path: data\n"})
    [trigger] = kinds(run(PROBE, untracked))["ci.data-trigger"]
    assert trigger.strength == WEAK and "cannot fire" in trigger.message
    tracked = make_view({".github/workflows/data.yaml": DATA_WORKFLOW, "data/raw/labels.csv": "a,b\n"})
    assert kinds(run(PROBE, tracked))["ci.data-trigger"][0].strength == STRONG


def test_a_build_started_only_by_hand_is_not_an_automatic_build(make_view):
    build = "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -f dockerfiles/api.dockerfile .\n"
    manual = kinds(
        run(PROBE, make_view({".github/workflows/docker.yaml": "on:\n  workflow_dispatch:\n" + build}))
    )
    [found] = manual["ci.docker-build"]
    assert found.strength == WEAK and "manual-only" in found.flags
    pushed = make_view({".github/workflows/docker.yaml": "on:\n  push:\n  workflow_dispatch:\n" + build})
    assert kinds(run(PROBE, pushed))["ci.docker-build"][0].strength == STRONG
