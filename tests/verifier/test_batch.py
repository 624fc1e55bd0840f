"""Cohorts: a group CSV of local repositories, failures recorded, resuming, the overview page."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import git
from verifier.batch.runner import BatchOptions, run_batch
from verifier.batch.sources import read_groups
from verifier.cli import main
from verifier.result import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
HONEST = ROOT / "examples" / "honest-project"
OVERCLAIMED = ROOT / "examples" / "overclaimed-project"


def copy_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())


def bare_remote(
    tmp_path: Path,
    name: str,
    files_from: Path | None,
    extra: dict | None = None,
    commits: list[tuple[str, str]] | None = None,
) -> str:
    """A bare repository reachable by a file:// URL, built from a work tree."""
    work = tmp_path / "work" / name
    work.mkdir(parents=True)
    if files_from:
        copy_tree(files_from, work)
    for rel, text in (extra or {}).items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text)
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(
        work,
        "commit",
        "-qm",
        "initial",
        "--allow-empty",
        env={"GIT_COMMITTER_DATE": "2026-01-20T12:00:00+01:00"},
    )
    for message, when in commits or []:
        (work / "late.txt").write_text(message)
        (work / "Dockerfile").write_text('FROM python\nRUN pip install x\nCMD ["x"]\n')
        git(work, "add", "-A")
        git(work, "commit", "-qm", message, env={"GIT_COMMITTER_DATE": when})
    bare = tmp_path / "remotes" / f"{name}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    return bare.as_uri()


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    urls = [
        bare_remote(tmp_path, "honest", HONEST),
        bare_remote(tmp_path, "overclaimed", OVERCLAIMED),
        bare_remote(
            tmp_path, "late", OVERCLAIMED, commits=[("after the deadline", "2026-01-25T10:00:00+01:00")]
        ),
        bare_remote(tmp_path, "noreport", None, extra={"README.md": "# just code\n"}),
        "file://" + str(tmp_path / "remotes" / "missing.git"),
        bare_remote(
            tmp_path,
            "evil",
            OVERCLAIMED,
            extra={
                "reports/README.md": (OVERCLAIMED / "reports" / "README.md")
                .read_text()
                .replace("### Week 2", "* [x] <script>alert('x')</script> zebra\n\n### Week 2")
            },
        ),
    ]
    source = tmp_path / "groups.csv"
    with open(source, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["group_number", "student_1", "student_2", "student_3", "student_4", "student_5", "repo_url"]
        )
        for number, url in enumerate(urls, start=1):
            writer.writerow([number, "s1", "s2", "s3" if number % 2 else "", "", "", url])
    return source


def test_batch_writes_every_output_and_records_failures(cohort: Path, tmp_path: Path):
    out = tmp_path / "out"
    # two groups cannot be verified: exit status 1
    assert main(["batch", str(cohort), "--out", str(out), "--jobs", "2", "--allow-local"]) == 1
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    status = {r["group"]: r["status"] for r in records}
    assert status == {
        "group_1": "ok",
        "group_2": "ok",
        "group_3": "ok",
        "group_4": "error",
        "group_5": "error",
        "group_6": "ok",
    }
    reasons = {r["group"]: r.get("reason", "") for r in records}
    assert "no 02476 report found" in reasons["group_4"]
    assert "clone failed" in reasons["group_5"]
    for group in ("group_1", "group_2", "group_3", "group_6"):
        data = json.loads((out / "groups" / f"{group}.json").read_text())
        assert data["schema_version"] == SCHEMA_VERSION
    rows = list(csv.DictReader((out / "summary.csv").open()))
    row = {r["group"]: r for r in rows}
    assert row["group_1"]["unsupported"] == "0" and row["group_1"]["status"] == "ok"
    assert "wandb" in row["group_2"]["unsupported_items"].split()
    assert row["group_1"]["group_size"] == "3" and row["group_2"]["group_size"] == "2"
    assert row["group_1"]["distinct_authors"] == "1"
    page = (out / "overview.html").read_text()
    assert "http://" not in page.replace("http-equiv", "") and "https://" not in page
    assert 'id="e-group_2-wandb"' in page and 'href="#e-group_2-wandb"' in page
    assert "group_5" in page and "clone failed" in page


def test_student_text_in_the_overview_is_escaped(cohort: Path, tmp_path: Path):
    out = tmp_path / "out"
    main(["batch", str(cohort), "--out", str(out), "--jobs", "1", "--allow-local"])
    data = json.loads((out / "groups" / "group_6.json").read_text())
    assert any("<script>" in u["text"] for u in data["unmatched"])
    page = (out / "overview.html").read_text()
    assert "<script>alert" not in page
    assert page.count("<script>") == 1  # the page's own sorting script only


def test_rerun_skips_finished_groups_and_resumes(cohort: Path, tmp_path: Path):
    out = tmp_path / "out"
    groups = read_groups(cohort, allow_local=True)
    options = BatchOptions(out=out, cache=out / "repos", jobs=1)
    # an interrupted run: only the first two groups finished
    run_batch(groups[:2], options)
    first = (out / "groups" / "group_1.json").stat().st_mtime_ns
    seen: list[str] = []
    records = run_batch(groups, options, progress=lambda r: seen.append(r["group"]))
    assert "group_1" not in seen and "group_2" not in seen
    assert set(seen) == {"group_3", "group_4", "group_5", "group_6"}
    assert (out / "groups" / "group_1.json").stat().st_mtime_ns == first
    assert len(records) == 6
    clones = sorted(p.name for p in (out / "repos").iterdir())
    run_batch(groups, BatchOptions(out=out, cache=out / "repos", jobs=1, force=True))
    assert sorted(p.name for p in (out / "repos").iterdir()) == clones  # never re-cloned


def test_offline_uses_the_cache_only(cohort: Path, tmp_path: Path):
    out = tmp_path / "out"
    options = BatchOptions(out=out, cache=tmp_path / "empty-cache", jobs=1, offline=True)
    records = run_batch(read_groups(cohort, allow_local=True)[:1], options)
    assert records[0]["status"] == "error" and "--offline" in records[0]["reason"]


def test_batch_at_a_deadline(cohort: Path, tmp_path: Path):
    out = tmp_path / "out"
    main(
        ["batch", str(cohort), "--out", str(out), "--jobs", "1", "--allow-local", "--at", "2026-01-23 23:59"]
    )
    data = json.loads((out / "groups" / "group_3.json").read_text())
    assert "at or before 2026-01-23T23:59:00+01:00" in data["repository"]["revision"]["chosen_by"]
    assert {i["id"]: i["verdict"] for i in data["items"]}["dockerfile"] == "weak"


def test_sources_text_file_and_folder(tmp_path: Path):
    listing = tmp_path / "repos.txt"
    listing.write_text("# cohort\nhttps://github.com/a/one.git\n/some/path/two\n\n")
    groups = read_groups(listing)
    assert [(g.id, g.is_url) for g in groups] == [("one", True), ("two", False)]
    (tmp_path / "folder" / "alpha").mkdir(parents=True)
    (tmp_path / "folder" / "beta").mkdir()
    assert [g.id for g in read_groups(tmp_path / "folder")] == ["alpha", "beta"]


def test_chromium_renders_the_overview(cohort: Path, tmp_path: Path):
    from verifier.render.screenshot import find_browser, screenshot

    if find_browser() is None:
        pytest.skip("Chromium is not installed (Debian package chromium)")
    out = tmp_path / "out"
    main(["batch", str(cohort), "--out", str(out), "--jobs", "1", "--allow-local"])
    png = screenshot(out / "overview.html", tmp_path / "overview.png", "1200x800")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
