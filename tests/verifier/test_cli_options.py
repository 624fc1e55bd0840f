"""Option checks, --version, help, running from inside the repository, uncommitted work and
--committed, and the terminal's wording."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import git
from tests.verifier.test_formats import example_copy, run
from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
OVERCLAIMED = ROOT / "examples" / "overclaimed-project"


def one_line_error(capsys, args: list[str]) -> str:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("verify: ") and captured.err.count("\n") == 1, captured.err
    return captured.err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--probes", "git,nosuch"], "no probe named 'nosuch'; probes: cloudbuild, dockerfiles"),
        (["--explain", "M99"], "no catalog item or module 'M99'; modules: M2, M5"),
        (["--explain", "no-such-item"], "no catalog item"),
    ],
)
def test_unknown_names_exit_2_with_one_line(capsys, args, message):
    assert message in one_line_error(capsys, [str(OVERCLAIMED), *args])


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read catalog"),
        ("items: []\n", "has no items"),
        ("items: [\n", "not valid YAML"),
        ("- just a list\n", "needs a top-level 'items' list"),
    ],
)
def test_a_broken_catalog_exits_2_never_an_all_clear(capsys, tmp_path, content, message):
    catalog = tmp_path / "catalog.yaml"
    if content is not None:
        catalog.write_text(content)
    assert message in one_line_error(capsys, [str(OVERCLAIMED), "--catalog", str(catalog)])


def test_explain_a_module_tag_lists_its_items(capsys):
    assert main(["--explain", "M12"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("M12: ")
    assert "profiling" in out
    assert main(["--explain", "m14"]) == 0
    out = capsys.readouterr().out
    assert {"logging", "wandb", "sweep"} <= set(re.findall(r"^  (\S+)", out, re.M))


def test_version_and_help_name_the_subcommands(capsys):
    from verifier import __version__

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"verify {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "verify batch --help" in out and "verify catalog check" in out
    for option in ("--format", "--fail-on", "--exit-zero", "--committed", "--quiet", "[tool.mlops-verifier]"):
        assert option in out


def test_run_from_inside_the_repository_verifies_the_repository(capsys, make_repo, monkeypatch):
    root = example_copy(make_repo)
    (root / "src" / "weather").mkdir(parents=True, exist_ok=True)
    _, top = run(capsys, str(root), "--json")
    expected = json.loads(top)
    for inside in (root / "reports", root / "src" / "weather"):
        monkeypatch.chdir(inside)
        status, out = run(capsys, "--json")
        data = json.loads(out)
        assert data["report"]["path"] == "reports/README.md"
        assert data["repository"]["project_dir"] == ""
        assert {i["id"]: i["verdict"] for i in data["items"]} == {
            i["id"]: i["verdict"] for i in expected["items"]
        }
        assert status == 1


def test_a_project_in_a_subfolder_is_still_found_from_its_reports_folder(capsys, make_repo, monkeypatch):
    report = (OVERCLAIMED / "reports" / "README.md").read_text()
    root = make_repo({"portfolio/reports/README.md": report, "portfolio/requirements.txt": "torch\n"})
    monkeypatch.chdir(root / "portfolio" / "reports")
    _, out = run(capsys, "--json")
    data = json.loads(out)
    assert data["repository"]["project_dir"] == "portfolio"
    assert data["report"]["path"] == "portfolio/reports/README.md"


PRECOMMIT = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.0\n    hooks:\n      - id: ruff\n"


def test_uncommitted_evidence_is_named_and_committed_verifies_the_last_commit(capsys, make_repo):
    root = example_copy(make_repo)
    (root / ".pre-commit-config.yaml").write_text(PRECOMMIT)
    git(root, "add", ".pre-commit-config.yaml")  # staged, never committed
    (root / "Dockerfile").write_text(
        "FROM python:3.11-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python src/weather/train.py\n"
    )
    (root / "notes.txt").write_text("untracked\n")
    _, out = run(capsys, str(root), "--json")
    data = json.loads(out)
    states = {u["path"]: u["state"] for u in data["repository"]["uncommitted"]}
    assert states == {
        ".pre-commit-config.yaml": "added but not committed",
        "Dockerfile": "changed since the last commit",
    }
    assert data["repository"]["untracked"] == 1
    items = {i["id"]: i for i in data["items"]}
    assert items["pre-commit"]["verdict"] == "supported"
    assert items["pre-commit"]["uncommitted"] == [".pre-commit-config.yaml"]
    assert items["dockerfile"]["uncommitted"] == ["Dockerfile"]
    assert items["ci"]["uncommitted"] == []
    _, text = run(capsys, str(root))
    assert "2 file(s) differ from the last commit" in text
    assert re.search(r"pre-commit: supported only by uncommitted files \(\.pre-commit-config\.yaml\)", text)
    assert "(uncommitted)" in text
    assert "1 untracked file(s) or folder(s) not read" in text

    _, out = run(capsys, str(root), "--json", "--committed")
    committed = json.loads(out)
    assert committed["repository"]["uncommitted"] == []
    assert {i["id"]: i["verdict"] for i in committed["items"]}["pre-commit"] == "unsupported"
    assert committed["repository"]["revision"]["commit"] == git(root, "rev-parse", "HEAD").strip()


def test_a_clean_work_tree_reports_nothing_uncommitted(capsys, make_repo):
    root = example_copy(make_repo)
    _, out = run(capsys, str(root), "--json")
    assert json.loads(out)["repository"]["uncommitted"] == []
    _, text = run(capsys, str(root))
    assert "differ from the last commit" not in text and "Uncommitted work" not in text


# ---- terminal wording ----------------------------------------------------------------------


def test_terminal_shows_the_items_words_in_plain_language_within_80_columns(capsys):
    _, out = run(capsys, str(OVERCLAIMED))
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines if not line.startswith(("Summary", "19 ticked")))
    assert not any(line.endswith(" ") for line in lines)  # nothing padded to the width
    assert any("Use profiling to optimize your code [profiling M12]" in line for line in lines)
    # the internal evidence kinds stay out of the default output (they are in -v and the JSON)
    assert "code.profiling" not in out and "looked for" not in out
    _, verbose = run(capsys, str(OVERCLAIMED), "-v")
    assert "code.profiling" in verbose
    # an explanation repeated under several items is printed once, then referred to
    why_lines = [line.strip() for line in lines if line.strip().startswith("why: ")]
    explained = [line for line in why_lines if not line.startswith("why: as for ")]
    assert len(explained) == len(set(explained))
    assert why_lines.count("why: nothing in the repository supports it") == 1
    assert why_lines.count("why: as for cookiecutter above") >= 5


def test_wrapped_evidence_stays_indented_under_its_item(capsys, make_repo):
    deep = "src/weather/" + "/".join(["a_rather_long_folder_name"] * 4) + "/train_the_model_now.py"
    root = example_copy(make_repo)
    (root / deep).parent.mkdir(parents=True)
    (root / deep).write_text(
        "import logging\nlogging.basicConfig()\nlog = logging.getLogger(__name__)\nlog.info('x')\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "deep")
    _, out = run(capsys, str(root), "-v")
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "[logging M14]" in line)
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith("     "):
            break
        block.append(line)
    assert any("a_rather_long_folder_name" in line for line in block)
    assert all(len(line) <= 80 and line.startswith(" " * 27) for line in block)


def test_outside_git_a_reports_folder_verifies_its_parent(capsys, make_repo, monkeypatch):
    report = (OVERCLAIMED / "reports" / "README.md").read_text()
    root = make_repo(
        {"reports/README.md": report, "Dockerfile": "FROM python:3.11\nRUN pip install torch\n"},
        git_init=False,
    )
    monkeypatch.chdir(root / "reports")
    _, out = run(capsys, "--json")
    data = json.loads(out)
    assert data["repository"]["root"] == str(root.resolve())
    assert {i["id"]: i["verdict"] for i in data["items"]}["dockerfile"] == "supported"


def test_colour_codes_at_a_line_end_keep_no_spaces_before_them():
    from verifier.render.terminal import trim_line_ends

    assert trim_line_ends("ab   \nc \x1b[0m  \x1b[2m\nlast  ") == "ab\nc\x1b[0m\x1b[2m\nlast  "
    assert trim_line_ends("no break   ") == "no break   "  # the line goes on in the next write


@pytest.mark.parametrize("columns", ["60", "100"])
def test_help_is_wrapped_to_the_terminal_width(capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    usage = out.split("\n\n", 1)[0].splitlines()
    options = out.split("options:\n", 1)[1].split("\n\n", 1)[0].splitlines()  # the description
    # and the epilog are laid out by hand; what argparse lays out follows the width
    assert len(options) > 10
    assert max(len(line) for line in usage + options) <= int(columns)
    if columns == "100":
        assert any(len(line) > 60 for line in options)
