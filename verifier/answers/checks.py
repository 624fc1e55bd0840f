"""Per-question format checks (beyond the course's word and image counts) and statements in the
answers that the repository contradicts.

Every finding names the question, quotes the sentence, says what the repository shows and how
sure the check is. A check that cannot decide says nothing.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from verifier.answers.split import Question, QuestionSplit
from verifier.compiled import regex
from verifier.lazy_re import lazy
from verifier.records import field, record

EMBEDDED = regex(r"!\[[^\[\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMAGE = regex(r"<img\b[^<>]*\bsrc\s*=\s*[\"']([^\"']+)", re.I)
LINK = regex(r"(?<!!)\[[^\[\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_SUFFIX = lazy(r"\.(png|jpe?g|gif|svg|webp|bmp|tiff?|pdf|drawio)$", re.I)
ALLOWED_IMAGES = (".png", ".jpg", ".jpeg")
EXTERNAL_HOST = lazy(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|ai|co|edu|gov|dk|eu|uk|de|"
    r"me|info|cloud|run|ly|be)(?:[/:]|$)",
    re.I,
)
BLOB = lazy(r"github\.com/([\w.-]+)/([\w.-]+)/(?:blob|tree)/[^/\s]+/([^\s#?)]+)", re.I)

HIGH, MEDIUM = "high", "medium"


@record
class AnswerFinding:
    """One problem with one answer (length, images, a claim without a trace)."""

    question: int
    check: str
    message: str
    line: int | None = None
    quote: str = ""
    repository: str = ""  # what the repository shows
    confidence: str = HIGH

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "check": self.check,
            "message": self.message,
            "line": self.line,
            "quote": self.quote,
            "repository": self.repository,
            "confidence": self.confidence,
        }


@record
class QuestionReport:
    """What the answer checks found for one question."""

    question: Question
    images: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)
    findings: list[AnswerFinding] = field(default_factory=list)


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_of(question: Question, needle: str, report_lines: list[str]) -> int | None:
    start = question.answer_line or question.line
    for number in range(start, len(report_lines) + 1):
        if needle in report_lines[number - 1]:
            return number
    return question.answer_line


def format_checks(
    split: QuestionSplit,
    report_path: str,
    report_text: str,
    files: set[str],
    repo_name: tuple[str, str] | None,
) -> list[QuestionReport]:
    """Word and image limits read from each question, and the checks the course script lacks."""
    folder = posixpath.dirname(report_path)
    lines = report_text.replace("\r\n", "\n").split("\n")
    lowered = {f.lower(): f for f in files}
    reports = []
    for question in split.questions:
        report = QuestionReport(question)
        answer = question.answer
        n = question.number

        add = _adder(report, question)

        if not question.answered:
            if question.placeholder_left:
                add(
                    "unanswered",
                    "still holds the template placeholder",
                    f"--- question {n} fill here ---",
                    line=question.line,
                )
            else:
                add("empty", "the answer is empty", line=question.line)
        elif question.placeholder_left:
            add(
                "placeholder-left",
                "answered, but the template placeholder was left in place (it shows in the generated page)",
                f"--- question {n} fill here ---",
            )
        if question.answered and question.word_limits:
            low, high = question.word_limits
            if not low <= question.words <= high:
                add(
                    "length",
                    f"{question.words} words, outside the recommended {low}-{high} "
                    "(counted as the course's check does: the answer split on whitespace)",
                )
        targets = EMBEDDED.findall(answer) + HTML_IMAGE.findall(answer)
        report.images = targets
        if question.image_limits and question.answered:
            low, high = question.image_limits
            if not low <= len(targets) <= high:
                add("images", f"{len(targets)} embedded image(s), the question asks for {low}-{high}")
        for target in targets:
            if target.startswith(("http://", "https://", "data:")):
                continue
            path = _resolve(folder, target)
            line = _line_of(question, target, lines)
            if not target.lower().endswith(ALLOWED_IMAGES):
                add(
                    "image-format",
                    f"{target}: the template allows only .png, .jpg and .jpeg",
                    target,
                    line=line,
                )
            if path not in files:
                near = lowered.get(path.lower())
                shown = (
                    f"{near} exists with different case (Linux is case-sensitive)" if near else "no such file"
                )
                report.missing_images.append(target)
                add(
                    "missing-image",
                    f"embedded image {target} is missing",
                    target,
                    repository=shown,
                    line=line,
                )
        for target in LINK.findall(answer):
            line = _line_of(question, target, lines)
            if IMAGE_SUFFIX.search(target.split("#")[0]) and not target.startswith("http"):
                add(
                    "image-not-embedded",
                    f"{target} is linked, not embedded (a '!' is missing)",
                    target,
                    line=line,
                )
            if target.startswith(("http://", "https://")):
                blob = BLOB.search(target)
                if (
                    blob
                    and repo_name
                    and (blob.group(1).lower(), blob.group(2).lower().removesuffix(".git")) == repo_name
                ):
                    rel = unquote(blob.group(3)).strip("/")
                    if rel not in files and not any(f.startswith(rel + "/") for f in files):
                        add(
                            "broken-link",
                            f"links {rel} in this repository, which does not exist",
                            target,
                            repository="no such path in the tree",
                            line=line,
                        )
                continue
            if (
                target.startswith(("#", "mailto:"))
                or IMAGE_SUFFIX.search(target.split("#")[0])
                or EXTERNAL_HOST.match(target)
            ):
                continue  # anchors, images (checked above), and web addresses without a scheme
            rel = _resolve(folder, target.split("#")[0])
            if rel and not _exists(rel, files):
                from_top = _resolve("", target.split("#")[0])
                where = (
                    f"{from_top} exists, but links resolve from the report's folder"
                    if from_top != rel and _exists(from_top, files)
                    else "no such path"
                )
                add(
                    "broken-link",
                    f"links {target}, which resolves to {rel}: not in the repository",
                    target,
                    repository=where,
                    line=line,
                )
        reports.append(report)
    return reports


def _exists(path: str, files: set[str]) -> bool:
    return path in files or any(f.startswith(path.rstrip("/") + "/") for f in files)


def _adder(report: QuestionReport, question: Question):
    """A function adding findings about ``question`` to ``report``."""

    def add(
        check: str,
        message: str,
        quote: str = "",
        confidence: str = HIGH,
        repository: str = "",
        line: int | None = None,
    ) -> None:
        report.findings.append(
            AnswerFinding(
                question.number,
                check,
                message,
                line or question.answer_line,
                _clip(quote),
                repository,
                confidence,
            )
        )

    return add


def _resolve(folder: str, target: str) -> str:
    target = unquote(target.strip())
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))
