"""GitHub Actions workflow commands: one annotation per questioned tick, on its report line, so
it shows beside the line in a pull request. ``error`` for a tick that fails the run, ``warning``
for another flag, ``notice`` for a weak or excused tick; then one plain summary line.

Values are escaped as the Actions runner unescapes them: in the message ``%``, CR and LF; in a
property also ``:`` and ``,``. Student text therefore can never start a command of its own.
"""

from __future__ import annotations

from verifier.compiled import regex
from verifier.render.questioned import (
    ERROR,
    WARNING,
    from_top,
    headline,
    level,
    plain_reason,
    questioned,
    short,
)
from verifier.result import VerificationResult

COMMANDS = {ERROR: "error", WARNING: "warning", "note": "notice"}
_CONTROL = regex(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_data(text: str) -> str:
    return _CONTROL.sub("", text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def render(result: VerificationResult) -> str:
    report = from_top(result, result.report.path)
    lines = []
    for verdict in questioned(result):
        title = f"{verdict.item_id}: {headline(verdict)}"
        if verdict.excused:
            title = f"{verdict.item_id}: excused ({verdict.verdict})"
        message = f'"{short(verdict.text, 100)}" - {plain_reason(verdict.reason)}'
        if verdict.excused:
            message += f"\nExcused: {verdict.excused}"
        if verdict.remediation:
            message += f"\nTo settle it: {verdict.remediation}"
        name = COMMANDS[level(result, verdict)]
        lines.append(command(name, message, file=report, line=verdict.report_line, title=title))
    failing = result.failing
    counts = ", ".join(f"{n} {name}" for name, n in result.counts().items() if n)
    if failing:
        summary = f"{len(failing)} ticked item(s) fail the check (fail-on {result.fail_on}): " + ", ".join(
            v.item_id or "?" for v in failing
        )
    else:
        summary = f"No ticked item fails the check (fail-on {result.fail_on})."
    lines.append(escape_data(f"mlops-report-verifier: {report}: {counts}. {summary}"))
    return "\n".join(lines) + "\n"
