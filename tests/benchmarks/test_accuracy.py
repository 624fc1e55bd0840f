"""The accuracy benchmark, on a labelled repository built here and a bare clone of it as the mirror."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from benchmarks import accuracy
from tests.conftest import git

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "honest-project"


def _labels(items: list[tuple[str, str]]) -> list[dict]:
    return [{"text": i, "id": i, "ticked": True, "label": label, "confidence": "high"} for i, label in items]


@pytest.fixture
def labelled(tmp_path: Path):
    """A mirror folder holding one bare repository (the honest example) and a label file for it."""
    work = tmp_path / "work"
    shutil.copytree(EXAMPLE, work)
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "hand-in")
    commit = git(work, "rev-parse", "HEAD").strip()
    mirrors = tmp_path / "mirrors"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(mirrors / "group+project" / "repo"))

    def write(items: list[tuple[str, str]], name: str = "group__project.yaml", repo: str = "group/project"):
        path = tmp_path / "gold" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump({"repo": repo, "commit": commit, "items": _labels(items)}))
        return path

    return mirrors, write


def test_agreeing_labels_meet_the_goal(labelled, capsys):
    mirrors, write = labelled
    gold = write([("git-repo", "supported"), ("dockerfile", "supported"), ("write-access", "not-verifiable")])
    assert accuracy.main([str(gold), "--mirrors", str(mirrors)]) == 0
    out = capsys.readouterr().out
    assert "group/project: ticked=3 agreement=100.0% (3/3)" in out
    assert out.strip().splitlines()[-1].startswith("pooled (1 repositories): ticked=3")


def test_a_wrong_flag_lowers_precision_and_is_shown(labelled, capsys):
    mirrors, write = labelled
    gold = write([("git-repo", "supported"), ("dockerfile", "unsupported")])
    assert accuracy.main([str(gold), "--mirrors", str(mirrors), "--show"]) == 1
    out = capsys.readouterr().out
    assert "group/project dockerfile: verifier=supported label=unsupported" in out
    assert "agreement=50.0% (1/2)" in out
    assert "flag-recall=0.0% (0/1)" in out


def test_the_checkout_has_the_github_origin(labelled, tmp_path):
    mirrors, write = labelled
    gold = accuracy.load_gold(write([("git-repo", "supported")]))
    tree = tmp_path / "tree"
    accuracy.checkout(accuracy.mirror_of(mirrors, "group/project"), gold["commit"], tree, "group/project")
    assert git(tree, "remote", "get-url", "origin").strip() == "https://github.com/group/project.git"
    assert (tree / "reports" / "README.md").is_file()


def test_a_missing_mirror_is_skipped_with_a_message(labelled, capsys):
    mirrors, write = labelled
    present = write([("git-repo", "supported")])
    absent = write([("git-repo", "supported")], name="other__absent.yaml", repo="other/absent")
    assert accuracy.main([str(present), str(absent), "--mirrors", str(mirrors)]) == 0
    out = capsys.readouterr().out
    assert "other/absent: skipped, no mirror at" in out
    assert "pooled (1 repositories)" in out


def test_flags_on_low_confidence_labels_are_not_counted():
    gold = {
        "repo": "g/p",
        "commit": "0" * 40,
        "items": [
            {"id": "a", "text": "A", "ticked": True, "label": "supported", "confidence": "low"},
            {"id": "b", "text": "B", "ticked": True, "label": "contradicted", "confidence": "high"},
            {"id": "c", "text": "C", "ticked": False, "label": "absent"},
        ],
    }
    doc = {"items": [{"id": "a", "verdict": "unsupported"}, {"id": "b", "verdict": "contradicted"}]}
    result = accuracy.score(gold, doc)
    assert (result.ticked, result.agree) == (2, 1)
    assert (result.tool_flags, result.true_flags, result.gold_flags, result.found_flags) == (1, 1, 1, 1)
    assert [d.item_id for d in result.disagreements] == ["a"]


def test_a_revision_that_is_not_a_commit_id_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a hexadecimal commit id"):
        accuracy.checkout(tmp_path, "--upload-pack=x", tmp_path / "t", "g/p")
