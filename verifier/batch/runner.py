"""Running a cohort: one process per group at a time, outputs written as groups finish.

``<out>/groups/<group>.json`` is each group's result (the single-repository schema); a group
whose result exists is skipped on a rerun unless ``force``, so an interrupted batch resumes.
``results.jsonl``, ``summary.csv`` and ``overview.html`` are rewritten from all groups at the end.
One group failing (clone error, no report, a crash) is recorded with its reason and never
stops the batch.
"""

from __future__ import annotations

import csv
import json
import os
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from verifier.batch.sources import Group
from verifier.safe_text import without_credentials
from verifier.verdicts import VERDICTS


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    cache: Path
    jobs: int = 1
    offline: bool = False
    refresh: bool = False
    force: bool = False
    at: str | None = None


def group_json(options: BatchOptions, group: Group) -> Path:
    return options.out / "groups" / f"{group.id}.json"


def verify_group(group: Group, options: BatchOptions) -> dict:
    """Verify one group and write its JSON; return its record. Never raises."""
    from verifier.batch.fetch import FetchError, ensure_local
    from verifier.render.json_report import to_dict
    from verifier.run import VerificationError, verify

    start = time.perf_counter()
    record = {"group": group.id, "repo": without_credentials(group.repo), "students": len(group.students)}
    try:
        path = ensure_local(group, options.cache, options.offline, options.refresh)
        result = verify(path, at=options.at)
        data = to_dict(result)
        target = group_json(options, group)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, target)  # a result file is complete or absent, never half written
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
        "authors": data["repository"].get("authors"),
    }


def run_batch(groups: list[Group], options: BatchOptions, progress=None) -> list[dict]:
    """Verify every group (skipping finished ones unless forced) and write all outputs."""
    options.out.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict] = {}
    todo = []
    for group in groups:
        existing = group_json(options, group)
        if existing.exists() and not options.force:
            try:
                data = json.loads(existing.read_text(encoding="utf-8"))
                records[group.id] = {
                    "group": group.id,
                    "repo": without_credentials(group.repo),
                    "students": len(group.students),
                    **summarise(data),
                    "result": f"groups/{group.id}.json",
                    "skipped": True,
                }
                continue
            except (ValueError, KeyError):
                pass  # an unreadable result is redone
        todo.append(group)
    log = options.out / "progress.jsonl"
    with open(log, "a", encoding="utf-8") as handle:
        for record in _execute(todo, options, progress):
            records[record["group"]] = record
            handle.write(json.dumps(record, default=str) + "\n")
            handle.flush()
    ordered = [records[g.id] for g in groups if g.id in records]
    write_outputs(ordered, groups, options)
    return ordered


def _execute(todo: list[Group], options: BatchOptions, progress):
    if not todo:
        return
    if options.jobs <= 1:
        for group in todo:
            record = verify_group(group, options)
            if progress:
                progress(record)
            yield record
        return
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        futures = {pool.submit(verify_group, group, options): group for group in todo}
        for future in as_completed(futures):
            try:
                record = future.result()
            except Exception as exc:  # the worker process itself died
                group = futures[future]
                record = {
                    "group": group.id,
                    "repo": without_credentials(group.repo),
                    "students": len(group.students),
                    "status": "error",
                    "reason": without_credentials(f"worker failed: {type(exc).__name__}: {exc}"),
                }
            if progress:
                progress(record)
            yield record


def write_outputs(records: list[dict], groups: list[Group], options: BatchOptions) -> None:
    out = options.out
    with open(out / "results.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            clean = {k: v for k, v in record.items() if k != "skipped"}
            handle.write(json.dumps(clean, ensure_ascii=False, default=str) + "\n")
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
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
                "group_size",
                "distinct_authors",
            ]
        )
        for r in records:
            counts = r.get("counts") or {}
            writer.writerow(
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
                    r.get("students", ""),
                    r.get("authors") or "",
                ]
            )
    from verifier.render.overview import write_overview

    write_overview(records, options.out)
