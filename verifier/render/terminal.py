"""The readable report for a terminal: items grouped by week, flagged ticks explained.

Student text is shown through ``rich.text.Text`` (never parsed as markup) and
:func:`~verifier.safe_text.printable` (control characters and line breaks escaped), so a report
or a file name cannot restyle or drive the terminal, or add lines of its own. Lines are wrapped
to the width here, indented under their item, and never padded with spaces.
"""

from __future__ import annotations

from verifier.compiled import regex
from verifier.render.questioned import plain_reason
from verifier.result import VerificationResult
from verifier.safe_text import printable
from verifier.verdicts import (
    CONTRADICTED,
    EVIDENCE_NOT_CLAIMED,
    NO_PROBE_YET,
    NOT_CLAIMED,
    NOT_VERIFIABLE,
    QUESTIONABLE,
    SUPPORTED,
    UNMATCHED,
    UNSUPPORTED,
    WEAK_VERDICT,
    ItemVerdict,
)

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import IO

STYLES = {
    SUPPORTED: "green",
    WEAK_VERDICT: "yellow",
    UNSUPPORTED: "bold red",
    CONTRADICTED: "bold magenta",
    NOT_VERIFIABLE: "cyan",
    NO_PROBE_YET: "dim",
    EVIDENCE_NOT_CLAIMED: "blue",
    NOT_CLAIMED: "dim",
    UNMATCHED: "dim italic",
}
WEEK_TITLES = {"1": "Week 1", "2": "Week 2", "3": "Week 3", "extra": "Extra", None: "Other"}


def render(
    result: VerificationResult,
    file: IO[str] | None = None,
    width: int | None = None,
    show_all_evidence: bool = False,
    quiet: bool = False,
) -> None:
    """Print the report; ``quiet`` keeps only the questioned ticks and the summary."""
    import sys

    from rich.console import Console
    from rich.text import Text

    target = file or sys.stdout
    stream = _Trimmed(target)
    width = width or Console(file=stream).width  # asked once: rich would measure on every print
    console = Console(file=stream, width=width, height=25, highlight=False, soft_wrap=False)
    repo, report = result.repository, result.report
    said: dict[str, str] = {}  # explanation -> the item it was first printed under
    if quiet:
        for verdict in result.items:
            if verdict.claimed and verdict.verdict in QUESTIONABLE:
                _item(console, verdict, False, result, said)
        console.print(_summary(result))
        return
    header = Text()
    header.append("Report ", style="bold")
    header.append(printable(report.path))
    header.append(f"  edition {report.edition}  ", style="dim")
    header.append(f"{report.ticked} ticked", style="bold")
    if report.partial:
        header.append(f", {report.partial} partly ticked", style="bold")
    header.append(f" of {report.items} items", style="dim")
    console.print(header)
    where = f"{repo.root}" + (f"  (project in {repo.project_dir}/)" if repo.project_dir else "")
    commit = f"  commit {repo.commit[:10]}" if repo.commit else ""
    _wrapped(console, printable(where) + commit + f"  {repo.files} files via {repo.listed_via}", 0, "dim")
    if result.uncommitted:
        _wrapped(
            console,
            f"{len(result.uncommitted)} file(s) differ from the last commit; evidence from them is marked "
            "(uncommitted): a clone of the repository will not have it. --committed verifies the last "
            "commit only.",
            0,
            "yellow",
        )

    weeks: dict[str | None, list[ItemVerdict]] = {}
    for verdict in result.items:
        weeks.setdefault(verdict.week, []).append(verdict)
    for week in sorted(weeks, key=lambda w: list(WEEK_TITLES).index(w) if w in WEEK_TITLES else 9):
        console.print()
        console.print(Text(WEEK_TITLES.get(week, str(week)), style="bold underline"))
        for verdict in weeks[week]:
            _item(console, verdict, show_all_evidence, result, said)

    _uncommitted(console, result)
    _questions(console, result.questions)
    beyond = [f for f in result.findings if f.kind.startswith("hygiene.")]
    if beyond:
        console.print()
        console.print(Text("Beyond the checklist", style="bold underline"))
        for finding in beyond:
            _indented(console, f"{finding.location}: {finding.message}", 2)
    if result.probe_errors:
        console.print()
        console.print(Text(f"Probe errors ({len(result.probe_errors)})", style="bold red"))
        for notice in result.probe_errors:
            _indented(console, f"{notice.source}: {notice.message}", 2)
    if result.notices:
        console.print()
        console.print(Text(f"Notes ({len(result.notices)}): files skipped or not parsed", style="bold"))
        for notice in result.notices[:15]:
            location = f"{notice.path}: " if notice.path else ""
            _indented(console, f"{location}{notice.message}", 2)
        if len(result.notices) > 15:
            console.print(Text(f"  … {len(result.notices) - 15} more in --json", style="dim"))
    console.print()
    console.print(_summary(result))


