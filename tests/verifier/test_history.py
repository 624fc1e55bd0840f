"""Evidence removed from the history before the verified commit is told, not credited."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT / "examples" / "overclaimed-project" / "reports" / "README.md").read_text()


def test_a_removed_pre_commit_config_is_noted_on_the_unsupported_tick(make_repo, capsys):
    root = make_repo(
        {
            "reports/README.md": REPORT,
            ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks:\n  - id: ruff\n",
        }
    )
    first = git(root, "rev-parse", "HEAD").strip()
    git(root, "rm", "-q", ".pre-commit-config.yaml")
    git(root, "commit", "-qm", "drop hooks")
    removed_in = git(root, "rev-parse", "HEAD").strip()
    status = main([str(root), "--json"])
    data = json.loads(capsys.readouterr().out)
    item = next(i for i in data["items"] if i["id"] == "pre-commit")
    assert item["verdict"] == "unsupported" and status == 1
    [note] = [e for e in item["evidence"] if e["role"] == "note"]
    assert note["path"] == ".pre-commit-config.yaml"
    assert note["data"]["last_with"] == first and note["data"]["removed_in"] == removed_in
    assert f"existed until {first[:10]}" in note["message"]
    # the verified commit before the removal has the file: supported, nothing to note
    main([str(root), "--rev", first, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert next(i for i in data["items"] if i["id"] == "pre-commit")["verdict"] == "supported"
