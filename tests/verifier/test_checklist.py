"""Checklist parsing: tick spellings, wrapping, tags, weeks, and odd input."""

from __future__ import annotations

import pytest

from verifier.report.checklist import PARTIAL, TICKED, UNTICKED, parse_checklist

HEAD = "# Exam template for 02476 Machine Learning Operations\n\n## Overall project checklist\n\n"


def one(line: str):
    [entry] = parse_checklist(HEAD + "### Week 1\n\n" + line + "\n").entries
    return entry


@pytest.mark.parametrize(
    "mark, state",
    [
        ("x", TICKED),
        ("X", TICKED),
        ("X ", TICKED),
        (" x", TICKED),
        ("✓", TICKED),
        ("✅", TICKED),
        ("(X)", TICKED),
        (" ", UNTICKED),
        ("", UNTICKED),
        ("50%", PARTIAL),
        ("/", PARTIAL),
        ("-", PARTIAL),
        ("%", PARTIAL),
    ],
)
def test_tick_spellings(mark: str, state: str):
    entry = one(f"* [{mark}] Create a git repository (M5)")
    assert entry.state == state
    assert entry.raw_mark == mark
    assert entry.text == "Create a git repository"


@pytest.mark.parametrize("bullet", ["*", "-", "+", "  *", "    -"])
def test_bullets(bullet: str):
    assert one(f"{bullet} [x] Create a git repository (M5)").state == TICKED


def test_wrapped_item_is_joined_and_keeps_its_first_line():
    text = HEAD + (
        "### Week 1\n\n"
        "* [x] Create a git repository (M5)\n"
        "* [X ] Remember to fill out the `requirements.txt` and `requirements_dev.txt` file with\n"
        "    whatever dependencies that you are using (M2+M6)\n"
        "* [ ] Next item (M7)\n"
    )
    entries = parse_checklist(text).entries
    assert [e.line for e in entries] == [7, 8, 10]
    wrapped = entries[1]
    assert wrapped.text.endswith("file with whatever dependencies that you are using")
    assert wrapped.modules == ("M2", "M6")
    assert wrapped.state == TICKED


def test_crlf_line_endings():
    text = (HEAD + "### Week 1\n\n* [x] Create a git repository (M5)\n").replace("\n", "\r\n")
    [entry] = parse_checklist(text).entries
    assert entry.text == "Create a git repository" and entry.line == 7


def test_member_names_after_the_tag_are_stripped():
    entry = one("* [x] Comply with good coding practices (`pep8`) (M7) BJØRN / ALEXANDER")
    assert entry.text == "Comply with good coding practices (`pep8`)"
    assert entry.modules == ("M7",)
    assert "ALEXANDER" in entry.raw_text


def test_weeks_are_assigned_from_headings():
    text = HEAD + (
        "### Week 1\n\n* [x] a (M5)\n\n## Week 2\n\n* [ ] b (M16)\n\n"
        "### Week 3\n\n* [ ] c (M27)\n\n### Extra\n\n* [x] d\n\n### Additional\n\n* [x] e\n"
    )
    assert [e.week for e in parse_checklist(text).entries] == ["1", "2", "3", "extra", "extra"]


def test_link_bullets_and_lines_outside_the_checklist_are_not_items():
    text = HEAD + (
        "### Week 1\n\n* [x] Create a git repository (M5)\n- [dev.Dockerfile](https://x/y)\n\n"
        "## Group information\n\n* [x] not an item, outside the checklist\n"
    )
    assert [e.text for e in parse_checklist(text).entries] == ["Create a git repository"]


def test_missing_checklist_heading_falls_back_to_week_sections():
    text = (
        "### Week 1\n\n* [x] Create a git repository (M5)\n* [ ] Use profiling (M12)\n\n"
        "### Question 1\n\n* [x] answer bullet\n"
    )
    checklist = parse_checklist(text)
    assert checklist.heading_line is None
    assert [e.text for e in checklist.entries] == ["Create a git repository", "Use profiling"]


def test_no_checklist_at_all():
    assert parse_checklist("# Exam template\n\n### Question 1\n\nanswer\n").entries == []


def test_html_and_garbage_do_not_break_parsing():
    text = HEAD + (
        "### Week 1\n\n<script>alert(1)</script>\n* [x] <b>Create</b> a git repository (M5)\n"
        "\ufffd\ufffd\x00\x01 garbage\n* [ ] Use profiling (M12)\n"
    )
    entries = parse_checklist(text).entries
    assert len(entries) == 2
    assert entries[0].text.startswith("<b>Create</b>")


def test_large_input_is_parsed():
    text = HEAD + "### Week 1\n\n" + "* [x] item (M5)\n" * 20000
    assert len(parse_checklist(text).entries) == 20000
