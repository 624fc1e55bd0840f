"""A ticked box whose own answer says it was not done: the report contradicts itself.

The catalog says, per item, which questions speak of it (words of the question's prompt) and
which words in an answer name it (``answers: {questions, words, not_about}``). A sentence of such
a question's answer denies the item when one of its clauses names the item and holds a plain
negation before the name ("we didn't run any specific profiling") or right after it ("the
model was not deployed"). Not denials: hedges ("did not fully implement", "not all"), clauses
about something else (``not_about``: "we did not deploy locally" for cloud deployment),
hypotheticals ("if we had time we would not ..."), and "no problems"-style phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.answers.claims import sentences
from verifier.answers.split import Question
from verifier.evidence import Finding

# clauses: the answers review's separators, plus subordinate conjunctions (what follows "that"
# or "because" is a statement of its own: "profiling showed that loading was not the bottleneck")
CLAUSE = re.compile(
    r"[,;:()]|\s(?:but|while|whereas|although|though|however|that|which|because|since|so|and then)\s"
    r"|^(?:while|whereas|although|though)\s",
    re.I,
)
NEGATION = re.compile(r"\b(?:not|never|neither|nor|no)\b|n't\b", re.I)
NOT_A_NEGATION = re.compile(
    r"\bno\s+(?:problems?|issues?|troubles?|difficult\w*|errors?|bugs?|need|doubt|matter|longer|"
    r"significant|major|further)\b|\bnot\s+(?:only|just|merely)\b|\bno\s+one\b|"
    r"\bnot\s+(?:a\s+)?(?:problem|issue|bottleneck)\b",
    re.I,
)
HEDGE = re.compile(
    r"\b(?:fully|completely|entirely|totally|quite|properly|thoroughly|extensively|exhaustively|"
    r"much|not all|every|limited|partial(?:ly)?|partly|somewhat|to some extent|exploratory)\b",
    re.I,
)
HYPOTHETICAL = re.compile(r"\b(?:if|would|should|might|whether|unless)\b|\?", re.I)
PASSIVE_AFTER = r"\s+(?:(?:was|were|is|are|has|have|had)\s+(?:been\s+)?)?(?:not|never)\b"


@dataclass(frozen=True)
class Denial:
    question: int
    line: int | None
    sentence: str


def _compile(words: tuple[str, ...]) -> re.Pattern | None:
    return re.compile(r"\b(?:" + "|".join(words) + r")", re.I) if words else None


def _denies(clause: str, words: re.Pattern, not_about: re.Pattern | None) -> bool:
    if not_about and not_about.search(clause):
        return False
    if HEDGE.search(clause) or HYPOTHETICAL.search(clause):
        return False
    cleaned = NOT_A_NEGATION.sub(" ", clause)
    for name in words.finditer(cleaned):
        before = cleaned[: name.start()]
        if NEGATION.search(before):
            return True
        rest = cleaned[name.end() :]
        if re.match(r"\w*" + PASSIVE_AFTER, rest, re.I):
            return True
    return False


def find_denial(
    questions: list[Question],
    prompt_words: tuple[str, ...],
    words: tuple[str, ...],
    not_about: tuple[str, ...] = (),
    report_lines: list[str] | None = None,
) -> Denial | None:
    """The first sentence, in the questions whose prompt names the item, that denies it."""
    prompts, names, others = _compile(prompt_words), _compile(words), _compile(not_about)
    if prompts is None or names is None:
        return None
    for question in questions:
        if not question.answered or not prompts.search(_asked(question.prompt)):
            continue
        for sentence in sentences(question.answer):
            flat = " ".join(sentence.split())
            if any(_denies(c, names, others) for c in CLAUSE.split(flat) if c and c.strip()):
                return Denial(question.number, _line_of(flat, question, report_lines), flat)
    return None


PROMPT_END = re.compile(r"\b(?:recommended\s+)?answer\s+length\b|\bexample\s*:", re.I)


def _asked(prompt: str) -> str:
    """The question itself: the prompt up to its length hint or example, without emphasis."""
    return " ".join(PROMPT_END.split(prompt.replace("*", " "), maxsplit=1)[0].split())


def _line_of(sentence: str, question: Question, lines: list[str] | None) -> int | None:
    start = question.answer_line or question.line
    if not lines or not start:
        return start
    head = " ".join(sentence.split()[:4])
    for number in range(start, min(len(lines), start + 400) + 1):
        if head and head in " ".join(lines[number - 1].split()):
            return number
    return start


def denial_finding(denial: Denial, report_path: str) -> Finding:
    quote = denial.sentence if len(denial.sentence) <= 150 else denial.sentence[:149] + "…"
    return Finding(
        probe="answers",
        kind="answers.denial",
        path=report_path,
        line=denial.line,
        snippet=quote,
        message=f"the answer to question {denial.question} says it was not done: \u201c{quote}\u201d",
        data={"question": denial.question, "sentence": denial.sentence},
    )
