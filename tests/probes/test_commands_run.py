"""Tools run from the command line: scripts, Makefiles, workflows, docs and the report."""

from __future__ import annotations

from probes.cloudbuild import PROBE as CLOUDBUILD
from probes.hydra import PROBE as HYDRA
from probes.tooling import PROBE as TOOLING
from probes.wandb import PROBE as WANDB
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, WEAK
from verifier.repo.view import RepoView

BROKEN_SWEEP = "program: train.py\nmethod: random\nparameters:\n  lr: uniform\n    min: 0.1\n"


def test_a_file_named_by_a_documented_command_is_reached(make_view):
    view = make_view(
        {
            "tests/performance/load.py": "from locust import HttpUser\nclass U(HttpUser):\n    pass\n",
            "docs/testing.md": "Run the load test:\n\n```bash\nlocust -f tests/performance/load.py --headless\n```\n",
        }
    )
    context = view.import_graph.context("tests/performance/load.py")
    assert context.reachable and any("docs/testing.md" in e for e in context.entry_points)


def test_a_sweep_config_that_does_not_parse_but_is_run_by_wandb_agent_is_evidence(make_view):
    view = make_view(
        {"configs/sweep.yaml": BROKEN_SWEEP, "sweep.sh": "#!/bin/bash\nwandb agent team/proj/$SWEEP_ID\n"}
    )
    [sweep] = kinds(run(WANDB, view))["wandb.sweep"]
    assert sweep.path == "configs/sweep.yaml" and sweep.strength == STRONG
    assert "does not parse" in sweep.message and "sweep.sh:2" in sweep.message


def test_a_broken_sweep_config_nothing_runs_is_not_evidence(make_view):
    assert "wandb.sweep" not in kinds(run(WANDB, make_view({"configs/sweep.yaml": BROKEN_SWEEP})))


def test_wandb_agent_in_a_script_is_a_sweep_and_in_docs_only_a_hint(make_view):
    scripted = kinds(run(WANDB, make_view({"run.sh": "wandb agent me/p/abc\n"})))["wandb.sweep"][0]
    assert scripted.strength == STRONG
    documented = kinds(run(WANDB, make_view({"README.md": "Start it with `wandb agent me/p/abc`.\n"})))
    assert documented["wandb.sweep"][0].strength == WEAK


def test_hydra_multirun_commands_are_sweeps(make_view):
    for files in (
        {"Makefile": "sweep:\n\tpython src/train.py --multirun lr=1e-3,1e-4\n"},
        {"scripts/sweep.sh": "python -m pkg.train -m optimizer.lr=0.1,0.01\n"},
    ):
        found = kinds(run(HYDRA, make_view(files)))
        assert found["hydra.sweeper"][0].strength == STRONG, files
    plain = kinds(run(HYDRA, make_view({"Makefile": "train:\n\tpython -m pkg.train lr=0.1\n"})))
    assert "hydra.sweeper" not in plain


def test_coverage_in_a_script_counts_and_only_in_the_docs_is_weak(make_view):
    scripted = kinds(run(TOOLING, make_view({"scripts/test.sh": "coverage run -m pytest tests/\n"})))
    assert scripted["tasks.coverage"][0].strength == STRONG
    documented = kinds(run(TOOLING, make_view({"docs/ci.md": "Locally: `coverage run -m pytest`\n"})))
    assert [f.strength for f in documented["tasks.coverage"]] == [WEAK]


def test_cloud_run_declared_in_terraform_is_a_deployment(make_view):
    for resource in ("google_cloud_run_service", "google_cloud_run_v2_service"):
        view: RepoView = make_view({"infra/main.tf": f'resource "{resource}" "api" {{\n  name = "api"\n}}\n'})
        [found] = kinds(run(CLOUDBUILD, view))["deploy.service-config"]
        assert found.path == "infra/main.tf" and found.line == 1 and resource in found.message
