"""Probe `environment`: how the project records its environment and dependencies.

requirements files (and whether they pin), pyproject dependencies, lock files, conda
environments, devcontainers, console scripts; and, beyond that, the third-party packages the
code imports but declares nowhere (import names mapped to distribution names: ``sklearn`` is
scikit-learn, ``cv2`` is opencv-python, ...).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from probes.dependencies import declared_dependencies, normalise
from verifier.compiled import regex
from verifier.evidence import Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

# import name -> distribution names that provide it (any one declared is enough)
IMPORT_TO_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "yaml": ("pyyaml",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    "PIL": ("pillow",),
    "hydra": ("hydra-core",),
    "dotenv": ("python-dotenv",),
    "bs4": ("beautifulsoup4",),
    "skimage": ("scikit-image",),
    "attr": ("attrs",),
    "jwt": ("pyjwt",),
    "multipart": ("python-multipart",),
    "dateutil": ("python-dateutil",),
    "pytorch_lightning": ("pytorch-lightning", "lightning"),
    "lightning": ("lightning", "pytorch-lightning"),
    "lightning_fabric": ("lightning-fabric", "lightning"),
    "git": ("gitpython",),
    "google": (
        "google-cloud-storage",
        "google-cloud-aiplatform",
        "google-cloud-pubsub",
        "google-cloud-secret-manager",
        "google-cloud-bigquery",
        "google-cloud-monitoring",
        "google-cloud-logging",
        "google-api-python-client",
        "protobuf",
        "google-auth",
    ),
    "prometheus_client": ("prometheus-client",),
    "prometheus_fastapi_instrumentator": ("prometheus-fastapi-instrumentator",),
    "opentelemetry": ("opentelemetry-api", "opentelemetry-sdk"),
    "alibi_detect": ("alibi-detect",),
    "pkg_resources": ("setuptools",),
    "torchvision": ("torchvision",),
    "huggingface_hub": ("huggingface-hub",),
    "sentence_transformers": ("sentence-transformers",),
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
    "magic": ("python-magic",),
    "docx": ("python-docx",),
    "Crypto": ("pycryptodome",),
    "serial": ("pyserial",),
    "jose": ("python-jose",),
    "typing_extensions": ("typing-extensions",),
    "fitz": ("pymupdf",),
    "wandb": ("wandb",),
}
# packages a declared one brings and whose documented use means importing them directly
IMPLIED_BY = {"omegaconf": ("hydra-core",), "torchmetrics": ("lightning", "pytorch-lightning")}
LOCKFILES = (
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "conda-lock.yml",
    "requirements.lock",
    "pixi.lock",
)
PIN = regex(r"(==|~=|===)\s*\d")
MAX_LISTED = 12


def _run(view: RepoView) -> Iterator[Finding]:
    for path in view.glob("requirements*.txt", "*requirements.txt"):
        specs = [
            (n, raw.strip())
            for n, raw in enumerate(view.lines(path), start=1)
            if raw.strip() and not raw.strip().startswith(("#", "-"))
        ]
        if not specs:
            continue
        pinned = [s for s in specs if PIN.search(s[1])]
        yield PROBE.finding(
            "env.requirements", path, specs[0][0], specs[0][1], message=f"{len(specs)} requirements in {path}"
        )
        if len(pinned) * 2 >= len(specs):
            yield PROBE.finding(
                "env.pinned-requirements",
                path,
                pinned[0][0],
                pinned[0][1],
                message=f"{len(pinned)} of {len(specs)} requirements pinned",
            )
    for path in view.glob("pyproject.toml"):
        data = view.toml(path) or {}
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        poetry = (data.get("tool") or {}).get("poetry") if isinstance(data.get("tool"), dict) else None
        deps = list(project.get("dependencies") or [])
        if isinstance(poetry, dict):
            deps += [k for k in (poetry.get("dependencies") or {}) if k != "python"]
        if deps:
            line = view.find_line(path, "dependencies")
            yield PROBE.at(
                view, "env.pyproject-dependencies", path, line, message=f"{len(deps)} dependencies in {path}"
            )
        scripts = dict(project.get("scripts") or {})
        if isinstance(poetry, dict):
            scripts.update(poetry.get("scripts") or {})
        for script, target in list(scripts.items())[:3]:
            line = view.find_line(path, str(script))
            yield PROBE.at(
                view, "env.console-script", path, line, message=f"console script {script} -> {target}"
            )
    for path in view.glob(*LOCKFILES):
        yield PROBE.finding("env.lockfile", path, None, path, message=f"lock file {path}")
    for path in view.glob("environment.yml", "environment.yaml", "conda.yaml", "conda.yml"):
        yield PROBE.at(view, "env.conda", path, 1, message=f"conda environment {path}")
    for path in view.files:
        if path.endswith("devcontainer.json"):
            yield PROBE.at(view, "env.devcontainer", path, 1, message=f"devcontainer {path}")
            break
    yield from _undeclared(view)


def _local_names(view: RepoView) -> set[str]:
    names: set[str] = set()
    for path in view.files:
        parts = path.split("/")
        names.update(p[:-3] if p.endswith(".py") else p for p in parts)
    return names


def _undeclared(view: RepoView) -> Iterator[Finding]:
    declared = set(declared_dependencies(view))
    if not declared:
        return
    local = _local_names(view)
    stdlib = set(sys.stdlib_module_names)
    missing: dict[str, tuple[str, int]] = {}
    for path, facts in view.iter_python(notebooks=False):
        for imp in facts.imports:
            top = imp.top_level
            if not top or imp.module.startswith(".") or top in stdlib or top in local:
                continue
            if top == "__future__" or top in missing:
                continue
            candidates = IMPORT_TO_DISTRIBUTIONS.get(top, (top,)) + IMPLIED_BY.get(top, ())
            if not any(normalise(c) in declared for c in candidates):
                if top == "google" and any(d.startswith("google-") for d in declared):
                    continue
                missing[top] = (path, imp.line)
    if not missing:
        return
    names = sorted(missing)
    path, line = missing[names[0]]
    shown = ", ".join(
        f"{n} ({IMPORT_TO_DISTRIBUTIONS.get(n, (n,))[0]})" if n in IMPORT_TO_DISTRIBUTIONS else n
        for n in names[:MAX_LISTED]
    )
    yield PROBE.at(
        view,
        "env.undeclared-imports",
        path,
        line,
        message=f"imported but declared nowhere: {shown}"
        + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""),
        data={"packages": {n: f"{p}:{ln}" for n, (p, ln) in sorted(missing.items())}},
    )


PROBE = Probe(
    id="environment",
    description="requirements, pyproject dependencies, lock files, conda, devcontainers, console "
    "scripts, and imported packages declared nowhere",
    kinds=(
        "env.requirements",
        "env.pinned-requirements",
        "env.pyproject-dependencies",
        "env.lockfile",
        "env.conda",
        "env.devcontainer",
        "env.console-script",
        "env.undeclared-imports",
    ),
    run=_run,
)
