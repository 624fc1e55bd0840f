"""The report probe: the architecture diagram."""

from __future__ import annotations

from probes.report import PROBE
from tests.probes.helpers import run
from verifier.evidence import STRONG, WEAK

QUESTION = (
    "### Question 29\n\n> **Include a figure that describes the overall architecture of your system.**\n"
    ">\n> Answer:\n\n{answer}\n\n### Question 30\n\n> **Discuss the struggles.**\n\nAnswer.\n"
)


def view_with(make_view, answer: str, files=None):
    view = make_view({"reports/README.md": QUESTION.format(answer=answer), **(files or {})})
    view.report_path = "reports/README.md"
    return view


def test_embedded_diagram_that_exists(make_view):
    view = view_with(make_view, "![overview](figures/arch.png)", {"reports/figures/arch.png": b"\x89PNG"})
    [finding] = run(PROBE, view)
    assert finding.kind == "report.diagram" and finding.line == 7
    assert "reports/figures/arch.png" in finding.message


def test_missing_file_wrong_case_or_plain_link_are_no_evidence(make_view):
    assert run(PROBE, view_with(make_view, "![overview](figures/arch.png)")) == []
    view = view_with(make_view, "![overview](figures/Arch.png)", {"reports/figures/arch.png": b"x"})
    assert run(PROBE, view) == []
    view = view_with(make_view, "[overview](figures/arch.png)", {"reports/figures/arch.png": b"x"})
    assert run(PROBE, view) == []


def test_a_percent_encoded_path_is_decoded(make_view):
    files = {"reports/figures/group 82 diagram.png": b"\x89PNG"}
    [finding] = run(PROBE, view_with(make_view, "![d](figures/group%2082%20diagram.png)", files))
    assert finding.strength == STRONG and "reports/figures/group 82 diagram.png" in finding.message


def test_a_diagram_hosted_elsewhere_is_only_a_hint(make_view):
    answer = "![d](https://github.com/user-attachments/assets/0b7c-diagram)"
    [finding] = run(PROBE, view_with(make_view, answer))
    assert finding.strength == WEAK and "outside the repository" in finding.message
