"""Probe `workflows`: continuous integration in GitHub Actions (and GitLab CI).

What each job runs (tests, linters, type checkers, coverage, docker builds, deploys, docs
publishing), how it caches, the operating systems / python / torch versions its matrix spans,
and what triggers each workflow (data paths, registry dispatches). GitHub runs workflows only
from the repository's top ``.github/workflows``; copies elsewhere are reported as weak.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from probes.scripts import DEPLOY
from probes.scripts import TRAINING as GCLOUD_TRAINING
from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.lazy_re import lazy
from verifier.probe import Probe
from verifier.records import replace
from verifier.repo.view import RepoView
from verifier.repo.workflow import Job, Step, Workflow, workflow_files

GLOB_TOKENS = lazy(r"(\*\*/?|\*|\?)")

TESTS = regex(r"\bpytest\b|-m\s+unittest\b|\binvoke\s+test|\binv\s+test|\bmake\s+test|\btox\b|\bnox\b")
LINT = regex(
    r"\bruff\b|\bflake8\b|\bblack\b.*--(check|diff)|\bpylint\b|\bisort\b.*--(check|diff)"
    r"|\bpre-commit\s+run\b|\bmypy\b|\bpyright\b|\bpycodestyle\b"
)
MAKE_LINT = regex(r"\b(?:make|invoke|inv|just|nox\s+-s|tox\s+-e)\s+(?:lint|check|format-check|style)\b")
LINT_ACTIONS = ("ruff-action", "psf/black", "pre-commit/action", "flake8", "pylint", "lint")
TYPECHECK = regex(r"\bmypy\b|\bpyright\b|\bpytype\b")
COVERAGE = regex(r"\bcoverage\s+(run|report|xml|html)\b|--cov\b")
DOCKER_BUILD = regex(r"\bdocker\s+(buildx\s+)?build\b|\bdocker\s+push\b|\bgcloud\s+builds\s+submit\b")
DEPLOY_ACTIONS = ("deploy-cloudrun", "deploy-cloud-functions")
DOCS = regex(r"\bmkdocs\s+gh-deploy\b")
DOCS_ACTIONS = ("actions/deploy-pages", "peaceiris/actions-gh-pages", "github-pages-deploy-action")
DATA_PATH = regex(r"(^|/|\*)data(/|$)|\.dvc\b|(^|/)dvc\.(lock|yaml)|(^|/)\.dvc/")
MODEL_PATH = regex(r"(^|/)models?(/|$)|\.(pt|pth|ckpt|onnx)\b")
SETUP_UV_VERSION = regex(r"setup-uv@v(\d+)")

KINDS = (
    "ci.workflow",
    "ci.tests",
    "ci.lint",
    "ci.typecheck",
    "ci.coverage",
    "ci.cache",
    "ci.matrix",
    "ci.single-platform-no-cache",
    "ci.data-trigger",
    "ci.registry-trigger",
    "ci.models-path-trigger",
    "ci.docker-build",
    "ci.deploy",
    "ci.docs-publish",
    "ci.gcp-training",
)


def _at_top(path: str) -> bool:
    return path.startswith(".github/workflows/")


def _run(view: RepoView) -> Iterator[Finding]:
    test_jobs: list[tuple[Workflow, Job]] = []
    cached = False
    matrix_found = False
    for path in workflow_files(view):
        workflow = view.workflow(path)
        if workflow is None:
            continue
        runs = _at_top(path)
        line = view.find_line(path, "name:") or 1
        yield PROBE.at(
            view,
            "ci.workflow",
            path,
            line,
            strength=WEAK,
            message=f"workflow {workflow.name or path} on {', '.join(workflow.triggers) or '?'}"
            + ("" if runs else " (not at the repository's top: GitHub does not run it)"),
            flags=() if runs else ("not-at-git-root",),
        )
        yield from _triggers(view, workflow, runs)
        for job in workflow.jobs:
            findings, job_runs_tests, job_caches = _job_findings(view, workflow, job, runs)
            yield from findings
            cached = cached or job_caches
            if job_runs_tests:
                test_jobs.append((workflow, job))
        for finding in _matrices(view, workflow, test_jobs, runs):
            matrix_found = True
            yield finding
    yield from _gitlab(view)
    if test_jobs and not matrix_found and not cached:
        workflow, job = test_jobs[0]
        systems = ", ".join(job.operating_systems or job.runs_on) or "one runner"
        pythons = ", ".join(job.python_versions) or "one python"
        yield PROBE.finding(
            "ci.single-platform-no-cache",
            workflow.path,
            job.line,
            f"runs-on: {systems}; python {pythons}; no cache",
            message="every test workflow runs on one OS and one python version, without caching",
        )


def _strength(runs: bool) -> dict:
    return {} if runs else {"strength": WEAK, "flags": ("not-at-git-root",)}


def _step_finding(
    view: RepoView,
    kind: str,
    workflow: Workflow,
    job: Job,
    step: Step,
    message: str,
    runs: bool,
    pattern: re.Pattern | None = None,
) -> Finding:
    line = step.line or job.line
    if pattern is not None and step.run:
        # point at the command itself rather than at the step's first line
        for command in step.run.split("\n"):
            if pattern.search(command):
                line = view.find_line(workflow.path, command.strip()[:80], step.line or 1) or line
                break
    snippet = view.line_text(workflow.path, line) if line else (step.run or step.uses)
    return PROBE.finding(
        kind,
        workflow.path,
        line,
        snippet,
        message=f"job {job.id!r}: {message}",
        data={"workflow": workflow.path, "job": job.id},
        **_strength(runs),
    )


def _job_findings(view: RepoView, workflow: Workflow, job: Job, runs: bool):
    findings: list[Finding] = []
    runs_tests = caches = False
    seen: set[str] = set()

    def add(kind: str, step: Step, message: str, pattern: re.Pattern | None = None) -> None:
        if kind not in seen:
            seen.add(kind)
            findings.append(_step_finding(view, kind, workflow, job, step, message, runs, pattern))

    for step in job.steps:
        command = step.run
        uses = step.uses.lower()
        if TESTS.search(command):
            runs_tests = True
            add("ci.tests", step, "runs the tests", TESTS)
        if (
            LINT.search(command)
            or LINT.search(step.name)
            or MAKE_LINT.search(command)
            or any(a in uses for a in LINT_ACTIONS)
        ):
            add("ci.lint", step, "runs a linter", LINT)
        if TYPECHECK.search(command):
            add("ci.typecheck", step, "runs a type checker", TYPECHECK)
        if COVERAGE.search(command) or "codecov" in uses:
            add("ci.coverage", step, "measures coverage", COVERAGE)
        if DOCKER_BUILD.search(command) or "docker/build-push-action" in uses:
            add("ci.docker-build", step, "builds docker images", DOCKER_BUILD)
            if _manual_only(workflow):  # started by hand only: not an automatic build
                build = findings[-1]
                findings[-1] = replace(
                    build,
                    strength=WEAK,
                    flags=(*build.flags, "manual-only"),
                    message=build.message + " (only when started by hand: the workflow's sole "
                    "trigger is workflow_dispatch)",
                )
        if DEPLOY.search(command) or any(a in uses for a in DEPLOY_ACTIONS):
            add("ci.deploy", step, "deploys to Cloud Run / Functions", DEPLOY)
        if GCLOUD_TRAINING.search(command):
            add(
                "ci.gcp-training",
                step,
                "starts training in GCP (Vertex AI / Compute Engine)",
                GCLOUD_TRAINING,
            )
        if DOCS.search(command) or any(a in uses for a in DOCS_ACTIONS):
            add("ci.docs-publish", step, "publishes the documentation to GitHub Pages", DOCS)
        cache_message = _cache(step)
        if cache_message:
            caches = True
            add("ci.cache", step, cache_message)
    return findings, runs_tests, caches


def _manual_only(workflow: Workflow) -> bool:
    """A workflow that runs only when someone starts it (``workflow_dispatch``)."""
    return set(workflow.triggers) == {"workflow_dispatch"}


def _cache(step: Step) -> str | None:
    uses = step.uses.lower()
    if uses.startswith("actions/cache"):
        return "caches with actions/cache"
    if "setup-python" in uses and step.with_.get("cache"):
        return f"setup-python caches {step.with_.get('cache')}"
    if "setup-uv" in uses:
        enabled = step.with_.get("enable-cache")
        if enabled is True or str(enabled).lower() == "true":
            return "setup-uv with enable-cache"
        version = SETUP_UV_VERSION.search(uses)
        if enabled is None and version and int(version.group(1)) >= 5:
            return f"setup-uv v{version.group(1)} caches by default on hosted runners"
    if "docker/build-push-action" in uses and "gha" in str(step.with_.get("cache-from", "")):
        return "docker layer caching (cache-from: type=gha)"
    return None


def _matrices(view: RepoView, workflow: Workflow, test_jobs, runs: bool) -> Iterator[Finding]:
    tested = [job for wf, job in test_jobs if wf is workflow]
    for job in tested:
        spans = {
            "os": job.operating_systems,
            "python": job.python_versions,
            "torch": job.torch_versions,
        }
        wide = {k: v for k, v in spans.items() if len(v) >= 2}
        if not wide:
            continue
        line = view.find_line(workflow.path, "matrix:", job.line or 1) or job.line
        text = "; ".join(f"{k}: {', '.join(v)}" for k, v in wide.items())
        yield PROBE.finding(
            "ci.matrix",
            workflow.path,
            line,
            view.line_text(workflow.path, line) or text,
            message=f"job {job.id!r} tests across {text}",
            data=spans,
            **_strength(runs),
        )


def _glob_regex(pattern: str) -> re.Pattern:
    """A GitHub Actions path filter as a regular expression (``**`` crosses folders, ``*`` not)."""
    out = []
    for token in GLOB_TOKENS.split(pattern.lstrip("/")):
        if token.startswith("**"):
            out.append("(?:.*/)?" if token.endswith("/") else ".*")
        elif token == "*":
            out.append("[^/]*")
        elif token == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(token))
    return regex("".join(out) + "$")


def _any_tracked(view: RepoView, patterns: list[str]) -> bool:
    """Whether any file git tracks matches one of the path filters (negations ignored)."""
    regexes = [_glob_regex(p) for p in patterns if not p.startswith("!")]
    return any(r.match(f) for f in view.files for r in regexes)


def _paths(value) -> list[str]:
    if isinstance(value, dict):
        paths = value.get("paths")
        if isinstance(paths, list):
            return [str(p) for p in paths]
        if isinstance(paths, str):
            return [paths]
    return []


def _triggers(view: RepoView, workflow: Workflow, runs: bool) -> Iterator[Finding]:
    path = workflow.path
    for event in ("push", "pull_request", "pull_request_target"):
        patterns = _paths(workflow.triggers.get(event))
        data_paths = [p for p in patterns if DATA_PATH.search(p)]
        if data_paths:
            line = view.find_line(path, data_paths[0])
            message = f"runs on {event} to data paths {', '.join(data_paths)}"
            strength = _strength(runs)
            if not _any_tracked(view, data_paths):
                # data kept out of git (ignored, versioned with DVC): the filter never fires
                message += "; no tracked file matches them, so the trigger cannot fire"
                strength = {"strength": WEAK}
            yield PROBE.at(
                view,
                "ci.data-trigger",
                path,
                line,
                message=message,
                data={"event": event, "paths": data_paths},
                **strength,
            )
            break
    for event in ("push", "pull_request"):
        model_paths = [p for p in _paths(workflow.triggers.get(event)) if MODEL_PATH.search(p)]
        if model_paths:
            line = view.find_line(path, model_paths[0])
            yield PROBE.at(
                view,
                "ci.models-path-trigger",
                path,
                line,
                strength=WEAK,
                message=f"runs when {', '.join(model_paths)} change: a folder, not a model registry",
            )
            break
    if "repository_dispatch" in workflow.triggers:
        spec = workflow.triggers["repository_dispatch"]
        types = spec.get("types") if isinstance(spec, dict) else None
        line = view.find_line(path, "repository_dispatch")
        yield PROBE.at(
            view,
            "ci.registry-trigger",
            path,
            line,
            message="triggered by repository_dispatch (e.g. a model registry webhook)"
            + (f", types {types}" if types else ""),
            data={"types": types},
            **_strength(runs),
        )


def _gitlab(view: RepoView) -> Iterator[Finding]:
    path = ".gitlab-ci.yml"
    if not view.exists(path):
        return
    data = view.yaml(path)
    if not isinstance(data, dict):
        return
    for name, job in data.items():
        if not isinstance(job, dict):
            continue
        script = job.get("script")
        lines = script if isinstance(script, list) else [script] if script else []
        for command in map(str, lines):
            for kind, pattern, message in (
                ("ci.tests", TESTS, "runs the tests"),
                ("ci.lint", LINT, "runs a linter"),
                ("ci.coverage", COVERAGE, "measures coverage"),
            ):
                if pattern.search(command):
                    line = view.find_line(path, command[:60])
                    yield PROBE.at(view, kind, path, line, message=f"GitLab CI job {name!r} {message}")


PROBE = Probe(
    id="workflows",
    description="CI workflows: tests, lint, coverage, caching, OS/python/torch matrix, triggers, "
    "docker builds, deploys, docs publishing",
    kinds=KINDS,
    run=_run,
)
