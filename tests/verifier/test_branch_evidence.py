"""Evidence only on a branch never merged into the verified revision: a note, never support."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import git
from verifier.cli import main

HONEST = Path(__file__).resolve().parents[2] / "examples" / "honest-project"


def _repo_with_docker_work_on_a_branch(tmp_path: Path, merged: bool) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(HONEST, repo)
    shutil.rmtree(repo / "dockerfiles")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hand-in")
    git(repo, "checkout", "-qb", "docker-work")
    (repo / "dockerfiles").mkdir()
    (repo / "dockerfiles" / "train.dockerfile").write_text(
        'FROM python:3.11\nRUN pip install .\nCMD ["python", "-m", "pkg.train"]\n'
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "docker")
    git(repo, "checkout", "-q", "main")
    if merged:
        git(repo, "merge", "-q", "--no-ff", "-m", "merge", "docker-work")
        git(repo, "rm", "-rq", "dockerfiles")
        git(repo, "commit", "-qm", "drop docker")
    return repo


def _dockerfile_item(capsys, repo: Path) -> dict:
    main([str(repo), "--json"])
    return next(i for i in json.loads(capsys.readouterr().out)["items"] if i["id"] == "dockerfile")


def test_a_dockerfile_only_on_an_unmerged_branch_is_named_but_not_counted(tmp_path, capsys):
    item = _dockerfile_item(capsys, _repo_with_docker_work_on_a_branch(tmp_path, merged=False))
    assert item["verdict"] == "unsupported"
    [note] = [e for e in item["evidence"] if e["kind"] == "history.unmerged-branch"]
    assert note["role"] == "note" and note["path"] == "dockerfiles/train.dockerfile"
    assert "on branch docker-work" in note["message"] and "not in the verified revision" in note["message"]


def test_a_merged_branch_is_not_reported_as_unmerged_work(tmp_path, capsys):
    item = _dockerfile_item(capsys, _repo_with_docker_work_on_a_branch(tmp_path, merged=True))
    assert not [e for e in item["evidence"] if e["kind"] == "history.unmerged-branch"]
