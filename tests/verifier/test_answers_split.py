"""Splitting reports into questions and answers, for every edition and real report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS, TEMPLATES, needs_shared, shared_files
from verifier.answers.split import split_questions
from verifier.report.checklist import parse_checklist
from verifier.report.edition import detect_edition

TEMPLATE_FILES = shared_files(TEMPLATES)
CORPUS_FILES = shared_files(CORPUS / "reports") + shared_files(CORPUS / "seeds")
# answered counts the corpus README states for some reports
STATED_ANSWERED = {
    "DevJav__MLOps_catsvsdogs.md": 12,
    "RasDTU02__02476_FinalProject_Group20.md": 24,
    "thomas-tams__mlops_02476_project.md": 31,
    "ThomasSchiolerH__MLOps-Project.md": 31,
}


def _split(path: Path):
    text = path.read_text(encoding="utf-8")
    edition = detect_edition(text, parse_checklist(text)).id
    return text, split_questions(text, edition)


@needs_shared
@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_templates_split_into_their_questions_all_unanswered(path: Path):
    text, split = _split(path)
    expected = len(re.findall(r"^### Question \d+", text, re.M))
    assert [q.number for q in split.questions] == list(range(1, expected + 1))
    assert expected == split.expected
    assert split.problems == []
    # two editions carry stray test text in question 31's answer slot; nothing else is answered
    assert [q.number for q in split.questions if q.answered] in ([], [31])
    assert all(q.placeholder_left for q in split.questions if not q.answered)
    limited = [q for q in split.questions if q.word_limits]
    assert len(limited) >= expected - 6  # group number, study numbers and image questions aside


@needs_shared
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_real_reports_split_with_answers_in_place(path: Path):
    text, split = _split(path)
    assert len(split.questions) == split.expected
    assert sorted(q.number for q in split.questions) == list(range(1, split.expected + 1))
    if path.name in STATED_ANSWERED:
        assert sum(q.answered for q in split.questions) == STATED_ANSWERED[path.name]
    for question in split.questions:
        assert "fill here ---" not in question.answer
        assert not question.answer.lstrip().startswith("Answer:")


@needs_shared
def test_inline_answers_beside_left_placeholders_count_as_answered():
    _, split = _split(CORPUS / "reports" / "SalisMaxima__ct_scan_mlops.md")
    assert all(q.answered for q in split.questions)
    assert sum(q.placeholder_left for q in split.questions) == 31


@needs_shared
def test_report_merged_into_a_readme_names_the_foreign_headings():
    _, split = _split(CORPUS / "reports" / "ViktorHJ__02476_project1.md")
    assert any("inside the answer to question 31" in message for _, message in split.problems)


def test_broken_structure_is_named_not_misassigned():
    text = (
        "### Question 1\n> **Group?**\n>\n> Answer:\n\n7\n\n"
        "### Question 2\n> **Study numbers?**\n\ns1, s2\n\n"  # the marker was deleted
        "### Question 2\n> **again**\n>\n> Answer:\n\nx y\n\n"
        "### Question 4\n> **How many tests?**\n> Recommended answer length: 50-100 words.\n>\n> Answer:\n\n"
        "--- question 4 fill here ---\n\n#### Our own heading\n\nWe wrote 3 tests.\n"
    )
    split = split_questions(text, "2024-12")
    by_number = {}
    for q in split.questions:
        by_number.setdefault(q.number, q)
    assert by_number[2].answer == "s1, s2" and not by_number[2].has_marker
    assert by_number[4].answer.endswith("We wrote 3 tests.") and by_number[4].placeholder_left
    assert by_number[4].word_limits == (50, 100)
    messages = [m for _, m in split.problems]
    assert any("question 2 has no 'Answer:' marker" in m for m in messages)
    assert any("question 2 appears twice" in m for m in messages)
    assert any(m.startswith("questions missing: 3, 5, 6") for m in messages)


def test_limits_are_read_from_the_question_text():
    text = (
        "### Question 14\n> **Upload 1 to 3 screenshots of W&B.**\n>\n"
        "> Recommended answer length: 200-300 words + 1 to 3 screenshots.\n>\n> Answer:\n\nx\n\n"
        "### Question 29\n> **Include a figure that describes the overall architecture.**\n>\n"
        "> Answer length: 200-400 words.\n>\n> Answer:\n\ny\n"
    )
    first, second = split_questions(text).questions
    assert (first.word_limits, first.image_limits) == ((200, 300), (1, 3))
    assert (second.word_limits, second.image_limits) == ((200, 400), (1, 1))


def test_placeholders_are_found_in_any_case_and_only_where_they_are():
    from verifier.answers.split import split_questions

    report = (
        "## Overall project checklist\n\n* [x] Create a git repository (M5)\n\n"
        "### Question 1\n> **What is your group number?**\n>\n> Answer:\n\n"
        "--- QUESTION 1 FILL HERE --- group 7\n\n"
        "### Question 2\n> **Who are you?**\n>\n> Answer:\n\n\nWe fill our days with MLOps.\n"
    )
    questions = {q.number: q for q in split_questions(report, None).questions}
    assert questions[1].placeholder_left and questions[1].answer == "group 7"
    assert not questions[2].placeholder_left  # "fill" alone is no placeholder
    assert questions[2].answer == "We fill our days with MLOps."
    assert questions[2].answer_line == report.splitlines().index("We fill our days with MLOps.") + 1
