"""Random and adversarial report text through the report parser, the question splitter and the
answer checks: nothing raises, every line number points into the text, each example finishes
within its deadline. Deterministic (derandomized, no example database) so CI sees the same
examples every run."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.answers.checks import format_checks
from verifier.answers.claims import check_claims, sentences
from verifier.answers.split import split_questions
from verifier.report.checklist import TICKED, parse_checklist
from verifier.report.discover import answered_questions
from verifier.report.edition import detect_edition

FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=timedelta(seconds=3),  # per example; the slowest real report takes milliseconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# pieces of the course template and of what groups and attackers write into it
TOKENS = [
    "# Exam template for 02476 Machine Learning Operations\n",
    "## Overall project checklist\n",
    "## Group information\n",
    "## Coding environment\n",
    "### Week 1\n",
    "### Week 2\n",
    "### Extra\n",
    "### Question 1\n",
    "### Question 14\n",
    "### Question 31\n",
    "#### Question 2\n",
    "> **How many tests did you implement?** Recommended answer length: 50-100 words.\n",
    "> **Upload 1 to 3 screenshots of your W&B experiments.**\n",
    "> Answer:\n",
    "Answer: ",
    "**Answer**:",
    "--- question 1 fill here ---\n",
    "`--- question 14 fill here ---`",
    "* [x] ",
    "* [ ] ",
    "- [X ] ",
    "+ [50%] ",
    "[✅] ",
    "Create a git repository (M5)\n",
    "Use DVC for data versioning (M8+M9)\n",
    "Add caching and multi-os/python/pytorch testing to your continuous integration (M17)\n",
    "We used DVC and Hydra. ",
    "We did not use W&B, instead of BentoML we used FastAPI. ",
    "We implemented 12 tests, coverage is 87%. ",
    "CI runs on ubuntu, windows and macos with python 3.11 and 3.12. ",
    "See `src/pkg/train.py` and [the api](src/api.py). ",
    "![diagram](figures/overview.png)",
    '<img src="figures/a.png" width=300>',
    "https://github.com/group/repo/blob/main/src/x.py ",
    "\n",
    "\n\n",
    "\r\n",
    " " * 200,
    "\t" * 50,
    "0" * 200,
    "<img " * 50,
    "![" * 50,
    "[" * 100,
    "*" * 100,
    "#" * 100,
    "-" * 100,
    "`" * 30,
    "\x00\x1b[2J\u202e\u2028\x85\x0c",
]
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=40)), max_size=60).map("".join)


def _line_count(text: str) -> int:
    return max(len(text.split("\n")), len(text.splitlines())) + 1


@FUZZ
@given(TEXT)
def test_the_checklist_parser_takes_any_text(text: str):
    checklist = parse_checklist(text)
    limit = _line_count(text)
    for entry in checklist.entries:
        assert 1 <= entry.line <= limit
        assert entry.state in (TICKED, "unticked", "partial")
    assert checklist.heading_line is None or 1 <= checklist.heading_line <= limit
    detect_edition(text, checklist)
    answered_questions(text)


@FUZZ
@given(TEXT)
def test_the_question_splitter_takes_any_text(text: str):
    split = split_questions(text)
    limit = _line_count(text)
    for question in split.questions:
        assert 1 <= question.line <= limit
        assert question.answer_line is None or question.line <= question.answer_line <= limit
        assert question.words >= 0
        for limits in (question.word_limits, question.image_limits):
            assert limits is None or (len(limits) == 2 and all(isinstance(n, int) for n in limits))
    for line, message in split.problems:
        assert line is None or 1 <= line <= limit
        assert isinstance(message, str) and message


@FUZZ
@given(
    TEXT, st.sets(st.sampled_from(["reports/README.md", "reports/figures/overview.png", "src/pkg/train.py"]))
)
def test_the_answer_checks_take_any_text(text: str, files: set[str]):
    files = files | {"reports/README.md"}
    split = split_questions(text)
    limit = _line_count(text)
    for report in format_checks(split, "reports/README.md", text, files, ("group", "repo")):
        for finding in report.findings:
            assert finding.line is None or 1 <= finding.line <= limit
            assert finding.message
    for finding in check_claims(split.questions, [], [], files, {"data-versioning": TICKED}):
        assert finding.message and finding.question in {q.number for q in split.questions}
    for sentence in sentences(text):
        assert isinstance(sentence, str)
