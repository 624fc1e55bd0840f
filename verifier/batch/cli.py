"""`verify batch SOURCE`: verify a cohort and write per-group JSON, results.jsonl, summary.csv
and overview.html into --out.

Exit status: 0 when every group was verified, 1 when some group could not be (refused row,
clone error, no report, timeout, crash), 2 when the source itself is unusable (missing, empty,
a CSV with an unknown header) or the output folder cannot be written.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

EXIT_ALL_VERIFIED, EXIT_SOME_FAILED = 0, 1


def build_parser() -> argparse.ArgumentParser:
    from verifier.cli import OneLineParser

    parser = OneLineParser(
        prog="verify batch",
        description="Verify many repositories: the course's group CSV (group_number, "
        "student_1..student_5, repo_url), a text file of paths or URLs, or a folder of "
        "repositories.",
        epilog="Exit status: 0 every group verified, 1 some group could not be verified, "
        "2 unusable source or output folder.",
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
    parser.add_argument(
        "--timeout",
        type=float,
        default=600,
        metavar="SECONDS",
        help="limit for each clone and each group's verification (default 600; 0: none)",
    )
    parser.add_argument(
        "--allow-local",
        action="store_true",
        help="let a course CSV name local folders and file:// URLs (refused by default)",
    )
    parser.add_argument("--catalog", metavar="FILE", help="an item catalog YAML to use instead")
    parser.add_argument("--probes", metavar="IDS", help="run only these probes (comma-separated)")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from verifier.batch.runner import BatchOptions, run_batch
    from verifier.batch.sources import SourceError, read_groups
    from verifier.errors import ToolError
    from verifier.safe_text import printable

    source = Path(args.source)
    if not source.exists():
        raise ToolError(f"{source} does not exist")
    try:
        groups = read_groups(source, allow_local=args.allow_local)
    except SourceError as exc:
        raise ToolError(str(exc)) from None
    from verifier.catalog import CatalogError
    from verifier.cli import chosen_probes
    from verifier.startup import load_startup

    only = chosen_probes(args.probes)
    probes = tuple(sorted(only)) if only is not None else None
    catalog = str(Path(args.catalog).resolve()) if args.catalog else None
    try:  # loaded once here; every group process inherits it
        if not load_startup(catalog, set(probes) if probes else None).catalog.items:
            raise CatalogError(f"catalog {args.catalog} has no items")
    except CatalogError as exc:
        raise ToolError(str(exc)) from None
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot write --out {out}: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK):
        raise ToolError(f"cannot write --out {out}: permission denied")
    options = BatchOptions(
        out=out,
        cache=Path(args.cache) if args.cache else out / "repos",
        jobs=max(1, args.jobs),
        offline=args.offline,
        refresh=args.fetch,
        force=args.force,
        at=args.at,
        timeout=args.timeout if args.timeout and args.timeout > 0 else None,
        catalog=catalog,
        probes=probes,
    )
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
        auto_refresh=False,  # no thread running while group processes are forked
    ) as bar:
        task = bar.add_task("verifying", total=None)

        def start(count: int) -> None:
            bar.update(task, total=count)
            bar.refresh()

        def progress(record: dict) -> None:
            shown = printable(f"{record['group']}: {record['status']}")
            bar.update(task, advance=1, description=f"verifying ({shown})")
            bar.refresh()

        records = run_batch(groups, options, progress, start)
    failed = [r for r in records if r.get("status") != "ok"]
    console.print(
        printable(
            f"{len(records)} groups, {len(failed)} could not be verified; "
            f"outputs in {out}/ (overview.html, summary.csv, results.jsonl, groups/)"
        ),
        markup=False,
        highlight=False,
    )
    for record in failed:
        line = printable(f"  {record['group']}: {record.get('reason', '')}")
        console.print(line, markup=False, highlight=False)
    return EXIT_SOME_FAILED if failed else EXIT_ALL_VERIFIED