_STYLE_CODE = regex(r"\x1b\[[0-9;]*m\Z")  # one colour code ending a line


def trim_line_ends(text: str) -> str:
    """``text`` without the spaces before each line break, colour codes at a line end kept."""
    lines = text.split("\n")
    for index in range(len(lines) - 1):  # the last piece has no line break after it yet
        line, codes = lines[index].rstrip(" "), ""
        while line.endswith("m") and (start := line.rfind("\x1b[")) >= 0 and _STYLE_CODE.match(line, start):
            line, codes = line[:start].rstrip(" "), line[start:] + codes
        lines[index] = line + codes
    return "\n".join(lines)


class _Trimmed:
    """A stream that drops the spaces rich leaves at the end of wrapped lines."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(trim_line_ends(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")


def _uncommitted(console, result: VerificationResult) -> None:
    from rich.text import Text

    resting = [v for v in result.items if v.claimed and result.rests_on_uncommitted(v)]
    if not resting and not result.untracked:
        return
    console.print()
    console.print(Text("Uncommitted work", style="bold underline"))
    for verdict in resting:
        paths = sorted({f.path for f in result.uncommitted_evidence(verdict) if f.path})
        _indented(
            console,
            f"{verdict.item_id}: supported only by uncommitted files ({', '.join(paths)}); "
            "commit and push them",
            2,
        )
    if result.untracked:
        shown = ", ".join(result.untracked[:5]) + (" …" if len(result.untracked) > 5 else "")
        _indented(
            console,
            f"{len(result.untracked)} untracked file(s) or folder(s) not read (a clone would not "
            f"have them): {shown}",
            2,
        )


def _questions(console, questions: dict) -> None:
    from rich.text import Text

    if not questions or not questions.get("count"):
        return
    console.print()
    title = f"Questions: {questions['answered']} of {questions['count']} answered" + (
        f" (the edition has {questions['expected']})" if questions.get("expected") else ""
    )
    console.print(Text(title, style="bold underline"))
    for problem in questions.get("structure", []):
        where = f"line {problem['line']}: " if problem.get("line") else ""
        console.print(Text(f"  structure: {where}{printable(problem['message'])}", style="yellow"))
    unanswered = [
        q["number"]
        for q in questions.get("questions", [])
        if q["findings"] and all(f["check"] in ("unanswered", "empty") for f in q["findings"])
    ]
    if unanswered:
        console.print(Text("  unanswered: " + ", ".join(f"Q{n}" for n in unanswered), style="yellow"))
    left = [
        q["number"]
        for q in questions.get("questions", [])
        if any(f["check"] == "placeholder-left" for f in q["findings"])
    ]
    if left:
        console.print(
            Text(
                "  placeholder left beside the answer (it shows in the generated page): "
                + ", ".join(f"Q{n}" for n in left),
                style="yellow",
            )
        )
    for question in questions.get("questions", []):
        shown_findings = [f for f in question["findings"] if f["check"] != "placeholder-left"]
        if not shown_findings or question["number"] in unanswered:
            continue
        limits = question.get("word_limits")
        words = f"{question['words']} words" + (f" ({limits[0]}-{limits[1]})" if limits else "")
        images = question.get("image_limits")
        shown = f", {question['images']} images ({images[0]}-{images[1]})" if images else ""
        console.print(Text(f"  Q{question['number']:<3} {words}{shown}", style="bold"))
        for finding in shown_findings:
            where = f"line {finding['line']}: " if finding.get("line") else ""
            text = f"{where}{finding['message']}"
            if finding.get("quote") and finding["check"] not in ("unanswered",):
                text += f' - "{finding["quote"]}"'
            if finding.get("repository"):
                text += f" [repository: {finding['repository']}]"
            if finding.get("confidence") != "high":
                text += f" ({finding['confidence']} confidence)"
            _indented(console, printable(text), 6)


VERDICT_WIDTH = 21  # "evidence-not-claimed" and a space
ITEM_INDENT = 2 + VERDICT_WIDTH + 4  # under the item's words


def _item(console, verdict: ItemVerdict, show_all: bool, result: VerificationResult, said: dict) -> None:
    from rich.text import Text

    box = "[x]" if verdict.state == "ticked" else "[~]" if verdict.state == "partial" else "[ ]"
    label = verdict.item_id or "?"
    if verdict.modules:
        label += f" {'+'.join(verdict.modules)}"
    best = verdict.best_evidence()
    where = ""
    if best is not None and best.path and verdict.verdict not in (NOT_CLAIMED, UNMATCHED):
        where = best.location + (" (uncommitted)" if best.path in result.uncommitted else "")
    room = max(console.width - ITEM_INDENT - len(label) - 3, 20)
    words = _clip(" ".join(printable(verdict.text).split()), room)
    line = Text("  ")
    line.append(f"{verdict.verdict:<{VERDICT_WIDTH}}", style=STYLES.get(verdict.verdict, ""))
    line.append(f"{box} ", style="bold" if verdict.claimed else "dim")
    line.append(words)
    line.append(f" [{label}]", style="dim")
    if where and ITEM_INDENT + len(words) + len(label) + 5 + len(where) <= console.width:
        line.append("  ")
        line.append(printable(where), style="cyan")
        where = ""
    console.print(line, crop=False)
    if where:
        _wrapped(console, printable(where), ITEM_INDENT, "cyan")
    if verdict.excused:
        _indented(console, f"excused: {verdict.excused} (not counted for the exit status)", ITEM_INDENT)
    for role, finding in verdict.evidence:
        if role == "note" and verdict.claimed:
            _indented(console, f"note: {finding.message} ({finding.location})", ITEM_INDENT)
    flagged = verdict.claimed and verdict.verdict in QUESTIONABLE
    if flagged or show_all:
        reason = verdict.reason if show_all else plain_reason(verdict.reason)
        _once(console, said, "why", reason, verdict)
        if verdict.remediation and flagged:
            _once(console, said, "to settle it", verdict.remediation, verdict)
        if show_all:
            for role, finding in verdict.evidence:
                mark = " (uncommitted)" if finding.path in result.uncommitted else ""
                _indented(console, f"{role}: {finding.location}{mark}  {finding.snippet}", ITEM_INDENT + 2)


def _once(console, said: dict, label: str, text: str, verdict: ItemVerdict) -> None:
    """Print an explanation, or point back to the item it was first printed under."""
    key = f"{label}: {text}"
    first = said.setdefault(key, verdict.item_id or "?")
    if first != (verdict.item_id or "?"):
        _indented(console, f"{label}: as for {first} above", ITEM_INDENT)
    else:
        _indented(console, key, ITEM_INDENT)


def _wrapped(console, text: str, indent: int, style: str = "dim") -> None:
    """Text wrapped to the console width, every line indented, nothing padded."""
    import textwrap

    from rich.text import Text

    lines = textwrap.wrap(
        printable(text),
        width=max(console.width, indent + 20),
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )
    console.print(Text("\n".join(lines), style=style), crop=False)


def _indented(console, text: str, indent: int) -> None:
    _wrapped(console, text, indent, "dim")


def _summary_questions(result: VerificationResult) -> int:
    return sum(len(q["findings"]) for q in (result.questions or {}).get("questions", []))


def _summary(result: VerificationResult):
    from rich.text import Text

    counts = result.counts()
    text = Text("Summary: ", style="bold")
    parts = [(k, n) for k, n in counts.items() if n]
    for index, (name, number) in enumerate(parts):
        if index:
            text.append(", ")
        text.append(f"{number} {name}", style=STYLES.get(name, ""))
    answer_findings = _summary_questions(result)
    if answer_findings:
        text.append(f"; {answer_findings} answer finding(s)")
    flagged = result.flagged
    failing = result.failing
    if flagged:
        text.append(f"\n{len(flagged)} ticked item(s) a grader would question: ", style="bold red")
        text.append(", ".join(v.item_id or "?" for v in flagged))
    else:
        text.append("\nNo ticked item is unsupported or contradicted.", style="green")
    if result.fail_on != "unsupported" or result.exit_zero:
        rule = f"fail-on {result.fail_on}" + (", --exit-zero" if result.exit_zero else "")
        if failing:
            text.append(f"\n{len(failing)} ticked item(s) fail the check ({rule}): ", style="bold red")
            text.append(", ".join(v.item_id or "?" for v in failing))
        else:
            text.append(f"\nNone fails the check ({rule}).", style="green")
    if result.excused:
        text.append(f"\n{len(result.excused)} excused by the repository's settings: ", style="bold")
        text.append(", ".join(v.item_id or "?" for v in result.excused))
    return text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
