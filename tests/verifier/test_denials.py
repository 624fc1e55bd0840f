"""A tick whose own answer says it was not done is contradicted, quoting the sentence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.verifier.test_cli import SCHEMA
from verifier.answers.denials import find_denial, unmentioned
from verifier.answers.split import Question
from verifier.catalog import load_catalog
from verifier.cli import main

HONEST = Path(__file__).resolve().parents[2] / "examples" / "honest-project"
PROFILE_PROMPT = (
    "> **When running into bugs while trying to run your experiments, how did you perform debugging? "
    "Additionally, did you**\n> **try to profile your code or do you think it is already perfect?**"
)


def _question(prompt: str, answer: str, number: int = 16) -> Question:
    return Question(number, 10, prompt, answer, 12, False, True)


def _denial(item_id: str, prompt: str, answer: str):
    words = load_catalog()[item_id].answers
    assert words is not None
    return find_denial([_question(prompt, answer)], words.questions, words.words, words.not_about)


@pytest.mark.parametrize(
    "answer",
    [
        "We used the debugger. We didn't run any specific profiling of our code.",
        "Profiling was not done, since the model is small.",
        "We used no profiling tools at all.",
    ],
)
def test_plain_denials_are_found_with_their_sentence(answer):
    denial = _denial("profiling", PROFILE_PROMPT, answer)
    assert denial is not None and denial.question == 16
    assert "profil" in denial.sentence.lower()


@pytest.mark.parametrize(
    "answer",
    [
        "We did not fully profile the training loop, but cProfile showed the hot spots.",  # hedge
        "Profiling showed that the data loading was not the bottleneck.",  # negation about else
        "We had no problems profiling the code with cProfile.",
        "If we had more time we would not skip profiling.",  # hypothetical
        "We profiled the training with the PyTorch profiler.",
    ],
)
def test_hedges_and_other_subjects_are_not_denials(answer):
    assert _denial("profiling", PROFILE_PROMPT, answer) is None


COVERAGE_PROMPT = "> **What is the total code coverage (in percentage) of your code?**"


@pytest.mark.parametrize(
    "answer",
    [
        "Our coverage is 80%. The training loop is not included in the coverage.",  # about something else
        "Neither does the code coverage describe the quality of the tests.",
        "Bugs may not be evident from code coverage alone.",
        "Unit tests were not done as it needs a service. 65% is still far from 100% coverage.",
    ],
)
def test_statements_about_coverage_that_deny_nothing(answer):
    assert _denial("coverage", COVERAGE_PROMPT, answer) is None


def test_an_answer_that_also_says_it_was_done_is_not_a_denial():
    answer = "Profiling was done with cProfile. We didn't profile the code with the torch profiler."
    assert _denial("profiling", PROFILE_PROMPT, answer) is None
    load = "> **Did you perform any unit testing and load testing of your API?**"
    assert _denial("load-test", load, "We did not record formal load-test metrics.") is None
    assert _denial("load-test", load, "We did not do any load testing.") is not None


def test_only_the_questions_that_speak_of_the_item_are_read():
    other = "> **How did you configure experiments? Did you make use of config files?**"
    assert _denial("profiling", other, "We did not do any profiling.") is None


def test_a_clause_about_something_else_is_skipped():
    prompt = "> **Did you manage to deploy your API, either in locally or cloud? If not, describe why.**"
    assert _denial("cloud-deploy", prompt, "We did not deploy locally; the API runs on Cloud Run.") is None
    denial = _denial("cloud-deploy", prompt, "The API was served locally. It was not deployed to the cloud.")
    assert denial is not None and denial.sentence == "It was not deployed to the cloud."


def _report_repo(tmp_path: Path, answer: str) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(HONEST, repo)
    report = repo / "reports" / "README.md"
    text = report.read_text()
    text = text.replace(
        "* [ ] Use profiling to optimize your code (M12)", "* [x] Use profiling to optimize your code (M12)"
    )
    head, rest = text.split("### Question 16\n", 1)
    _, tail = rest.split("### Question 17\n", 1)
    report.write_text(
        f"{head}### Question 16\n{PROFILE_PROMPT}\n>\n> Answer:\n\n{answer}\n\n### Question 17\n{tail}"
    )
    return repo


def test_the_json_and_the_terminal_quote_the_denial_and_name_the_question(tmp_path, capsys):
    repo = _report_repo(tmp_path, "We used print statements. We didn't run any specific profiling.")
    assert main([str(repo), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    item = next(i for i in document["items"] if i["id"] == "profiling")
    assert item["verdict"] == "contradicted"
    assert "question 16" in item["reason"] and "We didn't run any specific profiling." in item["reason"]
    first = item["evidence"][0]
    assert (first["role"], first["kind"], first["path"]) == (
        "contradicts",
        "answers.denial",
        "reports/README.md",
    )
    assert first["data"]["question"] == 16
    assert item["remediation"].startswith("Untick the box, or correct the answer to question 16")
    assert (
        "We didn't run any specific profiling"
        in (repo / first["path"]).read_text().splitlines()[first["line"] - 1]
    )
    main([str(repo)])
    terminal = " ".join(capsys.readouterr().out.split())
    assert "question 16" in terminal and "We didn't run any specific profiling." in terminal


def test_a_hedged_answer_leaves_the_tick_unsupported(tmp_path, capsys):
    repo = _report_repo(tmp_path, "We did not fully profile our code.")
    main([str(repo), "--json"])
    item = next(i for i in json.loads(capsys.readouterr().out)["items"] if i["id"] == "profiling")
    assert item["verdict"] == "unsupported"


def test_reading_denials_is_linear_on_long_adversarial_answers():
    import time

    catalog = load_catalog()
    units = (" ", "not ", "we did not ", "deploy ", "not deploy ", "no tests ", "we ", ", ", ". ", "1 ")
    began = time.perf_counter()
    for unit in units:
        answer = "We " + unit * (40_000 // len(unit)) + "x."
        for item in catalog.items:
            if item.answers:
                words = item.answers
                prompt = "> **" + " ".join(words.questions) + "**"
                find_denial([_question(prompt, answer)], words.questions, words.words, words.not_about)
    assert time.perf_counter() - began < 20  # milliseconds a line when linear; minutes when not


def test_explain_shows_which_answers_and_declarations_bear_on_an_item(capsys):
    assert main(["--explain", "profiling"]) == 0
    out = capsys.readouterr().out
    assert "contradicted when the report's answer denies it" in out and "profil" in out
    assert "weak when only declared: snakeviz" in out


MONITORING_PROMPT = (
    "> **Did you manage to implement monitoring of your deployed model? If yes, explain how it works.**"
)


def test_a_console_claim_no_answer_speaks_of_is_unsupported():
    words = load_catalog()["telemetry"].answers
    drift_only = _question(
        MONITORING_PROMPT,
        "We implemented data drift monitoring. If drift is seen, a trigger could alert us.",
        23,
    )
    assert unmentioned([drift_only], words.questions, words.words) == [23]
    console = _question(
        MONITORING_PROMPT, "We rely on the built-in monitoring in GCP and an alert on errors.", 23
    )
    assert unmentioned([console], words.questions, words.words) == []
    assert unmentioned([], words.questions, words.words) == []  # no answer: nothing can be told


def test_a_sentence_too_long_to_be_one_is_not_read_for_a_denial():
    """Whatever a catalog's patterns are, the text they run on is at most one real sentence."""
    import time

    words = ("x[\\w ]*y",)  # quadratic: every word starts a scan to the end, where no y is
    answer = "We did not " + "x " * 100_000 + "."
    began = time.perf_counter()
    assert find_denial([_question("> **profile**", answer)], ("profile",), words) is None
    assert time.perf_counter() - began < 5  # minutes if the whole run were searched
    assert find_denial(
        [_question("> **profile**", "We did not profile anything.")], ("profile",), ("profil\\w*",)
    )
