"""Finding the report in a repository.

``<project>/reports/README.md`` when it holds the course checklist; otherwise every tracked
markdown file with the checklist and question structure is a candidate (titles get changed,
reports renamed or merged into the root README, unfilled template copies left beside them),
and the one with the most ticks and answered questions is chosen. The reason says which.
"""

from __future__ import annotations

import re
from pathlib import Path

from verifier.compiled import regex
from verifier.records import record
from verifier.repo.view import RepoView
from verifier.report.checklist import TICKED, parse_checklist

MAX_REPORT_BYTES = 2_000_000
MIN_ITEMS = 10
QUESTION = regex(r"^\s{0,3}#{2,4}\s*question\s+(\d+)\b", re.I | re.M)
PLACEHOLDER = regex(r"^-{2,3}\s*question\s+\d+\s+fill\s+here\s*-{2,3}$", re.I)
TITLE_MARKERS = ("02476", "exam template", "machine learning operations", "mlops")


class ReportNotFound(Exception):
    """No usable report; the message is a one-line reason for the user."""


@record(frozen=True)
class ReportChoice:
    """The report chosen in the repository, its text, and why it was chosen."""

    path: str
    text: str
    reason: str
    candidates: tuple[str, ...]


@record(frozen=True)
class _Candidate:
    """A file that might be the report, with what makes it look like one."""

    path: str
    text: str
    items: int
    ticks: int
    answered: int
    questions: int

    @property
    def has_checklist(self) -> bool:
        return self.items >= MIN_ITEMS

    @property
    def is_report(self) -> bool:
        lowered = self.text[:5000].lower()
        titled = any(marker in lowered for marker in TITLE_MARKERS)
        return (self.has_checklist and (self.questions >= 5 or titled)) or (self.questions >= 5 and titled)

    @property
    def score(self) -> tuple[int, int]:
        return (1 if self.has_checklist else 0, self.ticks + self.answered)


def answered_questions(text: str) -> tuple[int, int]:
    """(questions, answered questions): an answer is any text after the prompt block."""
    matches = list(QUESTION.finditer(text))
    answered = 0
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        words = 0
        for line in body.split("\n")[1:]:
            stripped = line.strip().strip("`").strip()
            if not stripped or stripped.startswith(">") or PLACEHOLDER.match(stripped):
                continue
            if stripped.startswith("#"):
                break
            words += len(stripped.split())
        if words >= 2:
            answered += 1
    return len(matches), answered


def _candidate(path: str, text: str) -> _Candidate:
    checklist = parse_checklist(text)
    questions, answered = answered_questions(text)
    return _Candidate(
        path=path,
        text=text,
        items=len(checklist.entries),
        ticks=sum(1 for e in checklist.entries if e.state == TICKED),
        answered=answered,
        questions=questions,
    )


def _describe(c: _Candidate) -> str:
    return f"{c.path} ({c.ticks} ticks, {c.answered} answers)"


def find_report(view: RepoView, override: str | None = None) -> ReportChoice:
    if override is not None:
        return _override(view, override)
    preferred = view.project_path("reports/README.md")
    candidates: list[_Candidate] = []
    for path in view.files:
        if not path.lower().endswith(".md"):
            continue
        size = view.size(path)
        if size is None or size > MAX_REPORT_BYTES:
            continue
        text = view.text(path)
        if text is None or "[" not in text:
            continue
        candidate = _candidate(path, text)
        if candidate.is_report:
            candidates.append(candidate)
    if not candidates:
        md = sum(1 for p in view.files if p.lower().endswith(".md"))
        raise ReportNotFound(
            f"no 02476 report found: none of the {md} markdown files holds the course "
            "checklist or its questions (use --report FILE)"
        )
    names = tuple(c.path for c in candidates)
    preferred_candidate = next((c for c in candidates if c.path == preferred), None)
    if preferred_candidate and preferred_candidate.has_checklist and preferred_candidate.score[1]:
        others = [c for c in candidates if c is not preferred_candidate]
        reason = f"{preferred} holds the course checklist"
        if others:
            reason += "; also seen: " + ", ".join(_describe(c) for c in others[:3])
        return ReportChoice(preferred, preferred_candidate.text, reason, names)
    ranked = sorted(candidates, key=lambda c: (c.score, c.path == preferred), reverse=True)
    best = ranked[0]
    reason = f"{_describe(best)} holds the course checklist"
    if not best.has_checklist:
        reason = f"{best.path} has the report's questions but no checklist"
    if ranked[1:]:
        reason += "; passed over: " + ", ".join(_describe(c) for c in ranked[1:4])
    return ReportChoice(best.path, best.text, reason, names)


def _override(view: RepoView, override: str) -> ReportChoice:
    path = Path(override)
    root = view.root.resolve()
    full = path if path.is_absolute() else root / path
    try:
        relative = full.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ReportNotFound(f"{override} is outside the repository {root}") from None
    text = view.text(relative) if view.exists(relative) else _read(full)
    if text is None:
        raise ReportNotFound(f"cannot read {override}")
    candidate = _candidate(relative, text)
    if not candidate.is_report:
        raise ReportNotFound(f"{override} is not a 02476 report (no course checklist or questions)")
    return ReportChoice(relative, text, f"{relative} given with --report", (relative,))


def _read(full: Path) -> str | None:
    from verifier.repo.confined import read_regular

    try:
        data = read_regular(full, MAX_REPORT_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_REPORT_BYTES:
        return None
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")
