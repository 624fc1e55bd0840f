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
from bisect import bisect_left
from functools import lru_cache

from verifier.answers.claims import sentences
from verifier.answers.split import Question
from verifier.compiled import regex
from verifier.evidence import Finding
from verifier.lazy_re import lazy
from verifier.records import record

# clauses: the answers review's separators, plus subordinate conjunctions (what follows "that"
# or "because" is a statement of its own: "profiling showed that loading was not the bottleneck")
CLAUSE = regex(
    r"[,;:()]|\s(?:but|while|whereas|although|though|however|that|which|because|since|so|and then)\s"
    r"|^(?:while|whereas|although|though)\s",
    re.I,
)
NEGATION = regex(r"\b(?:not|never|neither|nor|no)\b|n't\b", re.I)
NOT_A_NEGATION = regex(
    r"\bno\s+(?:problems?|issues?|troubles?|difficult\w*|errors?|bugs?|need|doubt|matter|longer|"
    r"significant|major|further)\b|\bnot\s+(?:only|just|merely)\b|\bno\s+one\b|"
    r"\bnot\s+(?:a\s+)?(?:problem|issue|bottleneck)\b",
    re.I,
)
HEDGE = regex(
    r"\b(?:fully|completely|entirely|totally|quite|properly|thoroughly|extensively|exhaustively|"
    r"much|not all|every|limited|partial(?:ly)?|partly|somewhat|to some extent|exploratory|actively)\b",
    re.I,
)
HYPOTHETICAL = regex(r"\b(?:if|would|should|might|may|can|whether|unless)\b|\?", re.I)
FIRST_PERSON = lazy(r"\b(?:we|i|our|us|the group|the team)\b", re.I)
# "load-test metrics", "the test environment": the item's word describing something else
MODIFIER = lazy(
    r"\s(?:metrics|results|environment|numbers|reports?|data|figures|values|scores|set-?up)\b", re.I
)
AFFIRMED = lazy(
    r"\b(?:we|i)\s+(?:have\s+|had\s+|also\s+)?(?:used|ran|run|did|performed|implemented|set up|"
    r"deployed|trained|profiled|added|wrote|created|made use)\b|\b(?:was|were|has been|have been)\s+"
    r"(?:\w+\s+)?(?:done|used|performed|implemented|deployed|run|set up|added)\b",
    re.I,
)
SENTENCE_BEFORE_NUMBER = regex(r"(?<=[.!?])\s+(?=\d)")
NEAR = 1  # words between a negation and the item's name when no "we" says who did not
PASSIVE_AFTER = r"\s+(?:(?:was|were|is|are|has|have|had)\s+(?:been\s+)?)?(?:not|never)\b"


@record(frozen=True)
class Denial:
    """A sentence of an answer saying the group did not do something."""

    question: int
    line: int | None
    sentence: str


@lru_cache(maxsize=256)
def _compile(words: tuple[str, ...]) -> re.Pattern | None:
    return regex(r"\b(?:" + "|".join(words) + r")", re.I) if words else None


def _denies(clause: str, words: re.Pattern, not_about: re.Pattern | None) -> bool:
    """The clause names the item and denies it: "we did not use DVC" (someone says they did
    not), "no profiling", "the API was not deployed" (the negation right before the name), or
    "profiling was not done" (right after it)."""
    if not_about and not_about.search(clause):
        return False
    if HYPOTHETICAL.search(clause):
        return False
    cleaned = NOT_A_NEGATION.sub(" ", clause)
    negations = [m.span() for m in NEGATION.finditer(cleaned)]  # found once: linear in the clause
    starts = [start for start, _ in negations]
    speaker = FIRST_PERSON.search(cleaned)
    for name in words.finditer(cleaned):
        rest = cleaned[name.end() : name.end() + 80]
        if MODIFIER.match(rest):
            continue
        index = bisect_left(starts, name.start()) - 1
        if index >= 0:
            start, end = negations[index]
            gap = cleaned[end : name.start()]
            near = len(gap) <= 40 and len(gap.split()) <= NEAR
            if near or (speaker is not None and speaker.start() < start):
                return True
        if re.match(r"\w*" + PASSIVE_AFTER, rest, re.I):
            return True
    return False


def _affirms(clause: str, words: re.Pattern, not_about: re.Pattern | None) -> bool:
    """The clause says the item was done ("profiling was done with cProfile", "we ran a sweep")."""
    if not words.search(clause) or (not_about and not_about.search(clause)):
        return False
    if NEGATION.search(NOT_A_NEGATION.sub(" ", clause)) or HYPOTHETICAL.search(clause):
        return False
    return bool(AFFIRMED.search(clause))


@lru_cache(maxsize=64)
def _clauses(answer: str) -> tuple[tuple[str, str], ...]:
    """(sentence, clause) pairs of an answer, split once for every item that reads it."""
    return tuple(
        (sentence, c) for sentence in _sentences(answer) for c in CLAUSE.split(sentence) if c and c.strip()
    )


# A sentence is read for a denial only up to this length: real sentences are far shorter, and
# the catalog's patterns (a grader's, or one a repository's settings name) then stay cheap
# whatever they are.
MAX_SENTENCE = 1_000
MAX_PROMPT = 2_000


def _sentences(text: str) -> list[str]:
    joined = (
        " ".join(part.split())
        for sentence in sentences(text)
        for part in SENTENCE_BEFORE_NUMBER.split(sentence)
    )
    return [part for part in joined if part and len(part) <= MAX_SENTENCE]


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
        if not question.answered or not prompts.search(_asked(question.prompt)[:MAX_PROMPT]):
            continue
        clauses = _clauses(question.answer)
        about = [(sentence, c) for sentence, c in clauses if names.search(c)]
        if any(_affirms(c, names, others) or HEDGE.search(sentence) for sentence, c in about):
            continue  # the answer also says it was (partly) done: not a denial
        for sentence, clause in about:
            if _denies(clause, names, others):
                return Denial(question.number, _line_of(sentence, question, report_lines), sentence)
    return None


PROMPT_END = regex(r"\b(?:recommended\s+)?answer\s+length\b|\bexample\s*:", re.I)


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


def unmentioned(
    questions: list[Question], prompt_words: tuple[str, ...], words: tuple[str, ...]
) -> list[int]:
    """The answered questions that speak of the item and never name it; empty when any names
    it, or when no answered question speaks of it (then nothing can be told)."""
    prompts, names = _compile(prompt_words), _compile(words)
    if prompts is None or names is None:
        return []
    asked = [q for q in questions if q.answered and prompts.search(_asked(q.prompt))]
    if any(names.search(" ".join(q.answer.split())) for q in asked):
        return []
    return [q.number for q in asked]
