"""Every regular expression of the tool (and the report functions built on them) takes time
linear in practice on a long adversarial line: a heading of spaces, runs of digits, `<img `,
`[`, `*`, `#`. Patterns are collected from the modules, so a new one is covered without being
listed here. Each target runs in a child process that is stopped when it takes too long, so a
super-linear pattern fails the test instead of hanging it."""

from __future__ import annotations

import importlib
import multiprocessing
import pkgutil
import re
import time

import pytest

import probes
import verifier
from verifier.lazy_re import LazyPattern

N = 50_000
LINE_LIMIT = 1.0  # seconds for one 50k-character line; linear patterns take milliseconds
TARGET_LIMIT = 30.0  # seconds for all lines of one target before its process is stopped


def _repeat(unit: str, prefix: str = "", suffix: str = "\u00e9") -> str:
    return prefix + unit * (N // len(unit)) + suffix


LINES = {
    "spaces": _repeat(" "),
    "heading of spaces": _repeat(" ", "## x", "x"),
    "heading of hashes": _repeat("#", "## x", " x"),
    "question heading of spaces": _repeat(" ", "### Question 1", "x"),
    "tabs": _repeat("\t"),
    "newlines": _repeat("\n"),
    "blank lines with spaces": _repeat(" \n"),
    "digits": _repeat("0"),
    "digits and spaces": _repeat("1 "),
    "image tags": _repeat("<img "),
    "image tags with src": _repeat("<img src="),
    "image markdown": _repeat("!["),
    "brackets": _repeat("["),
    "stars": _repeat("*"),
    "hashes": _repeat("#"),
    "dashes": _repeat("-"),
    "placeholder starts": _repeat("-- "),
    "answer markers": _repeat(" ", "> ", "x"),
    "answer lengths": _repeat(" ", "answer length", "x"),
    "ranges": _repeat("1 to "),
    "letters": _repeat("a"),
    "sentences": _repeat(". "),
    "paths": _repeat("a/"),
    "github remotes": _repeat("github.com:"),
    "servers": _repeat("uvicorn "),
    "python commands": _repeat("python -x "),
    "module tags": _repeat("(M1+"),
    "backticks": _repeat("`"),
    "quotes": _repeat('"'),
    "colons": _repeat(": "),
    "checklist items": _repeat(" ", "* [x]", "x"),
}


def _patterns() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}

    def collect(name: str, value: object, depth: int = 0) -> None:
        if isinstance(value, re.Pattern):
            found.setdefault(name, value)
        elif isinstance(value, LazyPattern):  # compiled on first use: checked all the same
            found.setdefault(name, value.compiled)
        elif depth < 3 and isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                collect(f"{name}[{index}]", inner, depth + 1)
        elif depth < 3 and hasattr(value, "__dataclass_fields__"):
            for field in value.__dataclass_fields__:
                collect(f"{name}.{field}", getattr(value, field, None), depth + 1)

    for package in (verifier, probes):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for attr, value in vars(module).items():
                if getattr(value, "__module__", module.__name__) == module.__name__ or isinstance(
                    value, re.Pattern | LazyPattern
                ):
                    collect(f"{info.name}.{attr}", value)
    return found


def _regex_target(pattern: re.Pattern):
    def run(line: str) -> None:
        pattern.match(line)
        pattern.search(line)
        for _ in pattern.finditer(line):
            pass
        for part in line.split("\n")[:3]:  # also as the one line a per-line caller gives it
            pattern.match(part)

    return run


def _report_functions():
    from verifier.answers.checks import format_checks
    from verifier.answers.claims import check_claims, sentences
    from verifier.answers.split import split_questions
    from verifier.report.checklist import parse_checklist
    from verifier.report.discover import answered_questions

    def report(line: str) -> str:
        return (
            "# Exam template for 02476 Machine Learning Operations\n\n## Overall project checklist\n\n"
            f"### Week 1\n\n* [x] {line}\n\n## Group information\n\n"
            f"### Question 1\n> **Upload 1 to 3 screenshots**\n>\n> Answer:\n\n{line}\n\n{line}\n"
        )

    def answers(line: str) -> None:
        text = report(line)
        split = split_questions(text)
        format_checks(split, "reports/README.md", text, {"reports/README.md"}, ("g", "r"))
        check_claims(split.questions, [], [], {"reports/README.md"}, {})
        sentences(line)

    return {
        "function:parse_checklist": lambda line: parse_checklist(report(line)),
        "function:answered_questions": lambda line: answered_questions(report(line)),
        "function:answers": answers,
    }


PATTERNS = _patterns()
TARGETS = {**{f"regex:{name}": _regex_target(p) for name, p in PATTERNS.items()}, **_report_functions()}


def _child(conn, target_name: str) -> None:
    run = TARGETS[target_name]
    for line_name, line in LINES.items():
        conn.send(("start", line_name))
        began = time.perf_counter()
        run(line)
        conn.send(("took", line_name, time.perf_counter() - began))
    conn.send(("done",))
    conn.close()


def test_the_patterns_were_found():
    names = " ".join(PATTERNS)
    for expected in (
        "answers.split.SECTION",
        "answers.checks.HTML_IMAGE",
        "report.checklist.ITEM",
        "probes.hydra",
    ):
        assert expected in names
    assert len(PATTERNS) > 60


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_linear_on_long_adversarial_lines(target: str):
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, target), daemon=True)
    process.start()
    child.close()
    deadline = time.monotonic() + TARGET_LIMIT
    current, slow, done = None, [], False
    while not done and time.monotonic() < deadline:
        if not parent.poll(max(0.0, deadline - time.monotonic())):
            break
        try:
            message = parent.recv()
        except EOFError:
            break
        if message[0] == "start":
            current = message[1]
        elif message[0] == "took" and message[2] > LINE_LIMIT:
            slow.append(f"{message[1]}: {message[2]:.2f} s")
        elif message[0] == "done":
            done = True
    if process.is_alive():
        process.kill()
    process.join()
    assert done, f"{target} did not finish within {TARGET_LIMIT:.0f} s; stuck on the line of {current}"
    assert not slow, f"{target} is super-linear on: {', '.join(slow)}"
