"""Probe `cloudbuild`: Google Cloud Build files, Vertex AI job configs, Cloud Run services.

``cloudbuild.docker-build`` (docker build/push steps or ``images:``), ``cloudbuild.deploy``
(``gcloud run|functions deploy``), ``cloudbuild.vertex-job`` (``gcloud ai custom-jobs create``),
``vertex.job-config`` (``workerPoolSpecs``) and ``deploy.service-config`` (a Knative/Cloud Run
``Service`` manifest).
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.compiled import regex
from verifier.evidence import Finding
from verifier.lazy_re import lazy
from verifier.probe import Probe
from verifier.repo.view import RepoView

BUILD_OR_PUSH = lazy(r"\b(build|push)\b")

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


DEPLOY = regex(r"\b(run|functions)\s+deploy\b")
VERTEX = regex(r"\bai\s+custom-jobs\s+create\b")
MAX_CONFIG_BYTES = 200_000


def _steps(data: Any) -> list[dict]:
    steps = data.get("steps") if isinstance(data, dict) else None
    return [s for s in steps or [] if isinstance(s, dict)]


def _command(step: dict) -> str:
    args = step.get("args")
    parts = [str(step.get("name", "")), str(step.get("entrypoint", ""))]
    parts += [str(a) for a in args] if isinstance(args, list) else [str(args or "")]
    parts.append(str(step.get("script", "") or ""))
    return " ".join(parts)


def build_files(view: RepoView) -> list[str]:
    """Cloud Build configs: ``cloudbuild*.yaml`` by name, or any YAML that uses cloud builders
    or sits in a folder named after Cloud Build (groups keep them in ``cloudbuilds/``)."""
    found = set(view.glob("cloudbuild*.yaml", "cloudbuild*.yml"))
    for path in view.glob("*.yaml", "*.yml"):
        if path in found or path.startswith(".github/"):
            continue
        folder_hint = "cloudbuild" in path.lower() or "cloud_build" in path.lower()
        if not folder_hint and (view.size(path) or 0) > MAX_CONFIG_BYTES:
            continue
        text = view.text(path) if folder_hint or (view.size(path) or 0) <= MAX_CONFIG_BYTES else None
        if text and (folder_hint or "gcr.io/cloud-builders" in text) and _steps(view.yaml(path)):
            found.add(path)
    return sorted(found)


def _run(view: RepoView) -> Iterator[Finding]:
    yield from _terraform(view)
    builds = build_files(view)
    for path in builds:
        data = view.yaml(path)
        for step in _steps(data):
            command = _command(step)
            name = str(step.get("name", ""))
            line = view.find_line(path, name) if name else None
            if ("docker" in name and BUILD_OR_PUSH.search(command)) or "kaniko" in name:
                yield PROBE.at(
                    view,
                    "cloudbuild.docker-build",
                    path,
                    line,
                    message=f"Cloud Build step builds/pushes an image ({name})",
                )
            if DEPLOY.search(command) or ("gcloud" in name and "deploy" in command):
                line = view.find_line(path, "deploy") or line
                yield PROBE.at(
                    view,
                    "cloudbuild.deploy",
                    path,
                    line,
                    message="Cloud Build step deploys to Cloud Run / Functions",
                )
            if VERTEX.search(command) or ("custom-jobs" in command and "create" in command):
                line = view.find_line(path, "custom-jobs") or line
                yield PROBE.at(
                    view,
                    "cloudbuild.vertex-job",
                    path,
                    line,
                    message="Cloud Build step starts a Vertex AI custom job",
                )
        if isinstance(data, dict) and data.get("images"):
            line = view.find_line(path, "images:")
            yield PROBE.at(view, "cloudbuild.docker-build", path, line, message="Cloud Build pushes images")
    for path in view.glob("*.yaml", "*.yml"):
        if path in builds or path.startswith(".github/") or (view.size(path) or 0) > MAX_CONFIG_BYTES:
            continue
        text = view.text(path) or ""
        if "workerPoolSpecs" in text or "worker_pool_specs" in text:
            line = view.find_line(path, "workerPoolSpecs") or view.find_line(path, "worker_pool_specs")
            if view.yaml_documents(path):
                yield PROBE.at(
                    view,
                    "vertex.job-config",
                    path,
                    line,
                    message="a Vertex AI custom job config (workerPoolSpecs)",
                )
        if "serving.knative.dev" in text:
            for doc in view.yaml_documents(path):
                if isinstance(doc, dict) and doc.get("kind") == "Service":
                    line = view.find_line(path, "kind:")
                    yield PROBE.at(
                        view,
                        "deploy.service-config",
                        path,
                        line,
                        message="a Cloud Run (Knative) service manifest",
                    )
                    break


TERRAFORM_CLOUD_RUN = lazy(r'resource\s+"(google_cloud_run_(?:v2_)?service)"\s+"([\w-]+)"')


def _terraform(view: RepoView) -> Iterator[Finding]:
    """A Cloud Run service declared in Terraform."""
    for path in view.glob("*.tf"):
        if (view.size(path) or 0) > MAX_CONFIG_BYTES:
            continue
        match = TERRAFORM_CLOUD_RUN.search(view.text(path) or "")
        if match:
            line = view.find_line(path, match.group(0)[:60])
            message = f"a Cloud Run service declared in Terraform ({match.group(1)} {match.group(2)})"
            yield PROBE.at(view, "deploy.service-config", path, line, message)
            return


PROBE = Probe(
    id="cloudbuild",
    description="Cloud Build (docker build/push, deploy, Vertex AI jobs), Vertex configs, "
    "Cloud Run service YAML or Terraform",
    kinds=(
        "cloudbuild.docker-build",
        "cloudbuild.deploy",
        "cloudbuild.vertex-job",
        "vertex.job-config",
        "deploy.service-config",
    ),
    run=_run,
)
