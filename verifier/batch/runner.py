"""Running a cohort: each group verified in a process of its own, outputs written as groups finish.

``<out>/groups/<group>.json`` is each group's result (the single-repository schema) and
``<group>.inputs.json`` beside it what the result was made from (tool version, ``--at``, the
catalog's content hash, the probes, the repository and its commit). A rerun skips a group only
when its result exists and those inputs are unchanged, unless ``force``; so an interrupted batch
resumes, and a rerun under other options verifies again. ``results.jsonl``, ``summary.csv`` and
``overview.html`` are rewritten from all groups at the end.

One group failing never stops the batch or loses another group's result: a clone error, no
report, a crash, a verification or clone taking longer than ``timeout``, even the group's
process dying (a segmentation fault in a native parser) is recorded as that group's reason.
Rows naming the same repository share one clone: the first clones it, the others wait for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path

from verifier import compiled
from verifier.batch.fetch import DEFAULT_TIMEOUT, cache_path, normalised_url
from verifier.batch.sources import Group
from verifier.records import record
from verifier.safe_text import without_credentials
from verifier.verdicts import VERDICTS


@record(frozen=True)
class BatchOptions:
    """How a batch is run: where results go, caching, parallel jobs."""

    out: Path
    cache: Path
    jobs: int = 1
    offline: bool = False
    refresh: bool = False
    force: bool = False
    at: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT  # for each clone and each verification; None: no limit
    catalog: str | None = None  # a catalog file instead of the built-in one
    probes: tuple[str, ...] | None = None  # only these probes


def group_json(options: BatchOptions, group: Group) -> Path:
    return options.out / "groups" / f"{group.id}.json"


def inputs_json(options: BatchOptions, group: Group) -> Path:
    return options.out / "groups" / f"{group.id}.inputs.json"


def base_record(group: Group) -> dict:
    """The fields every record of a group starts with: who and where."""
    return {
        "group": group.id,
        "repo": without_credentials(group.repo),
        "students": len(group.students),
        "student_names": list(group.students),
    }


# --- what a result was made from ---------------------------------------------------------


def static_inputs(options: BatchOptions) -> dict:
    """The inputs every group of this run shares: tool version, options, catalog, probes."""
    from importlib import resources

    from verifier import __version__

    if options.catalog:
        try:
            catalog_bytes = Path(options.catalog).read_bytes()
        except OSError:
            catalog_bytes = b""
    else:
        catalog_bytes = resources.files("verifier.catalog").joinpath("items.yaml").read_bytes()
    registry = _loaded(options)[1]
    return {
        "tool_version": __version__,
        "at": options.at,
        "rev": None,
        "catalog": options.catalog or "built-in",
        "catalog_sha256": hashlib.sha256(catalog_bytes).hexdigest(),
        "probes": sorted(p.id for p in registry.probes),
    }


def repository_inputs(group: Group, path: Path) -> dict:
    """The repository a group was verified from: its URL (credentials removed) or folder, and
    the commit checked out there (None outside git)."""
    from verifier.repo.gitcmd import GitCommandError, run_git

    try:
        head = run_git(path, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", timeout=30).strip() or None
    except (GitCommandError, Exception):  # not a git repository, or git unusable there
        head = None
    where = normalised_url(group.repo) if group.is_url else str(Path(group.repo).expanduser().resolve())
    return {"repository": where, "head": head}


def current_inputs(group: Group, options: BatchOptions, static: dict) -> dict | None:
    """The inputs a run now would use, or None when they cannot be known without running
    (a repository not cloned yet, or to be fetched again)."""
    if group.is_url:
        if options.refresh and not options.offline:
            return None
        path = cache_path(options.cache, group)
        if not (path / ".git").exists():
            return None
    else:
        path = Path(group.repo).expanduser()
        if not path.is_dir():
            return None
    inputs = {**static, **repository_inputs(group, path)}
    return inputs if inputs["head"] else None  # a folder outside git is verified every time


def previous_record(group: Group, options: BatchOptions, static: dict) -> dict | None:
    """The group's record from an earlier run when its result is still valid for these inputs."""
    if options.force or group.refused:
        return None
    result, inputs_file = group_json(options, group), inputs_json(options, group)
    if not (result.exists() and inputs_file.exists()):
        return None
    try:
        stored = json.loads(inputs_file.read_text(encoding="utf-8"))
        now = current_inputs(group, options, static)
        if now is None or stored != now:
            return None
        data = json.loads(result.read_text(encoding="utf-8"))
        return {**base_record(group), **summarise(data), "result": f"groups/{group.id}.json", "skipped": True}
    except (OSError, ValueError, KeyError, TypeError):
        return None  # an unreadable result is redone


# --- one group ---------------------------------------------------------------------------


