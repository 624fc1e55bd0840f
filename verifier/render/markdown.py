"""A compact markdown summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment: the
questioned ticks first (those that fail the run, then other flags and weak ones, then excused
ones with their reasons), then the counts. Every piece of repository text is escaped, so a
report cannot inject HTML, links, images or table cells into the page."""

from __future__ import annotations

import html

from verifier.compiled import regex
from verifier.render.questioned import ERROR, WARNING, level, plain_reason, questioned, short
from verifier.result import VerificationResult

SYMBOLS = {ERROR: "❌", WARNING: "⚠️", "note": "ℹ️"}
_PUNCTUATION = regex(r"([\\`*_\[\]|~!])")  # all that is special inside a line or a table cell
_CONTROL = regex(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Repository text as literal markdown: one line, HTML entities, punctuation backslashed."""
    text = " ".join(_CONTROL.sub(" ", str(text)).split())
    return _PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def render(result: VerificationResult) -> str:
    report = result.report
    lines = [f"### Report check: {escape(report.path)}", ""]
    failing = result.failing
    if failing:
        lines.append(
            f"**{len(failing)} ticked item(s) fail the check** (fail-on: {result.fail_on})"
            + (" - reported only, `--exit-zero`" if result.exit_zero else "")
        )
    else:
        lines.append(f"**No ticked item fails the check** (fail-on: {result.fail_on})")
    lines.append("")
    items = questioned(result)
    if items:
        lines += ["| | line | item | verdict | why | what would count |", "|---|---|---|---|---|---|"]
        for verdict in items:
            mark = SYMBOLS[level(result, verdict)]
            said = escape(verdict.verdict)
            if verdict.excused:
                said += f" (excused: {escape(verdict.excused)})"
            why = escape(short(plain_reason(verdict.reason), 200))
            fix = escape(short(verdict.remediation, 200))
            words = escape(short(verdict.text, 70))
            lines.append(
                f"| {mark} | {verdict.report_line} | `{verdict.item_id}` {words} | {said} | {why} | {fix} |"
            )
        lines.append("")
        lines.append(f"_{headline_legend()}_")
        lines.append("")
    uncommitted = [v for v in result.items if v.claimed and result.rests_on_uncommitted(v)]
    if uncommitted:
        lines.append(
            "**Supported only by uncommitted files** (a clone of the repository will not have them): "
            + ", ".join(f"`{v.item_id}`" for v in uncommitted)
        )
        lines.append("")
    counts = [(name, n) for name, n in result.counts().items() if n]
    lines.append("**Counts:** " + " · ".join(f"{n} {escape(name)}" for name, n in counts))
    answer_findings = sum(len(q["findings"]) for q in (result.questions or {}).get("questions", []))
    beyond = sum(1 for f in result.findings if f.kind.startswith("hygiene."))
    extra = []
    if answer_findings:
        extra.append(f"{answer_findings} answer finding(s)")
    if beyond:
        extra.append(f"{beyond} finding(s) beyond the checklist")
    if extra:
        lines.append("")
        lines.append("**Also:** " + ", ".join(extra) + " (run `verify` for details)")
    lines.append("")
    lines.append(
        f"<sub>edition {escape(report.edition)}, {report.ticked} ticked of {report.items} items; "
        f"mlops-report-verifier</sub>"
    )
    return "\n".join(lines) + "\n"


def headline_legend() -> str:
    return (
        f"{SYMBOLS[ERROR]} fails the check, {SYMBOLS[WARNING]} flagged below the fail-on level, "
        f"{SYMBOLS['note']} weak evidence or excused"
    )
