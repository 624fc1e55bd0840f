"""Format checks on answers, and answers checked against the repository."""

from __future__ import annotations

import json
from pathlib import Path

from verifier.answers.checks import format_checks
from verifier.answers.claims import check_claims, sentences
from verifier.answers.split import split_questions
from verifier.cli import main
from verifier.evidence import Finding
from verifier.repo.workflow import Job, Workflow

ROOT = Path(__file__).resolve().parents[2]


def question(number: int, prompt: str, answer: str) -> str:
    return f"### Question {number}\n\n> **{prompt}**\n>\n> Answer:\n\n{answer}\n\n"


def checks(text: str, files: set[str], repo=("group7", "pets")):
    split = split_questions(text)
    return {r.question.number: r for r in format_checks(split, "reports/README.md", text, files, repo)}


def kinds(report) -> list[str]:
    return [f.check for f in report.findings]


def test_images_links_formats_and_case():
    text = question(
        14,
        "Upload 1 to 3 screenshots",
        "See ![a](figures/a.png) and ![b](figures/B.png) and ![c](figures/c.gif) and [d](figures/d.png).",
    )
    files = {
        "reports/figures/a.png",
        "reports/figures/b.png",
        "reports/figures/c.gif",
        "reports/figures/d.png",
    }
    [report] = checks(text, files).values()
    assert report.images == ["figures/a.png", "figures/B.png", "figures/c.gif"]
    assert report.missing_images == ["figures/B.png"]
    found = {f.check: f for f in report.findings}
    assert "different case" in found["missing-image"].repository
    assert found["image-format"].quote == "figures/c.gif"
    assert found["image-not-embedded"].quote == "figures/d.png"
    assert "images" not in found  # three embedded, within 1-3


def test_placeholder_empty_and_length():
    text = (
        question(1, "Group", "--- question 1 fill here ---")
        + "### Question 2\n\n> **Study numbers**\n>\n> Answer:\n\n"
        + question(
            3, "Recommended answer length: 100-200 words.", "Too short.\n\n--- question 3 fill here ---"
        )
    )
    found = checks(text, set())
    assert kinds(found[1]) == ["unanswered"]
    assert kinds(found[2]) == ["empty"]
    assert set(kinds(found[3])) == {"placeholder-left", "length"}
    assert "2 words" in next(f.message for f in found[3].findings if f.check == "length")


def test_links_to_repository_files():
    text = question(
        15,
        "Docker",
        "Our [dockerfile](../dockerfiles/train.dockerfile), "
        "[gone](../dockerfiles/gone.dockerfile), "
        "https://github.com/group7/pets/blob/main/configs/x.yaml and "
        "[remote](https://github.com/group7/pets/blob/main/missing.py) and "
        "[other](https://github.com/someone/else/blob/main/missing.py).",
    )
    files = {"dockerfiles/train.dockerfile", "configs/x.yaml"}
    [report] = checks(text, files).values()
    broken = [f.quote for f in report.findings if f.check == "broken-link"]
    assert broken == ["../dockerfiles/gone.dockerfile", "https://github.com/group7/pets/blob/main/missing.py"]


def test_sentences_split_on_full_stops_and_bullets():
    assert sentences("We used DVC. It worked!\n- We also used Hydra") == [
        "We used DVC.",
        "It worked!",
        "We also used Hydra",
    ]


def f(kind: str, **data) -> Finding:
    return Finding("p", kind, "x", 1, "x", data=data)


def claims(text: str, findings=(), workflows=(), files=frozenset(), ticked=None):
    split = split_questions(text)
    return check_claims(split.questions, list(findings), list(workflows), set(files), ticked or {})


def test_tools_claimed_without_trace_but_denials_are_not_claims():
    text = question(
        3,
        "Frameworks",
        "We used Hydra for configs and we used ONNX for serving. "
        "We did not use DVC. Instead of BentoML we kept FastAPI. Docker is a tool.",
    )
    found = claims(text, [f("hydra.main")])
    assert [(c.check, c.quote) for c in found] == [
        ("tool-without-trace", "We used Hydra for configs and we used ONNX for serving.")
    ]
    assert "ONNX" in found[0].message


def test_test_count_and_coverage():
    text = question(
        7, "How many tests did you implement?", "In total we have implemented 24 tests."
    ) + question(
        8,
        "What is the total code coverage (in percentage) of your code?",
        "The total code coverage of our code is 81%.",
    )
    found = claims(text, [f("tests.data", test_functions=5)])
    checks_found = {c.check: c for c in found}
    assert (
        "24 tests" in checks_found["test-count"].message
        and "5 test functions" in checks_found["test-count"].message
    )
    assert checks_found["coverage-not-measured"].quote.endswith("81%.")
    assert claims(text, [f("tests.data", test_functions=20), f("coverage.config")]) == []