def verify_group(
    group: Group,
    options: BatchOptions,
    static: dict | None = None,
    phase: Callable[[str], None] | None = None,
) -> dict:
    """Verify one group and write its JSON and inputs; return its record. Never raises."""
    from verifier.batch.fetch import FetchError, ensure_local
    from verifier.render.json_report import to_dict
    from verifier.run import VerificationError, verify

    start = time.perf_counter()
    record = base_record(group)
    try:
        if group.refused:
            raise VerificationError(group.refused)
        if phase:
            phase("cloning" if group.is_url else "reading")
        try:
            path = ensure_local(group, options.cache, options.offline, options.refresh, options.timeout)
        except FetchError:
            record["fetch_failed"] = True
            raise
        inputs = {**(static or static_inputs(options)), **repository_inputs(group, path)}
        if phase:
            phase("verifying")
        catalog, registry, startup = _startup(options)
        result = verify(path, at=options.at, catalog=catalog, registry=registry, startup=startup)
        data = to_dict(result)
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        _write_atomically(group_json(options, group), text)
        _write_atomically(inputs_json(options, group), json.dumps(inputs, indent=2, sort_keys=True))
        result.view.save_caches()
        compiled.save()
        record.update(summarise(data), result=f"groups/{group.id}.json")
    except (FetchError, VerificationError) as exc:
        record.update(status="error", reason=without_credentials(str(exc)))
    except Exception as exc:  # a crash in one group never stops the batch
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        record.update(
            status="error",
            reason=without_credentials(
                f"crash: {type(exc).__name__}: {exc} ({Path(frame.filename).name}:{frame.lineno})"
            )[:400],
        )
    record["seconds"] = round(time.perf_counter() - start, 3)
    return record


def _loaded(options: BatchOptions):
    """The catalog and probes, loaded once per batch (group processes inherit them)."""
    return _startup(options)[:2]


def _startup(options: BatchOptions):
    """(catalog, registry, start-up timings) through :func:`verifier.startup.load_startup`: the
    first call loads and times them, later calls in the same process (or in a group process
    forked after it) reuse them at no cost."""
    from verifier.startup import load_startup

    only = set(options.probes) if options.probes else None
    startup = load_startup(options.catalog, only)
    return startup.catalog, startup.registry, startup.timings


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)  # complete or absent, never half written


def summarise(data: dict) -> dict:
    """The record fields of a group, from its JSON result."""
    counts = data["summary"]["counts"]
    items = data["items"]
    questions = data.get("questions") or {}
    answer_findings = sum(len(q.get("findings", [])) for q in questions.get("questions", []))
    return {
        "status": "ok",
        "commit": data["repository"]["commit"],
        "chosen_by": data["repository"]["revision"]["chosen_by"],
        "report": data["report"]["path"],
        "edition": data["report"]["edition"],
        "exit_status": data["summary"]["exit_status"],
        "counts": counts,
        "unsupported": [i["id"] for i in items if i["ticked"] and i["verdict"] == "unsupported"],
        "contradicted": [i["id"] for i in items if i["ticked"] and i["verdict"] == "contradicted"],
        "answer_findings": answer_findings,
        "beyond_checklist": len(data.get("beyond_checklist") or []),
        "beyond_checklist_kinds": sorted({f["kind"] for f in data.get("beyond_checklist") or []}),
        "authors": data["repository"].get("authors"),
    }


# --- the cohort ----------------------------------------------------------------------------


def run_batch(
    groups: list[Group],
    options: BatchOptions,
    progress: Callable[[dict], None] | None = None,
    start: Callable[[int], None] | None = None,
) -> list[dict]:
    """Verify every group (skipping those whose result is still valid) and write all outputs.

    ``start`` is told how many groups will run; ``progress`` gets each of their records."""
    options.out.mkdir(parents=True, exist_ok=True)
    static = static_inputs(options)  # loads the catalog and probes once, inherited by every group
    records: dict[str, dict] = {}
    todo = []
    for group in groups:
        previous = previous_record(group, options, static)
        if previous is not None:
            records[group.id] = previous
        else:
            todo.append(group)
    if start:
        start(len(todo))
    log = options.out / "progress.jsonl"
    with open(log, "a", encoding="utf-8") as handle:
        for record in _execute(todo, options, static):
            records[record["group"]] = record
            handle.write(json.dumps(record, default=str) + "\n")
            handle.flush()
            if progress:
                progress(record)
    ordered = [records[g.id] for g in groups if g.id in records]
    write_outputs(ordered, groups, options)
    return ordered


@record
class _Running:
    """A group being verified in its own process."""

    group: Group
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    deadline: float | None
    phase: str = "starting"
    record: dict | None = None


CLONE_GRACE = 10.0  # seconds a clone may overrun its own limit before its process is stopped


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _group_process(conn, group: Group, options: BatchOptions, static: dict) -> None:
    """Body of a group's process: its own process group, so a timeout stops git with it."""
    with contextlib.suppress(OSError):
        os.setsid()
    try:
        record = verify_group(group, options, static, phase=lambda name: conn.send(("phase", name)))
        conn.send(("done", record))
    finally:
        conn.close()


