"""CSV cells a spreadsheet opens as text, never as a formula.

Student text (URLs, group names, reasons) starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read by Excel, LibreOffice or Google Sheets as a formula
(``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(...)``). As OWASP advises, such a cell is
prefixed with a single quote; numbers the tool computes are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from verifier.safe_text import printable

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import IO, Any


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet (or ``cat`` in a terminal) should show it: control characters
    escaped on one line, and text that could start a formula quoted."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return printable(value)


def write_csv(handle: IO[str], header: list[str], rows: Iterable[list[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
