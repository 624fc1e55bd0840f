"""`verify catalog check TEMPLATE.md`: matched, new and dropped checklist lines, and a starting
catalog for the new edition that loads and verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TEMPLATES
from verifier.catalog import load_catalog
from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
HONEST = ROOT / "examples" / "honest-project"

BUILT = """# Exam template for 02476 Machine Learning Operations

## Overall project checklist

### Week 1

* [ ] Create a git repository (M5)
* [ ] Write one or more configuration files for your experiments, e.g. with Hydra (M11)
* [ ] Track your carbon footprint with codecarbon during training (M40)

### Week 2

* [ ] Write unit tests related to the data part of your code (M16)
* [ ] Construct one or multiple docker files for your code (M10)
* [ ] Use logging to log important events in your code (M14)
* [ ] Calculate the code coverage (M16)
* [ ] Get some continuous integration running on the GitHub repository (M17)
* [ ] Add pre-commit hooks to your version control setup (M18)
* [ ] Create a FastAPI application that can do inference using your model (M22)
* [ ] Load test your application (M24)

## Group information
"""


def sections(out: str) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = line.split(" (")[0]
            parts[current] = []
        elif current and line.strip():
            parts[current].append(line.strip())
    return parts


def test_a_built_template_gives_matched_new_and_dropped_and_a_catalog_that_loads(capsys, tmp_path):
    template = tmp_path / "report-template_2027-01-05.md"
    template.write_text(BUILT)
    target = tmp_path / "items-2027.yaml"
    assert main(["catalog", "check", str(template), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    found = sections(out)
    matched = found["Matched"]
    assert any(
        line.startswith("line 7 ") and "git-repo" in line and "same wording" in line for line in matched
    )
    assert any("config-files" in line and "edited wording" in line for line in matched)
    assert any("tests-data" in line for line in matched)
    assert len(matched) == 10
    assert len(found["New"]) == 1 and "codecarbon" in found["New"][0] and "(M40)" in found["New"][0]
    dropped = {line.split()[0] for line in found["Dropped"]}
    assert {"wandb", "hydra", "ci-lint"} <= dropped and not {"git-repo", "ci", "dockerfile"} & dropped
    assert "11 checklist lines; 10 match catalog items, 1 new" in out

    catalog = load_catalog(target)
    ids = [item.id for item in catalog.items]
    assert ids[:2] == ["git-repo", "config-files"] and ids[3] == "tests-data"
    new = catalog.items[2]
    assert new.modules == ("M40",) and new.week == "1" and new.editions == ("2027-01",)
    assert new.wordings == ("Track your carbon footprint with codecarbon during training",)
    assert not new.strong
    config_files = catalog["config-files"]
    assert config_files.wordings[0].startswith("Write one or more configuration files")
    assert "2027-01" in config_files.editions
    assert config_files.strong == load_catalog()["config-files"].strong  # rules kept


def test_a_tick_of_a_new_item_is_not_flagged_with_the_starting_catalog(capsys, tmp_path, make_repo):
    template = tmp_path / "t.md"
    template.write_text(BUILT)
    target = tmp_path / "items.yaml"
    assert main(["catalog", "check", str(template), "--edition", "2027-01", "-o", str(target)]) == 0
    capsys.readouterr()
    root = make_repo({"reports/README.md": BUILT.replace("* [ ]", "* [x]"), "src/app.py": "print(1)\n"})
    main([str(root), "--catalog", str(target), "--json"])
    data = json.loads(capsys.readouterr().out)
    verdicts = {i["id"]: i["verdict"] for i in data["items"]}
    new_id = next(i for i in verdicts if i.startswith("track-carbon"))
    assert verdicts[new_id] == "not-verifiable"
    assert new_id not in data["summary"]["flagged"]
    assert data["unmatched"] == []


@pytest.mark.skipif(not TEMPLATES.is_dir(), reason="report templates not found in ../shared/templates")
def test_the_course_template_of_2026_matches_the_catalog_item_for_item(capsys, tmp_path):
    template = sorted(TEMPLATES.glob("report-template_2026-*.md"))[-1]
    target = tmp_path / "items.yaml"
    assert main(["catalog", "check", str(template), "-o", str(target)]) == 0
    found = sections(capsys.readouterr().out)
    assert len(found["Matched"]) == 53 and found["New"] == [] and found["Dropped"] == []
    written = load_catalog(target)
    built_in = load_catalog()
    assert [i.id for i in written.items] == [i.id for i in built_in.items if "2026-01" in i.editions]
    # the starting catalog judges the honest example exactly as the built-in one does
    main([str(HONEST), "--json"])
    expected = {i["id"]: i["verdict"] for i in json.loads(capsys.readouterr().out)["items"]}
    main([str(HONEST), "--json", "--catalog", str(target)])
    assert {i["id"]: i["verdict"] for i in json.loads(capsys.readouterr().out)["items"]} == expected


@pytest.mark.skipif(not TEMPLATES.is_dir(), reason="report templates not found in ../shared/templates")
def test_an_old_template_lists_the_items_added_since_as_dropped(capsys):
    template = sorted(TEMPLATES.glob("report-template_2023-01-*.md"))[-1]
    assert main(["catalog", "check", str(template)]) == 0
    found = sections(capsys.readouterr().out)
    dropped = {line.split()[0] for line in found["Dropped"]}
    assert {"pre-commit", "ci-lint", "io-collection"} <= dropped
    assert found["New"] == []


def test_a_file_without_a_checklist_exits_2(capsys, tmp_path):
    template = tmp_path / "t.md"
    template.write_text("# Nothing here\n")
    assert main(["catalog", "check", str(template)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("args", [["catalog"], ["catalog", "check"], ["catalog", "nosuch"]])
def test_catalog_usage_errors_are_one_line(capsys, args):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("verify catalog") and err.count("\n") == 1


def test_a_pipe_or_device_is_refused_and_template_text_cannot_drive_the_terminal(capsys, tmp_path):
    import os

    pipe = tmp_path / "template.md"
    os.mkfifo(pipe)
    for source in (pipe, Path("/dev/zero")):
        assert main(["catalog", "check", str(source)]) == 2  # read forever before
        err = capsys.readouterr().err
        assert "not opened" in err and err.count("\n") == 1
    hostile = tmp_path / "hostile.md"
    hostile.write_text(BUILT.replace("Create a git repository", "Create a \x1b[2J git\x07 repository"))
    assert main(["catalog", "check", str(hostile)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\e[2J" in out
