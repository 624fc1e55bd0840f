"""Probe `tests`: the project's test functions and what they test.

Counts test functions per file and tells apart, by the project modules each test file imports,
tests of the data code (``tests.data``), of the model or training (``tests.model``) and of the
API (``tests.api``: FastAPI's TestClient or httpx against the app). Files holding only the course
template's stub test are weak; test files without test functions or assertions are no evidence.
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.evidence import TEMPLATE_DEFAULT, WEAK, Finding
from verifier.probe import Probe
from verifier.repo.python_facts import PythonFacts
from verifier.repo.view import RepoView

DATA_WORDS = ("data", "dataset", "make_dataset", "preprocess", "datamodule")
MODEL_WORDS = ("model", "models", "train", "train_model", "trainer", "lightning", "network", "net")
API_WORDS = ("api", "app", "server", "main", "inference", "backend", "service")
TEMPLATE_TESTS = frozenset({"test_my_dataset"})
HTTP_CLIENTS = ("requests.", "httpx.")


def is_test_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def _tests(facts: PythonFacts) -> list:
    return [f for f in facts.functions if f.name.startswith("test")]


def _imported_words(facts: PythonFacts) -> set[str]:
    words: set[str] = set()
    for imp in facts.imports:
        parts = imp.qualified.split(".")
        words.update(parts[1:] if len(parts) > 1 else parts)
    return words


def _run(view: RepoView) -> Iterator[Finding]:
    counts: dict[str, int] = {}
    first: dict[str, tuple[str, int, str, bool, tuple[bool, bool]]] = {}
    for path in view.python_files():
        if not is_test_file(path):
            continue
        facts = view.python(path)
        if facts is None:
            continue
        tests = _tests(facts)
        if not tests:
            continue
        counts[path] = len(tests)
        if not facts.asserts and not any(c.name.endswith(("raises", "approx")) for c in facts.calls):
            continue
        template = {t.name for t in tests} <= TEMPLATE_TESTS
        words = _imported_words(facts)
        name = path.rsplit("/", 1)[-1][:-3].lower()
        client = any(c.name.endswith(("TestClient", "AsyncClient")) for c in facts.calls)
        # a test that calls a served endpoint over HTTP (requests/httpx) tests the API too
        http = any(c.name.startswith(HTTP_CLIENTS) for c in facts.calls)
        named = {
            "tests.data": any(w in name for w in DATA_WORDS),
            "tests.model": any(w in name for w in ("model", "train")),
            "tests.api": "api" in name,
        }
        targets = {
            "tests.data": bool(words & set(DATA_WORDS)) or named["tests.data"],
            "tests.model": bool(words & set(MODEL_WORDS)) or named["tests.model"],
            "tests.api": client or ((bool(words & set(API_WORDS)) or http) and named["tests.api"]),
        }
        for kind, hit in targets.items():
            if not hit:
                continue
            # the most convincing file first: not the template's stub, then named for what it tests
            rank = (not template, named[kind] or (kind == "tests.api" and client))
            if kind not in first or rank > first[kind][4]:
                first[kind] = (path, tests[0].line, f"{len(tests)} test(s) in {path}", template, rank)
    total = sum(counts.values())
    for kind, (path, line, message, template, _) in sorted(first.items()):
        extra = {"strength": WEAK, "flags": (TEMPLATE_DEFAULT,)} if template else {}
        yield PROBE.at(
            view,
            kind,
            path,
            line,
            message=message + (" (only the template's stub test)" if template else ""),
            data={"test_functions": total, "per_file": counts},
            **extra,
        )
    if counts and not first:
        path = next(iter(counts))
        yield PROBE.finding(
            "tests.count",
            path,
            None,
            f"{total} test functions",
            message=f"{total} test functions, none asserting on project code",
            strength=WEAK,
            data={"test_functions": total, "per_file": counts},
        )


PROBE = Probe(
    id="tests",
    description="test functions per file, and whether they test the data, model/training or API",
    kinds=("tests.data", "tests.model", "tests.api", "tests.count"),
    run=_run,
)
