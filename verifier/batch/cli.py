"""`verify batch SOURCE`: verify a cohort and write per-group JSON, results.jsonl, summary.csv
and overview.html into --out."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verify batch",
        description="Verify many repositories: the course's group CSV (group_number, "
        "student_1..student_5, repo_url), a text file of paths or URLs, or a folder of "
        "repositories.",
    )
    parser.add_argument("source", help="group CSV, text file of paths/URLs, or a folder")
    parser.add_argument("--out", default="verify-out", help="output folder (default verify-out)")
    parser.add_argument("--cache", help="where URLs are cloned (default OUT/repos)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="groups verified in parallel (default: the number of cores)",
    )
    parser.add_argument("--offline", action="store_true", help="use cached clones only")
    parser.add_argument("--fetch", action="store_true", help="fetch cached clones again")
    parser.add_argument("--force", action="store_true", help="redo groups that have a result")
    parser.add_argument(
        "--at",
        metavar="DATE",
        help="verify each group's hand-in commit (the last commit on its default branch at or before DATE)",
    )
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from verifier.batch.runner import BatchOptions, run_batch
    from verifier.batch.sources import SourceError, read_groups
    from verifier.safe_text import printable

    source = Path(args.source)
    if not source.exists():
        print(printable(f"verify batch: {source} does not exist"), file=sys.stderr)
        return 2
    try:
        groups = read_groups(source)
    except SourceError as exc:
        print(printable(f"verify batch: {exc}"), file=sys.stderr)
        return 2
    out = Path(args.out)
    options = BatchOptions(
        out=out,
        cache=Path(args.cache) if args.cache else out / "repos",
        jobs=max(1, args.jobs),
        offline=args.offline,
        refresh=args.fetch,
        force=args.force,
        at=args.at,
    )
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=False
    ) as bar:
        task = bar.add_task("verifying", total=len(groups))
        skipped = sum(1 for g in groups if (out / "groups" / f"{g.id}.json").exists()) * (not args.force)
        bar.advance(task, skipped)

        def progress(record: dict) -> None:
            shown = printable(f"{record['group']}: {record['status']}")
            bar.update(task, advance=1, description=f"verifying ({shown})")

        records = run_batch(groups, options, progress)
    failed = [r for r in records if r.get("status") != "ok"]
    console.print(
        f"{len(records)} groups, {len(failed)} could not be verified; "
        f"outputs in {out}/ (overview.html, summary.csv, results.jsonl, groups/)"
    )
    for record in failed:
        console.print(printable(f"  {record['group']}: {record.get('reason', '')}"), markup=False)
    return 0
