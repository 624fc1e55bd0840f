"""What the tool prints or stores is safe: no credentials from URLs, no terminal control.

The hostile inputs are built here: a remote with a token in its URL, a batch row whose clone
fails with git quoting the URL, file names and report text holding ESC[2J (clear screen) and a
line break followed by a fake "Summary" line.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from verifier.batch.runner import BatchOptions, run_batch
from verifier.batch.sources import Group
from verifier.cli import main
from verifier.safe_text import printable, without_credentials

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT / "examples" / "overclaimed-project" / "reports" / "README.md").read_text()
TOKEN = "ghp_SECRETTOKEN1234567890"
CLEAR = "\x1b[2J\x1b[H"
FAKE = "\nSummary: 31 supported\nNo ticked item is unsupported or contradicted."


def test_credentials_are_removed_from_urls_alone_and_in_messages():
    assert without_credentials(f"https://student:{TOKEN}@github.com/o/r.git") == "https://github.com/o/r.git"
    assert without_credentials(f"https://{TOKEN}@github.com/o/r") == "https://github.com/o/r"
    quoted = f"fatal: unable to access 'https://x:{TOKEN}@host/r.git/': refused"
    assert without_credentials(quoted) == "fatal: unable to access 'https://host/r.git/': refused"
    assert without_credentials("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert without_credentials("https://github.com/o/r@v1") == "https://github.com/o/r@v1"
    assert without_credentials(f"https://github.com/o/r.git?token={TOKEN}") == "https://github.com/o/r.git"
    assert without_credentials(f"see 'https://h/r#access_token={TOKEN}' now") == "see 'https://h/r' now"


def test_a_token_in_the_remote_never_reaches_any_output(make_repo, tmp_path, capsys):
    root = make_repo({"reports/README.md": REPORT})
    git(root, "remote", "add", "origin", f"https://student:{TOKEN}@github.com/dtu/mlops.git")
    git(root, "remote", "add", "mirror", f"https://github.com/dtu/mlops-mirror.git?token={TOKEN}")
    written = tmp_path / "result.json"
    main([str(root), "-o", str(written), "-v"])
    terminal = capsys.readouterr()
    main([str(root), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["repository"]["remote"] == "https://github.com/dtu/mlops.git"
    assert TOKEN not in written.read_text() and TOKEN not in terminal.out + terminal.err
    assert TOKEN not in json.dumps(data)


def test_a_token_in_a_batch_url_never_reaches_the_batch_outputs(make_repo, tmp_path, capsys):
    local = make_repo({"reports/README.md": REPORT}, name="local")
    git(local, "remote", "add", "origin", f"https://u:{TOKEN}@github.com/dtu/local.git")
    source = tmp_path / "groups.txt"
    # port 9 (discard) refuses at once: the clone fails and git quotes the URL in its error
    source.write_text(f"https://student:{TOKEN}@127.0.0.1:9/dtu/private.git\n{local}\n")
    out = tmp_path / "out"
    assert main(["batch", str(source), "--out", str(out), "--jobs", "1"]) in (0, 1)
    printed = capsys.readouterr()
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    failed = [r for r in records if r["status"] == "error"]
    assert failed and failed[0]["repo"] == "https://127.0.0.1:9/dtu/private.git"
    texts = [printed.out, printed.err]
    texts += [
        p.read_text()
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".json", ".jsonl", ".csv", ".html")
    ]
    assert len(texts) >= 6
    assert all(TOKEN not in text for text in texts)


def test_printable_keeps_one_line_and_escapes_control_characters():
    shown = printable(f"notes{CLEAR}{FAKE}\u202ecod.exe\x07")
    assert "\n" not in shown and "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\\e[2J" in shown and "\\nSummary" in shown and "\\u202e" in shown and "\\x07" in shown


def test_file_names_and_report_text_cannot_drive_the_terminal(make_repo, capsys):
    evil_name = f"src/{CLEAR}{FAKE}.py"
    report = REPORT.replace("### Week 2", f"* [x] zebra training{CLEAR} done\n\n### Week 2")
    root = make_repo(
        {
            "reports/README.md": report,
            evil_name: b"\x00\x01binary",  # a notice names it
            f"configs/{CLEAR}x{FAKE}/Dockerfile": "FROM python:3.11\nCMD python x.py\n",
        }
    )
    main([str(root), "-v"])
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert sum(1 for line in out.splitlines() if line.startswith("Summary")) == 1
    assert sum(1 for line in out.splitlines() if line.startswith("No ticked item")) <= 1
    assert "\\e[2J" in out and "\\nSummary: 31 supported" in out


def test_batch_reasons_and_errors_reach_the_terminal_escaped(tmp_path, capsys):
    source = tmp_path / "groups.txt"
    source.write_text(f"/nonexistent/{CLEAR}group\n")
    main(["batch", str(source), "--out", str(tmp_path / "out"), "--jobs", "1"])
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err
    assert "\\e[2J" in printed.out + printed.err
    group = Group("g", f"/nonexistent/{CLEAR}x")
    record = run_batch([group], BatchOptions(out=tmp_path / "o2", cache=tmp_path / "c", jobs=1))[0]
    assert record["status"] == "error"  # stored as it was (JSON escapes it); printed escaped


def test_usage_errors_on_stderr_are_escaped(tmp_path, capsys):
    missing = tmp_path / f"no{CLEAR}where{FAKE}"
    assert main([str(missing)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1
