"""`verify PATH`: check a 02476 report's ticked checklist against its repository.

Exit status: 0 when no ticked item is unsupported or contradicted, 1 when some are (1 means
flagged and nothing else), 2 when the tool could not do its job: a usage error, a path that
does not exist, no or an unreadable report, an unwritable output, a crash. Exit status 2 always
comes with one line on standard error, never a traceback; ``main`` is the one place that maps
errors to it. ``verify batch`` has its own statuses (see verifier/batch/cli.py).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on standard error (exit status 2)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from verifier import __version__

    parser = OneLineParser(
        prog="verify",
        description="Cross-check the ticked checklist of a 02476 MLOps report against the "
        "repository: flags ticks nothing supports and shows the evidence behind the rest.",
        epilog="Exit status: 0 no ticked item flagged, 1 some ticked item unsupported or "
        "contradicted, 2 usage error or no report.",
    )
    parser.add_argument("path", nargs="?", default=".", help="the project folder (default: .)")
    parser.add_argument("--json", action="store_true", help="print the JSON result (for graders)")
    parser.add_argument("-o", "--output", metavar="FILE", help="also write the JSON result here")
    parser.add_argument("--report", metavar="FILE", help="the report file, if not found by itself")
    moment = parser.add_mutually_exclusive_group()
    moment.add_argument("--rev", metavar="REV", help="verify this git revision (read from git objects)")
    moment.add_argument(
        "--at",
        metavar="DATE",
        help="verify the last commit on the default branch at or before DATE "
        "(e.g. '2026-01-23 23:59'; Danish time unless an offset is given)",
    )
    parser.add_argument("--catalog", metavar="FILE", help="an item catalog YAML to use instead")
    parser.add_argument("--probes", metavar="IDS", help="run only these probes (comma-separated)")
    parser.add_argument(
        "-v",
        "--evidence",
        action="store_true",
        help="show the reason and every piece of evidence for every item",
    )
    parser.add_argument(
        "--import-graph",
        metavar="FILE",
        help="also write the module import graph (GraphML, with reachability)",
    )
    parser.add_argument("--list-probes", action="store_true", help="list the probes and exit")
    parser.add_argument("--explain", metavar="ITEM", help="show one catalog item's rules and exit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def fail(message: str, prog: str = "verify") -> int:
    from verifier.safe_text import printable

    line = " ".join(str(message).split())[:500]
    print(printable(f"{prog}: {line}"), file=sys.stderr)
    return EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    """Run a command; every error it cannot recover from becomes exit status 2 and one line."""
    argv = sys.argv[1:] if argv is None else argv
    prog = "verify batch" if argv and argv[0] == "batch" else "verify"
    from verifier.errors import ToolError

    try:
        if prog == "verify batch":
            from verifier.batch.cli import main as batch_main

            return batch_main(argv[1:])
        return _verify(argv)
    except ToolError as exc:
        return fail(str(exc), prog)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return fail(f"{where}{exc.strerror or exc}", prog)
    except KeyboardInterrupt:
        fail("interrupted", prog)
        return 130
    except RecursionError:
        return fail("internal error: RecursionError (input nested too deeply)", prog)
    except Exception as exc:  # a crash is a tool error: one line, never a traceback
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
        return fail(f"internal error: {type(exc).__name__}: {exc}{where}", prog)


def _verify(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from verifier.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog(args.catalog)
    except CatalogError as exc:
        return fail(str(exc))

    from verifier.registry import discover

    only = {p.strip() for p in args.probes.split(",") if p.strip()} if args.probes else None
    registry = discover(only=only)
    if args.list_probes:
        from verifier.render.explain import list_probes

        print(list_probes(registry, catalog), end="")
        return EXIT_OK
    if args.explain:
        from verifier.render.explain import explain_item

        if args.explain not in catalog.by_id:
            return fail(f"no catalog item {args.explain!r}; items: {', '.join(catalog.by_id)}")
        print(explain_item(catalog[args.explain], registry), end="")
        return EXIT_OK

    path = Path(args.path)
    if not path.exists():
        return fail(f"{path} does not exist")
    if not path.is_dir():
        return fail(f"{path} is not a folder (give the project folder; use --report for the file)")

    from verifier.errors import check_output_path, write_text_output
    from verifier.run import VerificationError, verify

    if args.output:
        check_output_path(Path(args.output), "-o")
    if args.import_graph:
        check_output_path(Path(args.import_graph), "--import-graph")

    report = args.report
    if report is not None:
        report_path = Path(report)
        if not report_path.is_absolute() and not (path / report_path).exists():
            report_path = report_path.resolve()
        report = str(report_path)
    try:
        result = verify(path, report=report, catalog=catalog, registry=registry, rev=args.rev, at=args.at)
    except VerificationError as exc:
        return fail(str(exc))

    if args.import_graph:
        from verifier.repo.imports import write_graphml

        try:
            write_graphml(result.view.import_graph, Path(args.import_graph))
        except OSError as exc:
            return fail(f"cannot write {args.import_graph}: {exc.strerror or exc}")
    if args.json or args.output:
        from verifier.render.json_report import render as render_json

        text = render_json(result)
        if args.output:
            write_text_output(Path(args.output), text)
        if args.json:
            sys.stdout.write(text)
    if not args.json:
        from verifier.render.terminal import render as render_terminal

        render_terminal(result, show_all_evidence=args.evidence)
    return result.exit_status


if __name__ == "__main__":
    raise SystemExit(main())
