"""The output formats of ``verify --format``: each renderer is a module of this package with
the same signature, ``render(result) -> str``; the terminal report writes to its stream."""

from __future__ import annotations

from importlib import import_module

from verifier.result import VerificationResult

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import IO


# name -> module under verifier.render providing render(result) -> str
FORMATS = {
    "text": None,  # the terminal report
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
}


def write(
    name: str,
    result: VerificationResult,
    out: IO[str],
    *,
    quiet: bool = False,
    show_all_evidence: bool = False,
) -> None:
    """Write ``result`` to ``out`` in the format ``name`` (one of :data:`FORMATS`)."""
    module = FORMATS[name]
    if module is None:
        from verifier.render.terminal import render as render_terminal

        render_terminal(result, file=out, show_all_evidence=show_all_evidence, quiet=quiet)
        return
    out.write(import_module(f"verifier.render.{module}").render(result))
