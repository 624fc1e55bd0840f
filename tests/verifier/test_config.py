"""The repository's own settings ([tool.mlops-verifier] / .mlops-verifier.toml), excused items,
fail-on and --exit-zero, and the options that override them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.verifier.test_formats import example_copy, run
from verifier.cli import main
from verifier.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
OVERCLAIMED = ROOT / "examples" / "overclaimed-project"


def flagged_ids(capsys, path: Path, *args: str) -> list[str]:
    _, out = run(capsys, str(path), "--json", *args)
    return json.loads(out)["summary"]["flagged"]


def excuse_all(ids: list[str]) -> str:
    return "".join(f'"{item}" = "agreed with the TA ({item})"\n' for item in ids)


def test_excused_items_are_shown_with_their_reason_and_do_not_set_the_exit_status(capsys, make_repo):
    root = example_copy(make_repo)
    flagged = flagged_ids(capsys, root)
    assert len(flagged) > 5
    (root / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.mlops-verifier.excused]\n" + excuse_all(flagged)
    )
    status, out = run(capsys, str(root), "--json")
    data = json.loads(out)
    assert status == 0
    assert data["summary"]["flagged"] == [] and data["summary"]["failing"] == []
    assert sorted(data["summary"]["excused"]) == sorted(flagged)
    items = {i["id"]: i for i in data["items"]}
    for item in flagged:  # never dropped: the verdict stays, with the reason beside it
        assert items[item]["verdict"] in ("unsupported", "contradicted")
        assert items[item]["excused"] == f"agreed with the TA ({item})"
    assert data["summary"]["counts"]["unsupported"] == sum(
        1 for i in flagged if items[i]["verdict"] == "unsupported"
    )
    for fmt in ("text", "markdown", "github", "sarif"):
        status, out = run(capsys, str(root), "--format", fmt)
        assert status == 0, fmt
        assert "agreed with the TA (wandb)" in out, fmt
        assert "excused" in out, fmt


def test_fail_on_from_the_settings_and_overridden_on_the_command_line(capsys, make_repo):
    root = example_copy(make_repo)
    flagged = flagged_ids(capsys, root)
    settings = root / ".mlops-verifier.toml"
    settings.write_text('fail-on = "weak"\n[excused]\n' + excuse_all(flagged))
    status, out = run(capsys, str(root), "--json")
    data = json.loads(out)
    assert status == 1 and data["summary"]["fail_on"] == "weak"
    assert data["summary"]["failing"] and all(
        i["verdict"] == "weak" for i in data["items"] if i["id"] in data["summary"]["failing"]
    )
    assert main([str(root), "--fail-on", "unsupported", "--quiet"]) == 0
    assert main([str(root), "--exit-zero", "--quiet"]) == 0
    assert main([str(root), "--no-config", "--quiet"]) == 1
    capsys.readouterr()


def test_exit_zero_reports_flags_but_exits_0(capsys):
    status, out = run(capsys, str(OVERCLAIMED), "--exit-zero")
    assert status == 0
    assert "contradicted" in out


def test_report_and_probes_from_the_settings(capsys, make_repo):
    root = example_copy(make_repo)
    (root / "reports" / "README.md").rename(root / "reports" / "final.md")
    (root / "reports" / "README.md").write_text("# notes\n")
    (root / "pyproject.toml").write_text(
        '[tool.mlops-verifier]\nreport = "reports/final.md"\nprobes = ["git", "workflows"]\n'
    )
    _, out = run(capsys, str(root), "--json")
    data = json.loads(out)
    assert data["report"]["path"] == "reports/final.md"
    assert {p["id"] for p in data["probes"]} == {"git", "workflows"}
    _, out = run(capsys, str(root), "--json", "--probes", "dockerfiles")
    assert {p["id"] for p in json.loads(out)["probes"]} == {"dockerfiles"}


@pytest.mark.parametrize(
    "settings, message",
    [
        ('[tool.mlops-verifier]\nfail_on = "weak"\n', "unknown setting 'fail_on'"),
        ('[tool.mlops-verifier]\nfail-on = "never"\n', "fail-on must be one of"),
        ('[tool.mlops-verifier]\nexcused = { wandb = "" }\n', "needs a reason"),
        ('[tool.mlops-verifier]\nexcused = { no-such-item = "a reason" }\n', "not in the catalog"),
        ('[tool.mlops-verifier]\nprobes = ["nosuch"]\n', "no probe named 'nosuch'"),
        ('[tool.mlops-verifier]\ncatalog = "../outside.yaml"\n', "outside the repository"),
        ("[tool.mlops-verifier\nbroken", "not valid TOML"),
    ],
)
def test_bad_settings_exit_2_with_one_line(capsys, make_repo, settings, message):
    root = example_copy(make_repo)
    (root.parent / "outside.yaml").write_text("items: []\n")
    (root / "pyproject.toml").write_text(settings)
    assert main([str(root)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_catalog_named_by_the_settings_stays_inside_the_repository(tmp_path, make_repo):
    root = make_repo({"pyproject.toml": '[tool.mlops-verifier]\ncatalog = "grading/items.yaml"\n'})
    outside = tmp_path / "secret.yaml"
    outside.write_text("items: []\n")
    (root / "grading").mkdir()
    (root / "grading" / "items.yaml").symlink_to(outside)  # a symlink out is outside too
    with pytest.raises(ConfigError, match="outside the repository"):
        load_config(root, root)
    (root / "grading" / "items.yaml").unlink()
    (root / "grading" / "items.yaml").write_text("items: []\n")
    assert load_config(root, root).catalog == (root / "grading" / "items.yaml").resolve()


def test_a_catalog_named_by_the_settings_is_used(capsys, make_repo):
    from importlib import resources

    root = example_copy(make_repo)
    text = resources.files("verifier.catalog").joinpath("items.yaml").read_text("utf-8")
    text = text.replace(
        "strong: [docker.dockerfile]", "strong: [docker.compose]\n    weak: [docker.dockerfile]"
    )
    (root / "grading").mkdir()
    (root / "grading" / "items.yaml").write_text(text)
    (root / "pyproject.toml").write_text('[tool.mlops-verifier]\ncatalog = "grading/items.yaml"\n')
    _, out = run(capsys, str(root), "--json")
    assert json.loads(out)["catalog"].endswith("grading/items.yaml")


def test_a_pyproject_without_the_section_is_not_read_as_settings(make_repo):
    root = make_repo({"pyproject.toml": "[project]\nname = 'x'\n[tool.ruff]\nline-length = 100\n"})
    assert load_config(root, root).source is None
    root = make_repo({"pyproject.toml": "this is [not toml\n"})  # not ours to judge
    assert load_config(root, root).source is None


def test_the_terminal_summary_says_which_ticks_fail_under_fail_on(capsys):
    status, out = run(capsys, str(OVERCLAIMED), "--quiet", "--fail-on", "contradicted")
    assert status == 1
    assert "1 ticked item(s) fail the check (fail-on contradicted): ci-matrix-cache" in out
    status, out = run(capsys, str(OVERCLAIMED), "--quiet", "--exit-zero")
    assert status == 0 and "fail the check (fail-on unsupported, --exit-zero)" in out


def test_settings_files_leading_outside_the_repository_are_not_read(capsys, tmp_path, make_repo):
    import os

    outside = tmp_path / "elsewhere.toml"
    outside.write_text('fail-on = "weak"\n')
    root = example_copy(make_repo)
    (root / ".mlops-verifier.toml").symlink_to(outside)
    assert main([str(root)]) == 2
    err = capsys.readouterr().err
    assert "outside the repository" in err and err.count("\n") == 1
    (root / ".mlops-verifier.toml").unlink()
    (root / "pyproject.toml").symlink_to(outside)  # not the repository's own: ignored
    assert load_config(root, root).source is None
    (root / "pyproject.toml").unlink()
    os.mkfifo(root / "grading.yaml")  # a pipe is never opened (it would block the run)
    (root / ".mlops-verifier.toml").write_text('catalog = "grading.yaml"\n')
    assert main([str(root)]) == 2
    assert "not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize("pattern", ["(a|a)+x", "(?:ab)*c", "(x){2,}", "(a)\\\\1"])
def test_a_catalog_whose_answer_patterns_could_backtrack_is_refused(capsys, make_repo, pattern):
    """A catalog the repository's settings name is the repository's: a pattern that could take
    exponential time on report text would let the repository hang the run."""
    from importlib import resources

    root = example_copy(make_repo)
    text = resources.files("verifier.catalog").joinpath("items.yaml").read_text("utf-8")
    assert "words: ['profil\\w*']" in text
    text = text.replace("words: ['profil\\w*']", f"words: ['{pattern}']")
    (root / "grading").mkdir()
    (root / "grading" / "items.yaml").write_text(text)
    (root / "pyproject.toml").write_text('[tool.mlops-verifier]\ncatalog = "grading/items.yaml"\n')
    assert main([str(root)]) == 2
    err = capsys.readouterr().err
    assert "not allowed in answers patterns" in err and err.count("\n") == 1
