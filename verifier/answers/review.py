"""Reviewing a report's answers: the split, the format checks and the claims, as one result."""

from __future__ import annotations

from verifier.answers.checks import QuestionReport, format_checks
from verifier.answers.claims import check_claims
from verifier.answers.split import QuestionSplit, split_questions
from verifier.evidence import Finding
from verifier.repo.dependencies import declared_dependencies
from verifier.repo.gitinfo import GITHUB_REMOTE
from verifier.repo.view import RepoView
from verifier.repo.workflow import workflow_files

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


def review_answers(
    view: RepoView,
    report_path: str,
    text: str,
    edition: str,
    findings: list[Finding],
    ticked: dict[str, str],
    split: QuestionSplit | None = None,
) -> dict[str, Any]:
    split = split or split_questions(text, edition)
    files = set(view.files)
    repo_name = None
    git = view.git
    for url in git.remotes.values() if git else []:
        match = GITHUB_REMOTE.search(url)
        if match:
            repo_name = (match.group(1).lower(), match.group(2).lower())
            break
    reports = format_checks(split, report_path, text, files, repo_name)
    workflows = [w for p in workflow_files(view) if (w := view.workflow(p)) is not None]
    claims = check_claims(split.questions, findings, workflows, files, ticked, declared_dependencies(view))
    by_number: dict[int, QuestionReport] = {r.question.number: r for r in reports}
    for claim in claims:
        if claim.question in by_number:
            by_number[claim.question].findings.append(claim)
    return {
        "count": len(split.questions),
        "expected": split.expected,
        "answered": sum(1 for q in split.questions if q.answered),
        "words_counted_as": "the answer after 'Answer:' (placeholder line and quote markers "
        "removed) split on whitespace, as the course's check does",
        "structure": [{"line": line, "message": message} for line, message in split.problems],
        "questions": [_question(r) for r in reports],
    }


def _question(report: QuestionReport) -> dict[str, Any]:
    q = report.question
    return {
        "number": q.number,
        "line": q.line,
        "answered": q.answered,
        "words": q.words,
        "word_limits": list(q.word_limits) if q.word_limits else None,
        "images": len(report.images),
        "image_limits": list(q.image_limits) if q.image_limits else None,
        "missing_images": report.missing_images,
        "findings": [f.to_dict() for f in report.findings],
    }