def test_ci_platforms_against_the_matrix():
    job = Job(
        id="t",
        runs_on=["${{ matrix.os }}"],
        matrix={},
        matrix_unknown=False,
        steps=[],
        line=1,
        operating_systems=["ubuntu", "windows"],
        python_versions=["3.11", "3.12"],
    )
    workflow = Workflow(path=".github/workflows/t.yml", name="t", triggers={}, jobs=[job])
    text = question(
        11,
        "Discuss your continuous integration setup",
        "We test on Ubuntu, Windows and macOS with Python 3.10 and 3.11.",
    )
    found = {c.check: c for c in claims(text, workflows=[workflow])}
    assert "macos" in found["ci-os"].message and "windows" not in found["ci-os"].message
    assert "3.10" in found["ci-python"].message
    ok = question(11, "Discuss your continuous integration setup", "We test on Ubuntu and Windows.")
    assert claims(ok, workflows=[workflow]) == []


def test_dvc_answer_against_the_checklist_both_ways():
    denied = question(10, "Did you use DVC for managing data?", "We did not use DVC in our project.")
    used = question(10, "Did you use DVC for managing data?", "We used DVC with a bucket.")
    [contradiction] = claims(denied, ticked={"data-versioning": "ticked"})
    assert contradiction.check == "checklist-vs-answer" and "ticked" in contradiction.message
    found = claims(used, [f("dvc.config")], ticked={"data-versioning": "unticked"})
    assert [c.check for c in found] == ["checklist-vs-answer"]
    assert claims(used, [f("dvc.config")], ticked={"data-versioning": "ticked"}) == []


def test_named_files_that_do_not_exist():
    text = question(12, "Configs", "Our config is in `configs/train.yaml` and `configs/gone.yaml`.")
    found = claims(text, files={"configs/train.yaml"})
    assert [c.quote for c in found] == ["configs/gone.yaml"]


def test_questions_in_the_json_of_a_run(capsys):
    status = main([str(ROOT / "examples" / "overclaimed-project"), "--json"])
    data = json.loads(capsys.readouterr().out)
    questions = data["questions"]
    assert questions["count"] == 31 and questions["expected"] == 31 and questions["answered"] == 4
    by_number = {q["number"]: q for q in questions["questions"]}
    assert [x["check"] for x in by_number[10]["findings"]] == ["tool-without-trace"]
    assert [x["check"] for x in by_number[11]["findings"]] == ["ci-os"]
    assert status == 1


def test_negation_is_read_per_clause():
    from verifier.answers.claims import TOOLS, _denies

    dvc = TOOLS[0]
    assert _denies("We did not use DVC for active versioning.", dvc)
    assert _denies("Instead of DVC we used a bucket.", dvc)
    assert not _denies("Instead, we used DVC mainly as storage.", dvc)
    assert not _denies("We used DVC, not Git LFS.", dvc)


def test_a_partial_denial_beside_a_use_is_not_a_contradiction():
    text = question(
        10,
        "Did you use DVC for managing data?",
        "We did not use DVC for active versioning. Instead, we used DVC as storage.",
    )
    assert claims(text, [f("dvc.config")], ticked={"data-versioning": "ticked"}) == []


def test_a_declared_but_unused_tool_is_named_as_such():
    text = question(25, "Load testing", "For load testing we used locust.")
    [finding] = check_claims(
        split_questions(text).questions, [], [], set(), {}, {"locust": ("requirements.txt", 7)}
    )
    assert finding.repository.startswith("Locust is only declared (requirements.txt:7)")


def test_fewer_tests_stated_than_counted_is_not_flagged():
    text = question(7, "How many tests did you implement?", "We have three tests.")
    assert claims(text, [f("tests.data", test_functions=14)]) == []


def test_links_written_from_the_repository_top_are_explained():
    text = question(25, "Load test", "See [the tests](tests/test_api.py).")
    [report] = checks(text, {"tests/test_api.py"}).values()
    [finding] = [x for x in report.findings if x.check == "broken-link"]
    assert "resolves to reports/tests/test_api.py" in finding.message
    assert finding.repository.startswith("tests/test_api.py exists")


def test_comparisons_and_hypotheticals_are_not_claims():
    text = question(
        3,
        "Frameworks",
        "Compared to alternatives like Streamlit, React allowed us to tune the UI. "
        "It would have been beneficial to use DVC if we had a changing dataset.",
    )
    assert claims(text) == []


def test_dot_folders_and_addresses_without_a_scheme():
    text = question(
        31,
        "Contributions",
        "We added `.github/workflows/check_file_size.yaml` and pushed to "
        "[the registry](europe-west1-docker.pkg.dev/p/images/train:latest).",
    )
    files = {".github/workflows/check_file_size.yaml"}
    assert claims(text, files=files) == []
    [report] = checks(text, files).values()
    assert [f.check for f in report.findings if f.check == "broken-link"] == []
