"""Finding the report among a repository's markdown files."""

from __future__ import annotations

import pytest

from verifier.repo.view import RepoView
from verifier.report.discover import ReportNotFound, find_report

CHECKLIST = "## Overall project checklist\n\n### Week 1\n\n" + "".join(
    f"* [{'x' if n % 2 else ' '}] Item number {n} (M{n})\n" for n in range(5, 20)
)
EMPTY_CHECKLIST = CHECKLIST.replace("[x]", "[ ]")
QUESTIONS = "".join(
    f"### Question {n}\n> **q**\n>\n> Answer:\n\nOur answer {n} here.\n\n" for n in range(1, 8)
)
PLACEHOLDERS = "".join(
    f"### Question {n}\n> **q**\n\n--- question {n} fill here ---\n\n" for n in range(1, 8)
)
REPORT = "# Exam template for 02476 Machine Learning Operations\n\n" + CHECKLIST + QUESTIONS
TEMPLATE = "# Exam template for 02476 Machine Learning Operations\n\n" + EMPTY_CHECKLIST + PLACEHOLDERS


def choose(make_repo, files, subdir=None, override=None):
    root = make_repo(files)
    return find_report(RepoView.open(root / subdir if subdir else root), override)


def test_reports_readme_is_preferred(make_repo):
    choice = choose(make_repo, {"reports/README.md": REPORT, "README.md": "# Project\n"})
    assert choice.path == "reports/README.md"


def test_renamed_report_is_found(make_repo):
    choice = choose(make_repo, {"reports/reports.md": REPORT, "README.md": "# Project\n"})
    assert choice.path == "reports/reports.md"


def test_report_merged_into_root_readme_after_a_description(make_repo):
    text = "# Project Description: forecasting\n\nWe forecast things.\n\n" + CHECKLIST + QUESTIONS
    assert choose(make_repo, {"README.md": text}).path == "README.md"


def test_project_in_a_subfolder_of_the_git_root(make_repo):
    choice = choose(
        make_repo, {"portfolio/reports/README.md": REPORT, "README.md": "# x\n"}, subdir="portfolio"
    )
    assert choice.path == "portfolio/reports/README.md"


def test_report_in_a_subfolder_found_from_the_git_root(make_repo):
    choice = choose(make_repo, {"portfolio/reports/README.md": REPORT, "README.md": "# x\n"})
    assert choice.path == "portfolio/reports/README.md"


def test_unfilled_template_copy_loses_to_the_filled_report(make_repo):
    choice = choose(make_repo, {"README.md": TEMPLATE, "docs/report.md": REPORT})
    assert choice.path == "docs/report.md"
    assert "README.md" in choice.reason  # the passed-over decoy is named


def test_decoy_with_its_own_tick_list_is_not_a_report(make_repo):
    decoy = "# Our progress\n\n" + "".join(f"- [x] question {n} done\n" for n in range(30))
    choice = choose(make_repo, {"reports/README.md": REPORT, "reports/reportchecklist.md": decoy})
    assert choice.path == "reports/README.md"
    assert "reports/reportchecklist.md" not in choice.candidates


def test_no_report_raises_with_a_reason(make_repo):
    with pytest.raises(ReportNotFound, match="no 02476 report found"):
        choose(make_repo, {"README.md": "# A project\n\n- [x] done\n"})


def test_override_must_be_a_report(make_repo):
    files = {"reports/README.md": REPORT, "NOTES.md": "# notes\n"}
    with pytest.raises(ReportNotFound, match="not a 02476 report"):
        choose(make_repo, files, override="NOTES.md")


def test_override_picks_the_given_file(make_repo):
    files = {"reports/README.md": REPORT, "other/report.md": REPORT}
    choice = choose(make_repo, files, override="other/report.md")
    assert choice.path == "other/report.md" and "--report" in choice.reason
