"""`verify` end to end: exit status, the examples' verdicts, JSON against its schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
HONEST = ROOT / "examples" / "honest-project"
OVERCLAIMED = ROOT / "examples" / "overclaimed-project"

SCHEMA = json.loads(resources.files("verifier.schema").joinpath("result.schema.json").read_text("utf-8"))


def run_json(capsys, *args: str) -> tuple[int, dict]:
    status = main([*args, "--json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    return status, data


def verdicts(data: dict) -> dict[str, str]:
    return {item["id"]: item["verdict"] for item in data["items"]}


def test_honest_example_passes_with_every_tick_backed(capsys):
    status, data = run_json(capsys, str(HONEST))
    assert status == 0
    v = verdicts(data)
    for item in (
        "dockerfile",
        "hydra",
        "wandb",
        "ci",
        "ci-matrix-cache",
        "ci-lint",
        "pre-commit",
        "data-versioning",
        "gcp-bucket-dvc",
        "docker-build-trigger",
        "cloud-deploy",
        "config-files",
        "coverage",
        "code-style",
        "git-repo",
    ):
        assert v[item] == "supported", (item, v[item])
    assert v["write-access"] == "not-verifiable"
    assert data["summary"]["flagged"] == []
    assert not {"weak", "unsupported", "contradicted", "no-probe-yet"} & {
        i["verdict"] for i in data["items"] if i["ticked"]
    }
    assert data["report"]["edition"] == "2026-01"
    assert data["report"]["path"] == "reports/README.md"


def test_overclaimed_example_flags_ticks_nothing_supports(capsys):
    status, data = run_json(capsys, str(OVERCLAIMED))
    assert status == 1
    v = verdicts(data)
    assert v["ci"] == "supported"
    assert v["ci-matrix-cache"] == "contradicted"
    assert v["dockerfile"] == "weak"
    assert v["hydra"] == "weak"  # hydra-core declared, never used
    assert v["data-versioning"] == "weak"  # dvc declared, no .dvc setup
    assert v["model-train"] == "supported" and v["tests-model"] == "supported"
    assert "no-probe-yet" not in v.values()
    for item in (
        "wandb",
        "pre-commit",
        "docker-build-trigger",
        "gcp-bucket-dvc",
        "ci-lint",
        "config-files",
        "cloud-deploy",
        "gcp-training",
        "fastapi",
        "tests-data",
        "coverage",
        "code-style",
        "sweep",
        "logging",
        "profiling",
        "cli",
    ):
        assert v[item] == "unsupported", (item, v[item])
    assert set(data["summary"]["flagged"]) == {
        item for item, verdict in v.items() if verdict in ("unsupported", "contradicted")
    }
    assert "code-on-github" not in data["summary"]["flagged"]  # weak: no github remote
    partial = next(i for i in data["items"] if i["id"] == "gcp-training")
    assert partial["state"] == "partial" and partial["mark"] == "50%"
    assert partial["reason"].startswith("partly ticked [50%]")
    assert partial["remediation"]
    assert data["report"]["edition"] == "2024-12"


def test_every_evidence_entry_has_a_location_and_snippet(capsys):
    _, data = run_json(capsys, str(HONEST))
    supported = [i for i in data["items"] if i["verdict"] == "supported"]
    for item in supported:
        assert item["evidence"], item["id"]
        first = item["evidence"][0]
        assert first["role"] == "supports"
        if first["path"] is not None:
            assert (HONEST / first["path"]).exists(), first["path"]
            assert first["snippet"]


def test_terminal_output_names_flagged_ticks_and_their_remedy(capsys):
    status = main([str(OVERCLAIMED)])
    out = capsys.readouterr().out
    assert status == 1
    assert "unsupported" in out and "contradicted" in out
    assert "to settle it:" in out
    assert "Summary:" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["/nonexistent/path"], "does not exist"),
        (["--explain", "no-such-item"], "no catalog item"),
    ],
)
def test_usage_errors_exit_2_with_a_reason(capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_folder_without_report_exits_2(capsys, make_repo):
    root = make_repo({"README.md": "# A project\n\nNothing else.\n"})
    assert main([str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verify: ") and err.count("\n") == 1


def test_report_without_checklist_exits_2(capsys, make_repo):
    questions = "".join(f"### Question {n}\n> **q**\n>\n> Answer:\n\nanswer {n}\n\n" for n in range(1, 28))
    root = make_repo(
        {
            "reports/README.md": "# Exam template for 02476 Machine Learning Operations\n\n"
            "## Group information\n\n" + questions
        }
    )
    assert main([str(root)]) == 2
    assert "checklist" in capsys.readouterr().err


def test_grader_catalog_overrides_the_rules(capsys, tmp_path):
    text = resources.files("verifier.catalog").joinpath("items.yaml").read_text("utf-8")
    # a stricter grader: a Dockerfile alone no longer supports the item, only a compose file
    text = text.replace(
        "strong: [docker.dockerfile]", "strong: [docker.compose]\n    weak: [docker.dockerfile]"
    )
    catalog = tmp_path / "strict.yaml"
    catalog.write_text(text)
    _, data = run_json(capsys, str(HONEST), "--catalog", str(catalog))
    assert verdicts(data)["dockerfile"] == "weak"
    assert data["catalog"] == str(catalog)


def test_malformed_catalog_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("items:\n  - id: x\n    week: 9\n    wordings: [a]\n")
    assert main([str(HONEST), "--catalog", str(bad)]) == 2
    assert "week" in capsys.readouterr().err


def test_list_probes_and_explain(capsys):
    assert main(["--list-probes"]) == 0
    out = capsys.readouterr().out
    assert "workflows:" in out and "ci.matrix" in out
    assert main(["--explain", "ci-matrix-cache"]) == 0
    out = capsys.readouterr().out
    assert "ci.cache (probe: workflows) + ci.matrix (probe: workflows)" in out
    assert "ci.single-platform-no-cache" in out


def test_output_file_gets_the_json(tmp_path, capsys):
    out_file = tmp_path / "result.json"
    status = main([str(OVERCLAIMED), "-o", str(out_file)])
    capsys.readouterr()
    assert status == 1
    jsonschema.validate(json.loads(out_file.read_text()), SCHEMA)


def test_report_text_cannot_restyle_or_drive_the_terminal(capsys, make_repo):
    report = (OVERCLAIMED / "reports" / "README.md").read_text()
    report = report.replace(
        "### Week 2\n",
        "* [x] [red]FAKE[/red]\x1b[2J\x1b]0;t\x07 zebra <script>x</script>\n\n### Week 2\n",
    )
    root = make_repo({"reports/README.md": report})
    main([str(root)])
    out = capsys.readouterr().out
    assert "[red]FAKE[/red]" in out  # shown literally, not interpreted as markup
    assert "\x1b" not in out and "\x07" not in out


def test_project_folder_follows_the_report_found_in_a_subfolder(capsys, make_repo):
    report = (OVERCLAIMED / "reports" / "README.md").read_text()
    root = make_repo(
        {
            "portfolio/reports/README.md": report,
            "portfolio/Dockerfile": "FROM python:3.11\nRUN pip install torch\n",
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
        }
    )
    status, data = run_json(capsys, str(root))
    assert data["report"]["path"] == "portfolio/reports/README.md"
    assert data["repository"]["project_dir"] == "portfolio"
    v = verdicts(data)
    assert v["dockerfile"] == "supported" and v["ci"] == "supported"


def test_import_graph_export(tmp_path, capsys):
    out = tmp_path / "graph.graphml"
    main([str(HONEST), "--json", "--import-graph", str(out)])
    capsys.readouterr()
    import networkx as nx

    graph = nx.read_graphml(out)
    assert graph.has_edge("src/petclassifier/train.py", "src/petclassifier/model.py")
    assert graph.nodes["src/petclassifier/model.py"]["reachable"] is True


@pytest.mark.parametrize("example, status", [(HONEST, 0), (OVERCLAIMED, 1)])
def test_the_command_as_a_process_delivers_all_its_output_and_its_status(example, status):
    """The process leaves without tearing its objects down: what it wrote must still arrive
    whole through a pipe, and its exit status must be the verification's."""
    import os
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "verifier.cli", str(example), "--json", "--evidence"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "VERIFY_NO_CACHE": "1"},
        cwd=ROOT,
    )
    assert completed.returncode == status, completed.stderr[-500:]
    data = json.loads(completed.stdout)  # complete JSON, not cut at a buffer's edge
    jsonschema.validate(data, SCHEMA)
    in_process = run_json_plain(example)
    assert [item["verdict"] for item in data["items"]] == [item["verdict"] for item in in_process["items"]]


def run_json_plain(example: Path) -> dict:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        main([str(example), "--json", "--evidence"])
    return json.loads(buffer.getvalue())
