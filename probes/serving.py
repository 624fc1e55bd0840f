"""Probe `serving`: what the project's Python code does to serve and watch the model.

FastAPI apps (and whether a route's module loads or calls a model), request/prediction
persistence in the API, drift detection (and drift served by an API), Prometheus /
OpenTelemetry instrumentation, locust load tests, ONNX export and onnxruntime, BentoML
services, and streamlit/gradio frontends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verifier.code_evidence import code_finding
from verifier.evidence import WEAK, Finding
from verifier.lazy_re import lazy
from verifier.probe import Probe
from verifier.repo.python_facts import PythonFacts
from verifier.repo.view import RepoView

MODEL_LOADING = (
    "torch.load",
    "load_state_dict",
    "from_pretrained",
    "load_from_checkpoint",
    "onnxruntime.InferenceSession",
    "joblib.load",
    "pickle.load",
    "torch.jit.load",
    "tf.keras.models.load_model",
    "load_model",
    "mlflow.pyfunc.load_model",
    "wandb.Api",
    "use_artifact",
    "predict",
    "eval",
)
PERSISTENCE = (
    "csv.writer",
    "to_csv",
    "sqlite3.connect",
    "json.dump",
    "upload_from_string",
    "upload_from_filename",
    "add_task",
    "insert_one",
    "writerow",
    "to_parquet",
)
DRIFT_MODULES = ("evidently", "alibi_detect", "torchdrift", "nannyml", "deepchecks")
INSTRUMENTATION = (
    "prometheus_client",
    "prometheus_fastapi_instrumentator",
    "opentelemetry",
    "starlette_exporter",
)
MODEL_WORDS = ("model", "predict", "inference", "classifier")
MODEL_CALL_PREFIXES = ("predict", "infer", "classify", "load_model", "load_checkpoint", "get_model")
HTTP_METHODS = ("get", "post", "put", "delete", "patch")

KINDS = (
    "api.fastapi-app",
    "api.fastapi-model",
    "api.persists-requests",
    "drift.code",
    "drift.api",
    "monitoring.instrumentation",
    "loadtest.script",
    "serving.onnx",
    "serving.bentoml",
    "frontend.app",
)


def _imports_any(facts: PythonFacts, modules: tuple[str, ...]):
    for imp in facts.imports:
        if imp.module.startswith(modules):  # a module whose top level is one of them starts so too
            return imp
    return None


def _uses_model(name: str) -> bool:
    """A call that loads or runs a model: torch.load, from_pretrained, predict_*, load_model_*."""
    last = name.rsplit(".", 1)[-1].lower()
    return (
        any(name.endswith(m) for m in MODEL_LOADING)
        or last.startswith(MODEL_CALL_PREFIXES)
        or ("model" in last and ("load" in last or "get" in last))
    )


def _routes(facts: PythonFacts) -> list:
    return [
        d
        for d in facts.decorators
        if d.name.rsplit(".", 1)[-1] in HTTP_METHODS
        and "." in d.name
        and not d.name.startswith(("requests.", "httpx."))
    ]


def _run(view: RepoView) -> Iterator[Finding]:
    seen: set[str] = set()

    def once(kind: str) -> bool:
        if kind in seen:
            return False
        seen.add(kind)
        return True

    project_model_modules = {p for p in view.python_files() if p.endswith(("model.py", "models.py"))}
    for path, facts in view.iter_python():
        name = path.rsplit("/", 1)[-1]
        is_test = name.startswith("test_")
        apps = (
            []
            if is_test
            else [c for c in facts.calls if c.name == "fastapi.FastAPI" or c.name.endswith(".FastAPI")]
        )
        routes = _routes(facts)
        drift = _imports_any(facts, DRIFT_MODULES)
        if apps or routes:
            page = _served_page(view, path, facts)
            if page and once(f"frontend:{path}"):
                yield code_finding(PROBE, view, "frontend.app", path, page[0], page[1])
        if apps:
            loads = [c for c in facts.calls if _uses_model(c.name)]
            uses_project_model = any(
                any(w in part for part in imp.qualified.lower().split(".")[-2:] for w in MODEL_WORDS)
                for imp in facts.imports
                if not imp.module.startswith(("torch", "transformers", "fastapi", "pydantic"))
            ) and bool(project_model_modules)
            data = {"routes": [f"{d.name.rsplit('.', 1)[-1].upper()} line {d.line}" for d in routes]}
            if loads or uses_project_model:
                line = loads[0].line if loads else apps[0].line
                yield code_finding(
                    PROBE,
                    view,
                    "api.fastapi-model",
                    path,
                    line,
                    f"FastAPI app with {len(routes)} route(s) that loads a model",
                    data=data,
                )
            else:
                yield code_finding(
                    PROBE,
                    view,
                    "api.fastapi-app",
                    path,
                    apps[0].line,
                    f"FastAPI app with {len(routes)} route(s), no model use seen",
                    strength=WEAK,
                    data=data,
                )
            writes = [c for c in facts.calls if any(c.name.endswith(p) for p in PERSISTENCE)]
            writes += [
                c
                for c in facts.calls
                if c.name == "open"
                and len(c.args) > 1
                and isinstance(c.args[1], str)
                and c.args[1][:1] in "aw"
            ]
            writes.sort(key=lambda c: c.line)
            if writes and once("api.persists-requests"):
                yield code_finding(
                    PROBE,
                    view,
                    "api.persists-requests",
                    path,
                    writes[0].line,
                    f"the API stores data ({writes[0].name})",
                )
            if drift and once("drift.api"):
                yield code_finding(
                    PROBE,
                    view,
                    "drift.api",
                    path,
                    drift.line,
                    f"an API that runs drift detection ({drift.qualified})",
                )
        if drift and once(f"drift:{path}") and len([k for k in seen if k.startswith("drift:")]) <= 3:
            yield code_finding(
                PROBE,
                view,
                "drift.code",
                path,
                drift.line,
                f"drift detection with {drift.qualified}",
                exploration=True,
            )
        ks = [c for c in facts.calls if c.name.endswith("ks_2samp")]
        if ks and once("drift-ks"):
            yield code_finding(
                PROBE, view, "drift.code", path, ks[0].line, "a KS test for drift", exploration=True
            )
        metrics = _imports_any(facts, INSTRUMENTATION)
        if metrics and once(f"metrics:{path}"):
            yield code_finding(
                PROBE,
                view,
                "monitoring.instrumentation",
                path,
                metrics.line,
                f"instruments with {metrics.qualified}",
            )
        for cls in facts.classes:
            if any(b.endswith(("HttpUser", "FastHttpUser")) for b in cls.bases) and once(f"locust:{path}"):
                yield code_finding(PROBE, view, "loadtest.script", path, cls.line, f"locust user {cls.name}")
        for call in facts.calls:
            if call.name in ("torch.onnx.export", "onnxruntime.InferenceSession") and once(
                f"onnx:{call.name}"
            ):
                yield code_finding(PROBE, view, "serving.onnx", path, call.line, call.name)
        bento = [d for d in facts.decorators if d.name.startswith("bentoml.")]
        bento += [c for c in facts.calls if c.name in ("bentoml.Service", "bentoml.service")]
        if bento and once("bentoml"):
            yield code_finding(
                PROBE, view, "serving.bentoml", path, bento[0].line, f"a BentoML service ({bento[0].name})"
            )
        ui = [c for c in facts.calls if c.name.startswith(("streamlit.", "gradio."))]
        if ui and once(f"ui:{path}") and once(f"frontend:{path}"):
            yield code_finding(
                PROBE, view, "frontend.app", path, ui[0].line, f"a {ui[0].name.split('.')[0]} frontend"
            )
    for path in view.glob("bentofile.yaml", "bentofile.yml"):
        if once("bentofile"):
            yield PROBE.at(view, "serving.bentoml", path, 1, message="a BentoML bentofile")
    if "frontend" not in {k.split(":")[0] for k in seen}:
        yield from _web_frontend(view)


PAGE_CONTROLS = lazy(r"<(?:form|input|button)\b|\bfetch\(", re.I)


def _served_page(view: RepoView, path: str, facts: PythonFacts) -> tuple[int, str] | None:
    """A web page the API itself serves: a static site (``StaticFiles(html=True)``), an
    ``HTMLResponse`` with a form or script calling the API, or templates holding a form."""
    for call in facts.calls:
        last = call.name.rsplit(".", 1)[-1]
        if last == "StaticFiles" and call.keywords.get("html") is True:
            folder = call.keywords.get("directory")
            shown = f" from {folder}" if isinstance(folder, str) else ""
            return call.line, f"the API serves a web page (StaticFiles(html=True){shown})"
    text = view.text(path) or ""
    html = [c for c in facts.calls if c.name.endswith("HTMLResponse")]
    html += [c for c in facts.calls if any(r.endswith("HTMLResponse") for r in c.refs.values())]
    if html and PAGE_CONTROLS.search(text):
        return html[0].line, "the API serves an HTML page with a form or script (HTMLResponse)"
    for call in facts.calls:
        if call.name.rsplit(".", 1)[-1] == "Jinja2Templates":
            folder = call.keywords.get("directory")
            if not isinstance(folder, str):
                continue
            folder = folder.strip("./").rstrip("/")
            pages = [
                p
                for p in view.files
                if p.endswith((".html", ".jinja", ".j2"))
                and (f"/{folder}/" in f"/{p}" or p.startswith(f"{folder}/"))
            ]
            if any(PAGE_CONTROLS.search(view.text(p) or "") for p in pages):
                return call.line, f"the API renders templates with a form ({folder}/)"
    return None


WEB_FRAMEWORKS = lazy(r'"(react|vue|svelte|next|@angular/core|solid-js|preact)"\s*:')
FRONTEND_DIRS = ("frontend", "web", "ui", "webapp", "client")


def _web_frontend(view: RepoView) -> Iterator[Finding]:
    """A web frontend kept in the repository: a package.json with a UI framework, or an
    index.html in a folder named frontend/web/ui."""
    for path in view.glob("package.json"):
        if (view.size(path) or 0) > 200_000:
            continue
        match = WEB_FRAMEWORKS.search(view.text(path) or "")
        if match:
            line = view.find_line(path, match.group(0).split(":")[0])
            yield PROBE.at(view, "frontend.app", path, line, message=f"a {match.group(1)} web frontend")
            return
    for path in view.glob("index.html"):
        if set(path.lower().split("/")[:-1]) & set(FRONTEND_DIRS):
            yield PROBE.at(view, "frontend.app", path, 1, message=f"a web frontend ({path})")
            return


PROBE = Probe(
    id="serving",
    description="serving and monitoring code: FastAPI apps and model use, request storage, drift "
    "detection, instrumentation, locust, ONNX, BentoML, streamlit/gradio frontends",
    kinds=KINDS,
    run=_run,
)
