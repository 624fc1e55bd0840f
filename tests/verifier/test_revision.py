"""Verifying a revision: files come from git objects, chosen by --rev or --at."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from verifier.cli import main
from verifier.repo.revision import parse_moment

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT / "examples" / "overclaimed-project" / "reports" / "README.md").read_text()


def commit_at(root: Path, message: str, when: str) -> str:
    git(root, "add", "-A")
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(root, "commit", "-qm", message, env=env)
    return git(root, "rev-parse", "HEAD").strip()


def repo_with_late_commit(make_repo) -> tuple[Path, str, str]:
    root = make_repo({"reports/README.md": REPORT, "Dockerfile": "FROM python:3.11\n"}, git_init=False)
    git(root, "init", "-q")
    handed_in = commit_at(root, "hand-in", "2026-01-23T22:30:00+01:00")
    (root / "Dockerfile").write_text('FROM python:3.11\nRUN pip install torch\nCMD ["python", "t.py"]\n')
    (root / ".pre-commit-config.yaml").write_text("repos:\n- repo: x\n  hooks:\n  - id: ruff\n")
    late = commit_at(root, "after the deadline", "2026-01-24T00:30:00+01:00")
    return root, handed_in, late


def verdicts(capsys, *args) -> tuple[int, dict]:
    status = main([*args, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_at_picks_the_last_commit_before_the_deadline(make_repo, capsys):
    root, handed_in, late = repo_with_late_commit(make_repo)
    _, data = verdicts(capsys, str(root), "--at", "2026-01-23 23:59")
    revision = data["repository"]["revision"]
    assert revision["commit"] == handed_in
    assert revision["date"].startswith("2026-01-23T22:30:00")
    assert "at or before 2026-01-23T23:59:00+01:00" in revision["chosen_by"]
    items = {i["id"]: i["verdict"] for i in data["items"]}
    assert items["dockerfile"] == "weak" and items["pre-commit"] == "unsupported"


def test_at_is_timezone_aware(make_repo, capsys):
    root, handed_in, late = repo_with_late_commit(make_repo)
    # 23:45 UTC is 00:45 in Copenhagen: after the late commit
    _, data = verdicts(capsys, str(root), "--at", "2026-01-23T23:45:00+00:00")
    assert data["repository"]["revision"]["commit"] == late


def test_rev_reads_objects_not_the_working_tree(make_repo, capsys):
    root, handed_in, late = repo_with_late_commit(make_repo)
    (root / "Dockerfile").write_text("not a dockerfile any more")  # uncommitted change
    _, data = verdicts(capsys, str(root), "--rev", late)
    items = {i["id"]: i["verdict"] for i in data["items"]}
    assert items["dockerfile"] == "supported" and items["pre-commit"] == "supported"
    assert data["repository"]["revision"]["chosen_by"] == f"--rev {late}"
    assert (root / "Dockerfile").read_text() == "not a dockerfile any more"
    assert git(root, "status", "--porcelain").strip() == "M Dockerfile"


def test_unknown_revision_and_date_before_history_exit_2(make_repo, capsys):
    root, _, _ = repo_with_late_commit(make_repo)
    assert main([str(root), "--rev", "nope"]) == 2
    assert "no commit 'nope'" in capsys.readouterr().err
    assert main([str(root), "--at", "2020-01-01"]) == 2
    assert "no commit on" in capsys.readouterr().err


def test_naive_moments_are_danish_time():
    assert parse_moment("2026-01-23 23:59").utcoffset().total_seconds() == 3600
    assert parse_moment("2026-07-01 12:00").utcoffset().total_seconds() == 7200
