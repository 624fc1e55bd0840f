"""A repository that is hostile by accident or on purpose: the run completes and says what it
skipped, and nothing it writes can run student content."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import git
from verifier.cli import main

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT / "examples" / "overclaimed-project" / "reports" / "README.md").read_text()
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_every_kind_of_bad_input_at_once(make_repo, tmp_path, capsys):
    files = {
        "reports/README.md": REPORT.replace(
            "### Question 1\n", "<img src=x onerror=alert(1)>\n\n### Question 1\n"
        ),
        "big.py": "x = 1\n" * 400_000,  # 2.4 MB, over the read cap
        "model.py": b"\x7fELF\x00\x00binary",
        "legacy.py": 'print "python 2"\n',
        "deep.py": "x = " + "[" * 2000 + "]" * 2000 + "\n",
        "latin.py": b'# caf\xe9\nimport wandb\n\nif __name__ == "__main__":\n    wandb.init()\n',
        ".github/workflows/bomb.yml": BOMB,
        ".github/workflows/broken.yml": "on: [push\n",
        "configs/deep.yaml": "[" * 300 + "]" * 300 + "\n",
        "pyproject.toml": "[project\nname=",
        "Dockerfile": "RUN echo no FROM\n",
        "notebooks/bad.ipynb": "{not json",
        ".dvc/config": b"\xff\xfe\x00garbage",
    }
    root = make_repo(files)
    outside = tmp_path / "secret.txt"
    outside.write_text("token")
    os.symlink(outside, root / "link.yaml")
    git(root, "add", "link.yaml")
    git(root, "commit", "-qm", "link")
    status = main([str(root), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status in (0, 1)
    assert data["probe_errors"] == []
    noted = {n["path"] for n in data["notices"]}
    assert {
        "big.py",
        "model.py",
        "legacy.py",
        "deep.py",
        "latin.py",
        ".github/workflows/bomb.yml",
        ".github/workflows/broken.yml",
        "configs/deep.yaml",
        "pyproject.toml",
        "Dockerfile",
        "notebooks/bad.ipynb",
        "link.yaml",
    } <= noted
    verdicts = {i["id"]: i["verdict"] for i in data["items"]}
    assert verdicts["wandb"] == "supported"  # the file with invalid UTF-8 is still read
    # the terminal report shows student text inert
    main([str(root)])
    out = capsys.readouterr().out
    assert "\x1b" not in out
