"""Probe `scripts`: cloud commands and monitoring, load-test and serving files outside Python.

Shell scripts, Makefiles and invoke tasks that run ``gcloud run|functions deploy`` or start
training (``gcloud ai custom-jobs create``, ``gcloud compute instances create``); alert policy
files and ``gcloud ... monitoring policies`` commands; monitoring sidecar/collector configs;
k6 load tests; torchserve handlers, model archives and configs; ``*.run.app`` URLs (a deployed
service, but no deploy step) and pointers to a frontend kept elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

DEPLOY = regex(r"\bgcloud\s+(beta\s+)?(run|functions)\s+deploy\b")
TRAINING = regex(r"\bgcloud\s+(beta\s+)?(ai\s+custom-jobs\s+create|compute\s+instances\s+create)\b")
ALERT_COMMAND = regex(r"\bgcloud\s+(alpha\s+|beta\s+)?monitoring\s+policies\s+create\b")
MONITORING_COMMAND = regex(r"\bgcloud\s+(alpha\s+|beta\s+)?monitoring\b")
RUN_URL = regex(r"https?://[\w.-]+\.run\.app\b[^\s)\]>\"']*")
TORCHRUN = regex(r"\btorchrun\b|torch\.distributed\.(run|launch)\b|\baccelerate\s+launch\b")
FRONTEND_LINK = regex(r"front-?end[^\n]{0,120}https?://github\.com/[\w.-]+/[\w.-]+", re.I)
SCRIPT_SUFFIXES = (".sh", ".bash", ".ps1", ".bat", ".mk")
SCRIPT_NAMES = ("Makefile", "makefile", "tasks.py", "Procfile")

KINDS = (
    "gcloud.deploy-command",
    "gcloud.training-command",
    "monitoring.alert-policy",
    "monitoring.cloud-config",
    "loadtest.script",
    "serving.torchserve",
    "deploy.run-url",
    "frontend.pointer",
    "code.distributed-training",
)


def _scripts(view: RepoView) -> list[str]:
    return [p for p in view.files if p.endswith(SCRIPT_SUFFIXES) or p.rsplit("/", 1)[-1] in SCRIPT_NAMES]


def _first(view: RepoView, path: str, pattern: re.Pattern) -> int | None:
    text = view.text(path) or ""
    match = pattern.search(text)
    return text[: match.start()].count("\n") + 1 if match else None


def _run(view: RepoView) -> Iterator[Finding]:
    emitted: set[str] = set()

    def emit(kind: str, path: str, line: int | None, message: str, **kw) -> Iterator[Finding]:
        if kind not in emitted:
            emitted.add(kind)
            yield PROBE.at(view, kind, path, line, message, **kw)

    for path in _scripts(view):
        for kind, pattern, message in (
            ("gcloud.deploy-command", DEPLOY, "a script deploys to Cloud Run / Functions"),
            ("gcloud.training-command", TRAINING, "a script starts training in GCP"),
            ("monitoring.alert-policy", ALERT_COMMAND, "a script creates an alert policy"),
            ("monitoring.cloud-config", MONITORING_COMMAND, "a script configures cloud monitoring"),
            ("code.distributed-training", TORCHRUN, "a script launches distributed training"),
        ):
            line = _first(view, path, pattern)
            if line:
                yield from emit(kind, path, line, message)
    for path in view.glob("*.yaml", "*.yml", "*.json"):
        if path.startswith(".github/") or (view.size(path) or 0) > 200_000:
            continue
        text = view.text(path) or ""
        if "conditions" in text and ("combiner" in text or "conditionThreshold" in text):
            line = view.find_line(path, "conditions")
            yield from emit("monitoring.alert-policy", path, line, "an alert policy definition")
        if ("receivers" in text and "exporters" in text) or "container-dependencies" in text:
            line = view.find_line(path, "exporters") or view.find_line(path, "container-dependencies")
            yield from emit(
                "monitoring.cloud-config", path, line, "a metrics collector / sidecar configuration"
            )
    for path in view.glob("*.js", "*.ts"):
        if "k6/http" in (view.text(path) or "") if (view.size(path) or 0) < 200_000 else False:
            yield from emit("loadtest.script", path, view.find_line(path, "k6/http"), "a k6 load test")
    for path in view.glob("config.properties", "*.mar"):
        text = view.text(path) or "" if path.endswith(".properties") else ""
        if path.endswith(".mar") or "inference_address" in text or "model_store" in text:
            yield from emit("serving.torchserve", path, 1 if text else None, "a torchserve file")
    for path, facts in view.iter_python():
        if any(b.endswith("BaseHandler") for c in facts.classes for b in c.bases):
            cls = next(c for c in facts.classes if any(b.endswith("BaseHandler") for b in c.bases))
            yield from emit("serving.torchserve", path, cls.line, f"torchserve handler {cls.name}")
    yield from _report_and_readme(view, emit)


def _report_and_readme(view: RepoView, emit) -> Iterator[Finding]:
    texts = [p for p in view.files if p.lower().endswith("readme.md")]
    if view.report_path and view.report_path not in texts:
        texts.append(view.report_path)
    for path in texts:
        text = view.text(path) or ""
        url = RUN_URL.search(text)
        if url:
            line = text[: url.start()].count("\n") + 1
            yield from emit(
                "deploy.run-url",
                path,
                line,
                f"a Cloud Run URL {url.group(0)} (the service ran, but no deploy step is committed here)",
                strength=WEAK,
            )
        link = FRONTEND_LINK.search(text)
        if link:
            line = text[: link.start()].count("\n") + 1
            yield from emit(
                "frontend.pointer",
                path,
                line,
                "the frontend is said to live in another repository",
                strength=WEAK,
            )


PROBE = Probe(
    id="scripts",
    description="gcloud deploy/training/monitoring commands in scripts, alert policies, collector "
    "configs, k6 tests, torchserve files, Cloud Run URLs, frontend pointers",
    kinds=KINDS,
    run=_run,
)
