"""`verify catalog check TEMPLATE.md`: compare a new edition's report template with the catalog
and write a starting catalog for it (``-o``)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from verifier.safe_text import printable

TEMPLATE_LIMIT = 4 * 1024 * 1024


def build_parser() -> argparse.ArgumentParser:
    from verifier.cli import OneLineParser

    parser = OneLineParser(
        prog="verify catalog",
        description="Work with the item catalog. `check TEMPLATE.md` reads a new edition's report "
        "template and says which checklist lines match catalog items, which are new and which "
        "items of the latest edition it dropped.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    check = commands.add_parser("check", help="compare a report template with the catalog")
    check.add_argument("template", help="the new edition's report template (markdown)")
    check.add_argument("--catalog", metavar="FILE", help="the catalog to compare with (default: built-in)")
    check.add_argument(
        "--edition",
        metavar="NAME",
        help="the new edition's name (default: a YYYY-MM in the template's file name, else 'next')",
    )
    check.add_argument("-o", "--output", metavar="FILE", help="write a starting catalog for the new edition")
    return parser


def fail(message: str) -> int:
    print(f"verify catalog: {printable(message)}", file=sys.stderr)
    return 2


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from verifier.catalog import CatalogError, load_catalog
    from verifier.catalog.edition_check import check_template, describe, starting_catalog
    from verifier.repo.confined import read_regular
    from verifier.report.checklist import parse_checklist

    template = Path(args.template)
    try:  # a regular file only (a pipe or a device would be read forever), at most 4 MB
        text = read_regular(template, TEMPLATE_LIMIT).decode("utf-8", errors="replace")
    except OSError as exc:
        return fail(f"cannot read {printable(template)}: {exc.strerror or exc}")
    try:
        catalog = load_catalog(args.catalog)
    except CatalogError as exc:
        return fail(str(exc))
    entries = parse_checklist(text).entries
    if not entries:
        return fail(f"{template} has no checklist lines (- [ ] ... under a checklist or Week 1 heading)")
    found = re.search(r"(20\d\d)-(0[1-9]|1[0-2])", template.name)
    edition = args.edition or (found.group(0) if found else "next")
    check = check_template(entries, catalog, edition)
    sys.stdout.write(describe(check, printable(template)))
    if args.output:
        output = Path(args.output)
        output.write_text(starting_catalog(check, entries), encoding="utf-8")
        try:
            written = load_catalog(output)
        except CatalogError as exc:  # never leave a catalog that does not load
            return fail(f"the catalog written to {output} does not load: {exc}")
        print(f"Wrote {output}: {len(written.items)} items ({len(check.new)} new, without rules yet)")
    return 0
