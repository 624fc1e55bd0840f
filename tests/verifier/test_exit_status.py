"""Exit statuses: 1 means flagged and nothing else; a tool error is 2 with one line on standard
error, never a traceback; `verify batch` says whether every group was verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
HONEST = ROOT / "examples" / "honest-project"
OVERCLAIMED = ROOT / "examples" / "overclaimed-project"


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("option", ["-o", "--import-graph"])
def test_an_output_in_a_missing_folder_exits_2(capsys, tmp_path, option):
    target = tmp_path / "no-such-folder" / "out.file"
    assert main([str(OVERCLAIMED), "--json", option, str(target)]) == 2
    line = one_line_error(capsys)
    assert line.startswith("verify: ") and str(target) in line


@pytest.mark.parametrize("option", ["-o", "--import-graph"])
def test_an_output_that_is_a_folder_exits_2(capsys, tmp_path, option):
    assert main([str(HONEST), "--json", option, str(tmp_path)]) == 2
    assert "is a folder" in one_line_error(capsys)


def test_an_output_that_fails_while_writing_exits_2(capsys, tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    assert main([str(OVERCLAIMED), "--json", "-o", str(tmp_path / "r.json")]) == 2
    assert "Permission denied" in one_line_error(capsys)


@pytest.mark.parametrize("report", ["reports", "reports/missing.md"])
def test_an_unreadable_report_exits_2(capsys, report):
    assert main([str(HONEST), "--report", str(HONEST / report)]) == 2
    assert "cannot read" in one_line_error(capsys)


def test_a_crash_exits_2_with_one_line(capsys, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("probe state\nbroken")

    monkeypatch.setattr("verifier.run.verify", crash)
    assert main([str(OVERCLAIMED)]) == 2
    line = one_line_error(capsys)
    assert line.startswith("verify: internal error: RuntimeError: probe state broken")


def test_a_usage_error_exits_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as stop:
        main([str(HONEST), "--no-such-option"])
    assert stop.value.code == 2
    assert "--no-such-option" in one_line_error(capsys)


def test_flagged_and_clean_keep_1_and_0(capsys):
    assert main([str(OVERCLAIMED), "--json"]) == 1
    assert main([str(HONEST), "--json"]) == 0


# --- verify batch -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("groups.csv", "", "names no groups"),
        (
            "groups.csv",
            "group_number,student_1,student_2,student_3,student_4,student_5,repo_url\n",
            "names no groups",
        ),
        ("repos.txt", "# only a comment\n\n", "names no groups"),
        ("groups.csv", "team,member,link\n1,a,https://github.com/a/b\n", "unknown CSV header"),
        ("groups.txt", "name,url\n1,https://github.com/a/b\n", "unknown CSV header"),
    ],
)
def test_an_unusable_batch_source_exits_2(capsys, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_text(content)
    assert main(["batch", str(source), "--out", str(tmp_path / "out")]) == 2
    line = one_line_error(capsys)
    assert line.startswith("verify batch: ") and message in line


def test_an_empty_folder_or_missing_source_exits_2(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    assert main(["batch", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    assert "names no groups" in one_line_error(capsys)
    assert main(["batch", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in one_line_error(capsys)


def test_an_unwritable_batch_out_exits_2(capsys, tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "x").mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["batch", str(tmp_path / "folder"), "--out", str(blocker / "out")]) == 2
    assert "--out" in one_line_error(capsys)


def test_batch_exits_0_only_when_every_group_was_verified(capsys, tmp_path):
    from tests.verifier.test_batch_hostile import local_repo

    local_repo(tmp_path / "cohort" / "a", HONEST)
    local_repo(tmp_path / "cohort" / "b", OVERCLAIMED)  # flagged ticks, but verified
    assert main(["batch", str(tmp_path / "cohort"), "--out", str(tmp_path / "out"), "--jobs", "2"]) == 0
    (tmp_path / "cohort" / "c").mkdir()  # no report: this group cannot be verified
    assert main(["batch", str(tmp_path / "cohort"), "--out", str(tmp_path / "out"), "--jobs", "2"]) == 1
