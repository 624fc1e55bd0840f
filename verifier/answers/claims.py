"""Statements in the answers, checked against the evidence the probes found.

Only claims a repository must leave traces of are checked (tools used in code or config, test
counts, coverage figures, CI platforms, files named); a sentence that denies a tool ("we did
not use DVC", "instead of DVC we ...") is not read as a claim. Cloud services that live in a
console (Cloud Run, Vertex AI, Compute Engine) are not checked: their absence proves nothing.
"""

from __future__ import annotations

import re

from verifier.answers.checks import MEDIUM, AnswerFinding
from verifier.answers.split import Question
from verifier.compiled import regex
from verifier.evidence import Finding
from verifier.lazy_re import lazy
from verifier.records import record
from verifier.repo.paths import without_dot_slash

SENTENCE = regex(r"(?<=[.!?])\s+(?=[A-Z`*(\"])|\n\s*\n|\n\s*[-*]\s+")
FIRST_PERSON = regex(r"\b(we|our|us|i|my)\b", re.I)
NEGATION = regex(
    r"\b(not|no|never|didn't|don't|doesn't|haven't|hasn't|wasn't|weren't|without|instead of|"
    r"rather than|neither|nor|skipped|did not|do not|does not|could not|couldn't|unable|"
    r"decided against|"
    # comparisons and hypotheticals name a tool without claiming it was used
    r"compared (?:to|with)|alternatives?|unlike|considered|would have|could have|"
    r"should have|might|if we had|in the future|future work|plan to|planned)\b|n't\b",
    re.I,
)
CLAUSE = regex(r"[,;:]|\s(?:but|while|whereas|although|though|however)\s", re.I)


@record(frozen=True)
class Tool:
    """A tool an answer can name, and the finding kinds that show its use."""

    name: str
    pattern: re.Pattern
    kinds: tuple[str, ...]  # any finding of these kinds (even weak) is a trace
    looked_for: str
    packages: tuple[str, ...] = ()  # distributions whose declaration alone is not a trace of use


def _tool(name: str, pattern: str, kinds: tuple[str, ...], looked_for: str) -> Tool:
    packages = {
        "DVC": ("dvc", "dvc-gs"),
        "Hydra": ("hydra-core",),
        "W&B": ("wandb",),
        "FastAPI": ("fastapi",),
        "Locust": ("locust",),
        "ONNX": ("onnx", "onnxruntime"),
        "BentoML": ("bentoml",),
        "Streamlit": ("streamlit",),
        "Gradio": ("gradio",),
        "Evidently": ("evidently",),
        "PyTorch Lightning": ("lightning", "pytorch-lightning"),
        "Prometheus": ("prometheus-client", "prometheus-fastapi-instrumentator"),
    }.get(name, ())
    return Tool(name, regex(pattern, re.I), kinds, looked_for, packages)


TOOLS = (
    _tool("DVC", r"\bdvc\b", ("dvc.config", "dvc.tracked", "dvc.pipeline"), ".dvc/config, *.dvc, dvc.yaml"),
    _tool("Hydra", r"\bhydra\b", ("hydra.main", "hydra.config-tree"), "@hydra.main, compose, config trees"),
    _tool(
        "W&B",
        r"\bwandb\b|weights\s*(?:&|and)\s*biases|\bw&b\b",
        ("wandb.usage", "wandb.import-only", "wandb.sweep"),
        "wandb in code or a sweep config",
    ),
    _tool(
        "Docker",
        r"\bdocker\s?files?\b|\bdocker\s+(?:image|container)s?\b",
        ("docker.dockerfile", "docker.compose"),
        "Dockerfiles",
    ),
    _tool("FastAPI", r"\bfastapi\b", ("api.fastapi-app", "api.fastapi-model"), "a FastAPI() app"),
    _tool("Locust", r"\blocust\b", ("loadtest.script",), "a locust HttpUser"),
    _tool("ONNX", r"\bonnx(?:runtime)?\b", ("serving.onnx",), "torch.onnx.export, onnxruntime"),
    _tool("BentoML", r"\bbentoml\b", ("serving.bentoml",), "a BentoML service or bentofile"),
    _tool("Streamlit", r"\bstreamlit\b", ("frontend.app",), "a streamlit app"),
    _tool("Gradio", r"\bgradio\b", ("frontend.app",), "a gradio app"),
    _tool("Evidently", r"\bevidently\b", ("drift.code", "drift.api"), "evidently imports"),
    _tool(
        "Prometheus", r"\bprometheus\b", ("monitoring.instrumentation",), "prometheus_client / instrumentator"
    ),
    _tool(
        "pre-commit",
        r"\bpre-?commit\b",
        ("precommit.config", "precommit.ci-section"),
        ".pre-commit-config.yaml",
    ),
    _tool(
        "Poetry",
        r"\bpoetry\b",
        ("env.lockfile", "env.pyproject-dependencies"),
        "poetry.lock or pyproject.toml",
    ),
    _tool(
        "PyTorch Lightning",
        r"\b(?:pytorch[\s-])?lightning\b",
        ("code.lightning-module", "code.lightning-trainer"),
        "a LightningModule or Trainer",
    ),
)
OS_WORDS = {
    "windows": "windows",
    "macos": "macos",
    "mac os": "macos",
    "mac": "macos",
    "osx": "macos",
    "ubuntu": "ubuntu",
    "linux": "ubuntu",
}
OS_WORD_PATTERNS = {word: lazy(rf"\b{word}\b") for word in OS_WORDS}
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
TEST_COUNT = regex(
    r"\b(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")\s+(?:unit\s+|integration\s+|"
    r"different\s+|separate\s+|api\s+|pytest\s+)?tests?\b",
    re.I,
)
PERCENT = lazy(r"(\d{1,3}(?:\.\d+)?)\s*%")
INSTEAD_OF = lazy(r"\b(?:instead of|rather than|without)\s+(?:\w+\s+){0,2}", re.I)
DVC_WORD = lazy(r"\bdvc\b", re.I)
PY_VERSION = lazy(r"\b(?:python\s*)?(3\.\d{1,2})\b", re.I)
CODE_PATH = regex(r"`([\w./-]+/[\w.-]+\.(?:py|ya?ml|toml|dockerfile|json|cfg|txt|sh))`", re.I)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s and s.strip()]


