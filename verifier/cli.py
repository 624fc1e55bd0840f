"""`verify PATH`: check a 02476 report's ticked checklist against its repository.

Exit status: 0 when no ticked item fails the check (by default: none is unsupported or
contradicted; see --fail-on, excused items, --exit-zero), 1 when some do (1 means flagged and
nothing else), 2 when the tool could not do its job: a usage error, a path that
does not exist, no or an unreadable report, an unwritable output, a crash. Exit status 2 always
comes with one line on standard error, never a traceback; ``main`` is the one place that maps
errors to it. ``verify batch`` has its own statuses (see verifier/batch/cli.py).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "markdown")
FAIL_ON = ("contradicted", "unsupported", "weak")
SUBCOMMANDS = """subcommands:
  verify batch SOURCE --out DIR   verify a cohort (see verify batch --help)
  verify catalog check FILE       compare a new report template with the catalog
                                  (see verify catalog --help)
"""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on standard error (exit status 2)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")

    def _get_formatter(self):
        # the width argparse would take, found without importing shutil (and the compression
        # modules it imports) on every run
        return self.formatter_class(prog=self.prog, width=_columns() - 2)


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` gives it: $COLUMNS, the
    terminal's own, or 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def build_parser() -> argparse.ArgumentParser:
    from verifier import __version__

    parser = OneLineParser(
        prog="verify",
        description="Cross-check the ticked checklist of a 02476 MLOps report against the\n"
        "repository: flags ticks nothing supports and shows the evidence behind the rest.",
        epilog=SUBCOMMANDS + "\nsettings: [tool.mlops-verifier] in pyproject.toml, or .mlops-verifier.toml\n"
        "  (fail-on, report, probes, catalog, excused); options given here override them.\n"
        "\nexit status: 0 no ticked item fails the check; 1 some ticked item does (by\n"
        "  default: unsupported or contradicted); 2 the tool could not do its job (one\n"
        "  line on standard error).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        help="a folder of the project (default: .; a subfolder verifies its project)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="output: text (default), json, sarif (code scanning), github (workflow annotations), "
        "markdown (job summary)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON result (same as --format json)")
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
    moment.add_argument(
        "--committed",
        action="store_true",
        help="verify exactly the last commit, ignoring uncommitted changes (what a clone has)",
    )
    parser.add_argument("--catalog", metavar="FILE", help="an item catalog YAML to use instead")
    parser.add_argument("--probes", metavar="IDS", help="run only these probes (comma-separated)")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="the least verdict of a tick that fails the check (default: unsupported, which "
        "includes contradicted; weak includes both)",
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when ticks fail the check (report only)"
    )
    parser.add_argument(
        "--no-config", action="store_true", help="ignore the repository's [tool.mlops-verifier] settings"
    )
    parser.add_argument(
        "-v",
        "--evidence",
        action="store_true",
        help="show the reason and every piece of evidence for every item",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="only the questioned ticks and the summary"
    )
    parser.add_argument(
        "--import-graph",
        metavar="FILE",
        help="also write the module import graph (GraphML, with reachability)",
    )
    parser.add_argument("--list-probes", action="store_true", help="list the probes and exit")
    parser.add_argument(
        "--explain",
        metavar="ITEM",
        help="show one catalog item's rules (or a module's items, e.g. M12) and exit",
    )
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
    prog = f"verify {argv[0]}" if argv and argv[0] in ("batch", "catalog") else "verify"
    from verifier.errors import ToolError

    try:
        if prog == "verify batch":
            from verifier.batch.cli import main as batch_main

            return batch_main(argv[1:])
        if prog == "verify catalog":
            from verifier.catalog.check_cli import main as catalog_main

            return catalog_main(argv[1:])
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
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
        return fail(f"internal error: {type(exc).__name__}: {exc}{where}", prog)


def _verify(argv: list[str]) -> int:
    import time

    begun = time.perf_counter()
    args = build_parser().parse_args(argv)
    if args.json and args.format not in (None, "json"):
        return fail(f"--json and --format {args.format} ask for two outputs; give one")
    output_format = "json" if args.json else args.format or "text"

    path = Path(args.path)
    if not (args.list_probes or args.explain):
        if not path.exists():
            return fail(f"{path} does not exist")
        if not path.is_dir():
            return fail(f"{path} is not a folder (give the project folder; use --report for the file)")
        from verifier.repo.project_root import enclosing_project

        path = enclosing_project(path)

    from verifier.config import Config, ConfigError, load_config

    config = Config()
    if not (args.no_config or args.list_probes or args.explain):
        from verifier.repo.listing import find_git_root

        try:
            config = load_config(path, find_git_root(path))
        except ConfigError as exc:
            return fail(str(exc))

    only = chosen_probes(args.probes or (",".join(config.probes) if config.probes else None))

    from verifier.catalog import CatalogError
    from verifier.startup import load_startup

    catalog_file = args.catalog or config.catalog
    options_read = round(time.perf_counter() - begun, 4)  # arguments, settings, start-up imports
    try:
        startup = load_startup(catalog_file, only)
    except CatalogError as exc:
        return fail(str(exc))
    catalog, registry = startup.catalog, startup.registry
    if not catalog.items:
        return fail(f"catalog {catalog_file} has no items")
    if args.list_probes:
        from verifier.render.explain import list_probes

        print(list_probes(registry, catalog), end="")
        return EXIT_OK
    if args.explain:
        return _explain(args.explain, catalog, registry)
    unknown_excused = sorted(set(config.excused) - set(catalog.by_id))
    if unknown_excused:
        return fail(f"{config.source}: excused item {unknown_excused[0]!r} is not in the catalog")

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
    elif config.report:
        report = config.report
    try:
        result = verify(
            path,
            report=report,
            catalog=catalog,
            registry=registry,
            rev="HEAD" if args.committed else args.rev,
            at=args.at,
            startup={"options and imports": options_read, **startup.timings},
        )
    except VerificationError as exc:
        return fail(str(exc))
    result.fail_on = args.fail_on or config.fail_on or "unsupported"
    result.exit_zero = args.exit_zero
    result.excuse(config.excused)

    if args.import_graph:
        from verifier.repo.imports import write_graphml

        try:
            write_graphml(result.view.import_graph, Path(args.import_graph))
        except OSError as exc:
            return fail(f"cannot write {args.import_graph}: {exc.strerror or exc}")
    if args.output:
        from verifier.render.json_report import render as render_json

        write_text_output(Path(args.output), render_json(result))
    from verifier.render.formats import write

    write(output_format, result, sys.stdout, quiet=args.quiet, show_all_evidence=args.evidence)
    sys.stdout.flush()
    sys.stderr.flush()
    result.view.save_caches(background=True)  # after the result is out, in a forked process
    from verifier import compiled

    compiled.save()  # only when this run compiled a pattern the store did not hold
    return result.exit_status


def chosen_probes(spec: str | None) -> set[str] | None:
    """The probe ids a comma-separated list names (None when no list is given); an unknown id
    or an empty list is a tool error naming the probes there are."""
    if spec is None:
        return None
    from verifier.errors import ToolError

    only = {p.strip() for p in spec.split(",") if p.strip()}
    unknown = sorted(only - probe_names())
    if unknown or not only:
        named = ", ".join(map(repr, unknown)) or "in --probes"
        raise ToolError(f"no probe named {named}; probes: {', '.join(sorted(probe_names()))}")
    return only


def probe_names() -> set[str]:
    """The names probes are registered under (what --probes accepts)."""
    from verifier.probe import ENTRY_POINT_GROUP
    from verifier.registry import entry_points

    return {ep.name for ep in entry_points(ENTRY_POINT_GROUP)}


def _explain(name: str, catalog, registry) -> int:
    from verifier.render.explain import explain_item

    if name in catalog.by_id:
        print(explain_item(catalog[name], registry), end="")
        return EXIT_OK
    module = name.upper()
    in_module = [item for item in catalog.items if module in item.modules]
    if in_module:
        print(f"{module}: {len(in_module)} item(s)")
        for item in in_module:
            print(f"  {item.id:<28} {item.title}")
        print("verify --explain ITEM shows one item's rules")
        return EXIT_OK
    if re.fullmatch(r"M\d+", module):
        modules = sorted({m for item in catalog.items for m in item.modules}, key=lambda m: int(m[1:]))
        return fail(f"no catalog item or module {name!r}; modules: {', '.join(modules)}")
    return fail(f"no catalog item or module {name!r}; items: {', '.join(catalog.by_id)}")


def entry() -> None:
    """The ``verify`` command as a process: :func:`main`, with the process tuned for one short
    run over many small objects. Start-up objects are frozen out of the garbage collector's
    scans and young objects are collected less often (a verification builds millions of
    objects and no garbage cycles worth collecting early), and once the output is flushed the
    process leaves without tearing down its objects one by one, which at 20,000 files took
    longer than writing the result."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or EXIT_USAGE
    os._exit(code)


if __name__ == "__main__":
    entry()
