"""Splitting a report into its questions and answers, for every edition.

A question starts at a ``### Question N`` heading; its prompt is the blockquote that follows;
its answer is the text after the ``Answer:`` marker (or, when a group deleted the marker, the
text after the prompt) up to the next question or the next section heading of the template.
Where the structure is broken (a missing marker, a number missing or repeated, a ``##`` heading
of the group's own inside an answer), a structure problem says where, instead of silently
giving an answer to the wrong question.
"""

from __future__ import annotations

import re

from verifier.compiled import regex
from verifier.records import field, record

QUESTION = regex(r"^\s{0,3}#{2,4}\s*question\s+(\d+)\b.*$", re.I)
# the title with its closing #s is cut in Python (_section_title): a lazy title before
# `\s*#*\s*$` backtracks cubically on a heading line of spaces
SECTION = regex(r"^\s{0,3}##\s+(.+)$")
TEMPLATE_SECTIONS = frozenset(
    {
        "group information",
        "coding environment",
        "version control",
        "running code and tracking experiments",
        "working in the cloud",
        "deployment",
        "overall discussion of project",
        "overall project checklist",
    }
)
ANSWER_MARKER = regex(r"^\s*(?:>\s*)?\**answer\**\s*:\s*", re.I)
# starts only at backticks or at the first of a run of spaces, so a long run is scanned once
PLACEHOLDER = regex(
    r"(?:`{1,3}\s*+|(?<!\s)\s*+)-{2,3}\s*question\s+\d+\s+fill\s+here\s*-{2,3}\s*`{0,3}", re.I
)
HOLDS_FILL = regex("fill", re.I)  # in every placeholder: an answer without it has none
WORDS = regex(r"(?:recommended\s+)?answer\s+length\s*(?::\s*)?(\d{1,5})\s*(?:-|to)\s*(\d{1,5})\s*words", re.I)
IMAGES = regex(r"(?<!\d)(\d{1,4})\s*(?:-|to)\s*(\d{1,4})\s*(?:screenshots?|images?|figures?)", re.I)
ONE_FIGURE = regex(r"\binclude\s+a\s+(?:figure|diagram|screenshot|image)\b", re.I)


@record
class Question:
    """One numbered question of the report and its answer."""

    number: int
    line: int  # the heading's line
    prompt: str
    answer: str  # without the placeholder line
    answer_line: int | None  # first line of the answer text
    placeholder_left: bool
    has_marker: bool
    word_limits: tuple[int, int] | None = None
    image_limits: tuple[int, int] | None = None

    @property
    def words(self) -> int:
        """Words as the course's check counts them: the answer split on whitespace."""
        return len(self.answer.split())

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


@record
class QuestionSplit:
    """The report's answers split by question, and what was wrong with the split."""

    questions: list[Question] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (line, message)
    expected: int | None = None


def expected_questions(edition: str) -> int | None:
    return {"2022-12": 27, "2023-01": 27, "2024-12": 31, "2026-01": 31}.get(edition)


def split_questions(text: str, edition: str | None = None) -> QuestionSplit:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    result = QuestionSplit(expected=expected_questions(edition or ""))
    starts = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := QUESTION.match(line))]
    for index, (start, number) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        block = lines[start + 1 : end]
        block = _cut_at_section(block, start + 1, number, result)
        result.questions.append(_question(number, start, block, result))
    _check_numbers(result)
    return result


def _section_title(line: str) -> str | None:
    """The title of a ``## title ##`` line (closing #s and spaces cut), or None."""
    match = SECTION.match(line)
    if not match:
        return None
    raw = match.group(1)
    return raw.rstrip().rstrip("#").rstrip() or raw[:1]


def _cut_at_section(block: list[str], first: int, number: int, result: QuestionSplit):
    """End a question at the template's next section; a group's own ``##`` stays in the answer."""
    for offset, line in enumerate(block):
        heading = _section_title(line)
        if heading is None:
            continue
        title = heading.strip().lower()
        if title in TEMPLATE_SECTIONS or title.startswith("overall"):
            return block[:offset]
        result.problems.append(
            (
                first + offset + 1,
                f"a '## {heading.strip()}' heading inside the answer to question {number}: "
                "the course's script ends the answer there; kept with the answer here",
            )
        )
    return block


def _question(number: int, start: int, block: list[str], result: QuestionSplit) -> Question:
    marker_at = next((i for i, line in enumerate(block) if ANSWER_MARKER.match(line)), None)
    prompt_lines = []
    for line in block[: marker_at if marker_at is not None else len(block)]:
        if line.strip().startswith(">") or not line.strip():
            prompt_lines.append(line.strip().lstrip(">").strip())
        elif marker_at is None:
            break
    prompt = " ".join(p for p in prompt_lines if p)
    if marker_at is None:
        result.problems.append(
            (
                start + 1,
                f"question {number} has no 'Answer:' marker: the "
                "course's script will shift answers from here on",
            )
        )
        body_start = len(prompt_lines)
        answer_lines = block[body_start:]
        first_line = start + 2 + body_start
        inline = ""
    else:
        inline = ANSWER_MARKER.sub("", block[marker_at]).strip()
        answer_lines = block[marker_at + 1 :]
        first_line = start + 2 + marker_at + 1
    if HOLDS_FILL.search("\n".join(answer_lines)):
        placeholder = any(PLACEHOLDER.search(line) for line in answer_lines)
        # the placeholder is removed, and text written on its line after it is kept
        kept = [PLACEHOLDER.sub("", line) for line in answer_lines]
    else:  # no placeholder can be there
        placeholder, kept = False, answer_lines
    cleaned = [_unquote(line) for line in kept]
    text = "\n".join(([inline] if inline else []) + cleaned).strip()
    answer_line = None
    if inline:
        answer_line = start + 2 + marker_at
    else:
        for offset, line in enumerate(kept):
            if line.strip():
                answer_line = first_line + offset
                break
    return Question(
        number=number,
        line=start + 1,
        prompt=prompt,
        answer=text,
        answer_line=answer_line,
        placeholder_left=placeholder,
        has_marker=marker_at is not None,
        word_limits=_limits(WORDS, prompt),
        image_limits=_image_limits(prompt),
    )


def _unquote(line: str) -> str:
    stripped = line.lstrip()
    return stripped[1:].lstrip() if stripped.startswith(">") else line


def _limits(pattern: re.Pattern, text: str) -> tuple[int, int] | None:
    match = pattern.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _image_limits(prompt: str) -> tuple[int, int] | None:
    found = _limits(IMAGES, prompt)
    if found:
        return found
    return (1, 1) if ONE_FIGURE.search(prompt) else None


def _check_numbers(result: QuestionSplit) -> None:
    numbers = [q.number for q in result.questions]
    seen: set[int] = set()
    for question in result.questions:
        if question.number in seen:
            result.problems.append((question.line, f"question {question.number} appears twice"))
        seen.add(question.number)
    expected = result.expected or (max(numbers) if numbers else 0)
    missing = [n for n in range(1, expected + 1) if n not in seen]
    if missing:
        result.problems.append((None, "questions missing: " + ", ".join(map(str, missing))))
    for before, after in zip(numbers, numbers[1:], strict=False):
        if after < before:
            result.problems.append((None, f"question {after} comes after question {before}"))
            break