def _denies(sentence: str, tool: Tool) -> bool:
    """The tool is denied when a clause that names it holds a negation ("we did not use DVC",
    "instead of DVC we ..."); "Instead, we used DVC" and "we used DVC, not Git LFS" are claims."""
    for clause in CLAUSE.split(sentence):
        if tool.pattern.search(clause) and NEGATION.search(clause):
            return True
    for match in INSTEAD_OF.finditer(sentence):
        if tool.pattern.match(sentence, match.end()) or tool.pattern.search(
            sentence[match.end() : match.end() + 30]
        ):
            return True
    return False


def check_claims(
    questions: list[Question],
    findings: list[Finding],
    workflows: list,
    files: set[str],
    ticked: dict[str, str],
    declared: dict[str, tuple[str, int | None]] | None = None,
) -> list[AnswerFinding]:
    """Findings where an answer and the repository disagree. ``ticked`` maps item id to state."""
    by_kind: dict[str, list[Finding]] = {}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    out: list[AnswerFinding] = []
    for question in questions:
        if not question.answered:
            continue
        out += _tools(question, by_kind, declared or {})
        prompt = question.prompt.lower()
        if "how many tests" in prompt:
            out += _test_count(question, by_kind)
        if "coverage" in prompt:
            out += _coverage(question, by_kind)
        if "continuous integration" in prompt:
            out += _ci_platforms(question, workflows)
        if "dvc" in prompt or "version control for your data" in prompt:
            out += _dvc_against_checklist(question, ticked)
        out += _named_files(question, files)
    return out


def _tools(question: Question, by_kind: dict, declared: dict) -> list[AnswerFinding]:
    out = []
    reported: set[str] = set()
    untraced = [tool for tool in TOOLS if not any(by_kind.get(kind) for kind in tool.kinds)]
    if not untraced:
        return out
    for sentence in sentences(question.answer):
        if not FIRST_PERSON.search(sentence):
            continue
        for tool in untraced:
            if tool.name in reported or not tool.pattern.search(sentence) or _denies(sentence, tool):
                continue
            reported.add(tool.name)
            where = next((declared[p] for p in tool.packages if p in declared), None)
            shown = (
                f"{tool.name} is only declared ({where[0]}:{where[1]}); no {tool.looked_for}"
                if where
                else f"looked for {tool.looked_for}: none found"
            )
            out.append(
                AnswerFinding(
                    question.number,
                    "tool-without-trace",
                    f"the answer says {tool.name} was used; the repository shows no use of it",
                    question.answer_line,
                    _quote(sentence),
                    shown,
                    MEDIUM,
                )
            )
    return out


