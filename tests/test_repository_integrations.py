"""The files groups use from their own repositories: the pre-commit hook and the GitHub Action.

The action's shell steps are run here as the runner would run them (bash -eo pipefail, inputs
through the environment), so a step that calls an option the CLI lacks fails this test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.verifier.test_formats import example_copy
from verifier.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
README = (ROOT / "README.md").read_text()


def cli_options() -> set[str]:
    return {option for action in build_parser()._actions for option in action.option_strings}


def test_the_hook_is_valid_and_its_entry_point_exists():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert isinstance(HOOKS, list) and len(HOOKS) == 1
    hook = HOOKS[0]
    for key in ("id", "name", "entry", "language"):
        assert isinstance(hook[key], str) and hook[key]
    assert hook["entry"].split()[0] in scripts  # the console script pre-commit will call
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # the whole repository is verified, not the files
    assert set(hook.get("args", [])) <= cli_options()
    assert f"id: {hook['id']}" in README  # documented with the snippet


def test_the_action_is_a_composite_with_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) >= {"path", "fail-on", "format"}
    for name, spec in ACTION["inputs"].items():
        assert len(spec["description"]) > 20, name
        assert f"`{name}`" in README, f"input {name} is not documented in the README"
    uses = [step["uses"] for step in ACTION["runs"]["steps"] if "uses" in step]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in ACTION["runs"]["steps"]:
        if "run" in step:  # inputs reach scripts only through the environment (no injection)
            assert "${{" not in step["run"], step.get("name")
            assert step["shell"] == "bash"


def test_the_action_calls_only_options_and_formats_the_cli_has():
    options = cli_options()
    formats = next(a for a in build_parser()._actions if "--format" in a.option_strings).choices
    scripts = "\n".join(step["run"] for step in ACTION["runs"]["steps"] if "run" in step)
    used = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", scripts))
    assert used and used <= options, used - options
    for name in re.findall(r"--format (\w+)", scripts):
        assert name in formats


def run_action(tmp_path: Path, workdir: Path, **inputs: str) -> tuple[int, str, Path, dict[str, str]]:
    """Run the action's shell steps in order, as the runner would (installing skipped: the
    verifier is installed here already). Returns (status, log, summary file, outputs)."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update({k.replace("_", "-"): v for k, v in inputs.items()})
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text(""), output.write_text("")
    base = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
    }
    log, outputs = [], {}
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or step.get("name") == "Install the verifier":
            continue
        condition = step.get("if")
        if condition:
            found = re.fullmatch(r"contains\(inputs\.([\w-]+), '(\w+)'\)", condition)
            assert found, condition
            if found[2] not in values[found[1]]:
                continue
        env = dict(base, GITHUB_OUTPUT=str(output))
        for key, value in (step.get("env") or {}).items():
            found = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", str(value))
            env[key] = (
                values[found[1]] if found else str(value).replace("${{ github.action_path }}", str(ROOT))
            )
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        log.append(done.stdout + done.stderr)
        for line in output.read_text().splitlines():
            key, _, value = line.partition("=")
            outputs[key] = value
        if done.returncode:
            return done.returncode, "".join(log), summary, outputs
    return 0, "".join(log), summary, outputs


def test_the_action_annotates_summarises_and_fails_on_flags(tmp_path, make_repo):
    repo = example_copy(make_repo)
    status, log, summary, outputs = run_action(tmp_path, repo)
    assert status == 1 and outputs["exit-status"] == "1"
    assert re.search(r"^::error file=reports/README\.md,line=\d+,title=ci-matrix-cache", log, re.M)
    text = summary.read_text()
    assert text.startswith("### Report check: reports/README.md")
    assert "**Counts:**" in text


def test_the_action_writes_sarif_and_reports_without_failing_when_asked(tmp_path, make_repo):
    repo = example_copy(make_repo)
    status, log, summary, outputs = run_action(tmp_path, repo, format="sarif,text", fail_on="none")
    assert status == 0 and outputs["exit-status"] == "0"
    sarif = json.loads(Path(outputs["sarif-file"]).read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert "Summary:" in log and summary.read_text() == ""  # text in the log, no job summary


def test_the_action_fails_on_contradicted_only_when_asked(tmp_path, make_repo):
    repo = example_copy(make_repo)
    status, log, _, outputs = run_action(tmp_path, repo, fail_on="contradicted")
    assert status == 1  # the example has a contradicted tick
    assert "::warning file=reports/README.md" in log  # unsupported ticks now only warn


@pytest.mark.parametrize("inputs", [{"fail_on": "sometimes"}, {"format": "pdf"}])
def test_the_action_refuses_unknown_inputs(tmp_path, make_repo, inputs):
    repo = example_copy(make_repo)
    status, log, _, _ = run_action(tmp_path, repo, **inputs)
    assert status == 2 and "::error title=mlops-report-verifier::" in log
