"""The readable report for a terminal: items grouped by week, flagged ticks explained.

Student text is shown through ``rich.text.Text`` (never parsed as markup) and
:func:`~verifier.safe_text.printable` (control characters and line breaks escaped), so a report
or a file name cannot restyle or drive the terminal, or add lines of its own.
"""

from __future__ import annotations

from typing import IO

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
) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=file, width=width, highlight=False, soft_wrap=False)
    repo, report = result.repository, result.report
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
    console.print(
        Text(printable(where) + commit + f"  {repo.files} files via {repo.listed_via}", style="dim")
    )

    weeks: dict[str | None, list[ItemVerdict]] = {}
    for verdict in result.items:
        weeks.setdefault(verdict.week, []).append(verdict)
    for week in sorted(weeks, key=lambda w: list(WEEK_TITLES).index(w) if w in WEEK_TITLES else 9):
        console.print()
        console.print(Text(WEEK_TITLES.get(week, str(week)), style="bold underline"))
        for verdict in weeks[week]:
            _item(console, verdict, show_all_evidence)

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
            console.print(Text(f"  {notice.source}: {printable(notice.message)}"))
    if result.notices:
        console.print()
        console.print(Text(f"Notes ({len(result.notices)}): files skipped or not parsed", style="bold"))
        for notice in result.notices[:15]:
            location = f"{notice.path}: " if notice.path else ""
            console.print(Text(f"  {printable(location)}{printable(notice.message)}", style="dim"))
        if len(result.notices) > 15:
            console.print(Text(f"  … {len(result.notices) - 15} more in --json", style="dim"))
    console.print()
    console.print(_summary(result))


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


def _item(console, verdict: ItemVerdict, show_all: bool) -> None:
    from rich.text import Text

    box = "[x]" if verdict.state == "ticked" else "[~]" if verdict.state == "partial" else "[ ]"
    line = Text("  ")
    line.append(f"{verdict.verdict:<21}", style=STYLES.get(verdict.verdict, ""))
    line.append(f"{box} ", style="bold" if verdict.claimed else "dim")
    label = verdict.item_id or "?"
    if verdict.modules:
        label += f" ({'+'.join(verdict.modules)})"
    line.append(f"{label:<28}")
    best = verdict.best_evidence()
    if best is not None and verdict.verdict not in (NOT_CLAIMED, UNMATCHED):
        line.append(printable(best.location), style="cyan")
    elif verdict.item_id is None:
        line.append(printable(_clip(verdict.text, 60)), style="dim")
    console.print(line, overflow="fold")
    for role, finding in verdict.evidence:
        if role == "note" and verdict.claimed:
            _indented(console, f"note: {finding.message} ({finding.location})", 25)
    flagged = verdict.claimed and verdict.verdict in QUESTIONABLE
    if flagged or show_all:
        _indented(console, f"why: {verdict.reason}", 25)
        if verdict.remediation and flagged:
            _indented(console, f"to settle it: {verdict.remediation}", 25)
        if show_all:
            for role, finding in verdict.evidence:
                _indented(console, f"{role}: {finding.location}  {finding.snippet}", 27)


def _indented(console, text: str, indent: int) -> None:
    from rich.padding import Padding
    from rich.text import Text

    console.print(Padding(Text(printable(text), style="dim"), (0, 0, 0, indent)))


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
    if flagged:
        text.append(f"\n{len(flagged)} ticked item(s) a grader would question: ", style="bold red")
        text.append(", ".join(v.item_id or "?" for v in flagged))
    else:
        text.append("\nNo ticked item is unsupported or contradicted.", style="green")
    return text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