def _test_count(question: Question, by_kind: dict) -> list[AnswerFinding]:
    counted = None
    for kind in ("tests.data", "tests.model", "tests.api", "tests.count"):
        for finding in by_kind.get(kind, []):
            counted = finding.data.get("test_functions", counted)
    for sentence in sentences(question.answer):
        match = TEST_COUNT.search(sentence)
        if not match or NEGATION.search(sentence):
            continue
        raw = match.group(1).lower()
        stated = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        counted_n = counted or 0
        # only a count well above the functions found: fewer stated often means test files
        if stated > 2 * counted_n + 2:
            return [
                AnswerFinding(
                    question.number,
                    "test-count",
                    f"the answer states {stated} tests; the repository has {counted_n} test functions",
                    question.answer_line,
                    _quote(sentence),
                    f"{counted_n} test functions counted in test_*.py files",
                    MEDIUM if counted_n else "high",
                )
            ]
        return []
    return []


def _coverage(question: Question, by_kind: dict) -> list[AnswerFinding]:
    measured = any(by_kind.get(k) for k in ("ci.coverage", "coverage.config", "tasks.coverage"))
    if measured:
        return []
    for sentence in sentences(question.answer):
        match = PERCENT.search(sentence)
        if match and "coverage" in sentence.lower() and not NEGATION.search(sentence):
            return [
                AnswerFinding(
                    question.number,
                    "coverage-not-measured",
                    f"the answer states a coverage of {match.group(1)}%, but nothing in the repository "
                    "measures coverage",
                    question.answer_line,
                    _quote(sentence),
                    "no coverage run in CI, tasks or configuration",
                    MEDIUM,
                )
            ]
    return []


def _ci_platforms(question: Question, workflows: list) -> list[AnswerFinding]:
    if not workflows:
        return []
    systems: set[str] = set()
    pythons: set[str] = set()
    unknown = False
    for workflow in workflows:
        for job in workflow.jobs:
            systems.update(job.operating_systems)
            pythons.update(str(v) for v in job.python_versions)
            unknown = unknown or job.matrix_unknown
    if unknown:
        return []
    out = []
    for sentence in sentences(question.answer):
        lowered = sentence.lower()
        if NEGATION.search(sentence) or not FIRST_PERSON.search(sentence) and "test" not in lowered:
            continue
        named = {family for word, family in OS_WORDS.items() if OS_WORD_PATTERNS[word].search(lowered)}
        missing = sorted(family for family in named - systems if family != "ubuntu" or systems)
        if missing and systems:
            out.append(
                AnswerFinding(
                    question.number,
                    "ci-os",
                    f"the answer names {', '.join(missing)}; no workflow job runs on it",
                    question.answer_line,
                    _quote(sentence),
                    f"workflows run on {', '.join(sorted(systems))}",
                    "high",
                )
            )
        versions = set(PY_VERSION.findall(sentence)) if "python" in lowered else set()
        absent = sorted(v for v in versions if pythons and v not in pythons)
        if absent:
            out.append(
                AnswerFinding(
                    question.number,
                    "ci-python",
                    f"the answer names Python {', '.join(absent)}; the workflows test "
                    f"{', '.join(sorted(pythons))}",
                    question.answer_line,
                    _quote(sentence),
                    f"workflow python versions: {', '.join(sorted(pythons))}",
                    MEDIUM,
                )
            )
        if out:
            return out
    return out


def _dvc_against_checklist(question: Question, ticked: dict[str, str]) -> list[AnswerFinding]:
    state = ticked.get("data-versioning")
    if state is None:
        return []
    denied = used = None
    for sentence in sentences(question.answer):
        if not DVC_WORD.search(sentence):
            continue
        if _denies(sentence, TOOLS[0]):
            denied = denied or sentence
        elif FIRST_PERSON.search(sentence):
            used = used or sentence
    if state != "unticked" and denied and not used:
        return [
            AnswerFinding(
                question.number,
                "checklist-vs-answer",
                "the data version control box is ticked, but the answer says DVC was not used",
                question.answer_line,
                _quote(denied),
                "checklist item data-versioning is ticked",
                "high",
            )
        ]
    if state == "unticked" and used and not denied:
        return [
            AnswerFinding(
                question.number,
                "checklist-vs-answer",
                "the answer says DVC was used, but the data version control box is not ticked",
                question.answer_line,
                _quote(used),
                "checklist item data-versioning is not ticked",
                "high",
            )
        ]
    return []


def _named_files(question: Question, files: set[str]) -> list[AnswerFinding]:
    out = []
    for path in dict.fromkeys(CODE_PATH.findall(question.answer)):
        clean = without_dot_slash(path)
        if clean in files or any(f.endswith("/" + clean) for f in files):
            continue
        out.append(
            AnswerFinding(
                question.number,
                "file-not-found",
                f"the answer names {path}, which is not in the repository",
                question.answer_line,
                path,
                "no tracked file with that path",
                MEDIUM,
            )
        )
    return out


def _quote(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= 220 else text[:219] + "…"