def _execute(todo: list[Group], options: BatchOptions, static: dict):
    """Yield each group's record as it finishes; at most ``jobs`` group processes at a time."""
    if not todo:
        return
    context = _context()
    ready: deque[Group] = deque()
    followers: dict[Path, list[Group]] = {}  # groups waiting for a clone another group makes
    for group in todo:
        key = _clone_key(group, options)
        if key is not None and key in followers:
            followers[key].append(group)
            continue
        if key is not None:
            followers[key] = []
        ready.append(group)
    running: list[_Running] = []
    jobs = max(1, options.jobs)
    limit = options.timeout if options.timeout and options.timeout > 0 else None
    while ready or running:
        while ready and len(running) < jobs:
            group = ready.popleft()
            parent_end, child_end = context.Pipe(duplex=False)
            process = context.Process(
                target=_group_process, args=(child_end, group, options, static), daemon=True
            )
            process.start()
            child_end.close()
            # a clone stops itself at the limit; this is only the backstop
            deadline = time.monotonic() + limit + CLONE_GRACE if limit else None
            running.append(_Running(group, process, parent_end, deadline))
        now = time.monotonic()
        deadlines = [r.deadline - now for r in running if r.deadline is not None]
        wait_for = max(0.0, min(deadlines)) if deadlines else None
        wait([r.process.sentinel for r in running] + [r.conn for r in running], timeout=wait_for)
        for slot in list(running):
            _drain(slot, limit)
            timed_out = slot.deadline is not None and time.monotonic() >= slot.deadline
            if slot.process.is_alive() and not timed_out:
                continue
            if slot.process.is_alive():
                _stop(slot.process)
            slot.process.join()
            key = _clone_key(slot.group, options)
            if key is not None and slot.record is None:  # a clone stopped half made
                shutil.rmtree(key.with_name(f"{key.name}.partial-{slot.process.pid}"), ignore_errors=True)
            _drain(slot, limit)
            slot.conn.close()
            running.remove(slot)
            record = slot.record or _lost(slot, timed_out, limit)
            clone_failed = record.pop("fetch_failed", False) or (timed_out and slot.phase == "cloning")
            yield record
            waiting = followers.pop(_clone_key(slot.group, options), [])
            if clone_failed:
                for follower in waiting:  # the same repository would fail the same way
                    yield {**base_record(follower), "status": "error", "reason": record["reason"]}
            else:
                ready.extend(waiting)


def _clone_key(group: Group, options: BatchOptions) -> Path | None:
    """The cache folder a group clones into (groups sharing it wait for one clone)."""
    return cache_path(options.cache, group) if group.is_url and not group.refused else None


def _drain(slot: _Running, limit: float | None) -> None:
    try:
        while slot.conn.poll():
            kind, value = slot.conn.recv()
            if kind == "phase":
                slot.phase = value
                if value == "verifying" and limit:
                    slot.deadline = time.monotonic() + limit  # the verification's own limit
            elif kind == "done":
                slot.record = value
    except (EOFError, OSError):
        pass


def _stop(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the group's process and any git it started
    except (OSError, AttributeError):
        process.kill()


def _lost(slot: _Running, timed_out: bool, limit: float | None) -> dict:
    record = base_record(slot.group)
    if timed_out:
        reason = f"timed out after {limit:g} s while {slot.phase}"
    else:
        code = slot.process.exitcode
        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}"
        else:
            how = f"exit status {code}"
        reason = f"the group's process died ({how}) while {slot.phase}"
    return {**record, "status": "error", "reason": reason}


# --- outputs -------------------------------------------------------------------------------


def write_outputs(records: list[dict], groups: list[Group], options: BatchOptions) -> None:
    from verifier.render.spreadsheet import write_csv

    out = options.out
    with open(out / "results.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            clean = {k: v for k, v in record.items() if k != "skipped"}
            handle.write(json.dumps(clean, ensure_ascii=False, default=str) + "\n")
    header = [
        "group",
        "repo_url",
        "status",
        "reason",
        "commit",
        "edition",
        *VERDICTS,
        "unsupported_items",
        "contradicted_items",
        "answer_findings",
        "beyond_checklist",
        "beyond_checklist_kinds",
        "group_size",
        "students",
        "distinct_authors",
    ]
    rows = []
    for r in records:
        counts = r.get("counts") or {}
        rows.append(
            [
                r["group"],
                r["repo"],
                r.get("status"),
                r.get("reason", ""),
                r.get("commit") or "",
                r.get("edition", ""),
                *[counts.get(v, "") for v in VERDICTS],
                " ".join(r.get("unsupported", [])),
                " ".join(r.get("contradicted", [])),
                r.get("answer_findings", ""),
                r.get("beyond_checklist", ""),
                " ".join(r.get("beyond_checklist_kinds", [])),
                r.get("students", ""),
                "; ".join(r.get("student_names", [])),
                r.get("authors") or "",
            ]
        )
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as handle:
        write_csv(handle, header, rows)
    from verifier.render.overview import write_overview

    write_overview(records, options.out)
