"""The serving probe."""

from __future__ import annotations

from probes.serving import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, WEAK

API = """\
import csv

import torch
from evidently.report import Report
from fastapi import FastAPI
from prometheus_client import Counter

app = FastAPI()
model = torch.load("model.pt")
requests_total = Counter("requests", "count")


@app.post("/predict")
def predict(x: list[float]) -> dict:
    with open("requests.csv", "a") as handle:
        csv.writer(handle).writerow(x)
    return {"y": model(torch.tensor(x)).item()}


@app.get("/drift")
def drift() -> dict:
    return Report(metrics=[]).as_dict()


if __name__ == "__main__":
    pass
"""


def test_api_with_model_storage_drift_and_metrics(make_view):
    found = kinds(run(PROBE, make_view({"src/app/api.py": API})))
    [api] = found["api.fastapi-model"]
    assert api.line == 9 and api.data["routes"] == ["POST line 13", "GET line 20"]
    assert found["api.persists-requests"][0].line == 15
    assert found["drift.api"][0].line == 4 and found["drift.code"][0].line == 4
    assert found["monitoring.instrumentation"][0].line == 6


def test_api_without_model_is_weak(make_view):
    code = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef root():\n    return {}\n\n\nif __name__ == '__main__':\n    pass\n"
    [finding] = run(PROBE, make_view({"api.py": code}))
    assert finding.kind == "api.fastapi-app" and finding.strength == WEAK


def test_locust_onnx_bentoml_and_frontend(make_view):
    files = {
        "locustfile.py": "from locust import HttpUser, task\n\n\nclass User(HttpUser):\n    @task\n    def hit(self):\n        self.client.get('/')\n",
        "export.py": "import torch\n\nif __name__ == '__main__':\n    torch.onnx.export(None, None, 'm.onnx')\n",
        "service.py": "import bentoml\n\n\n@bentoml.service\nclass S:\n    pass\n\n\nif __name__ == '__main__':\n    pass\n",
        "frontend.py": "import streamlit as st\n\nst.title('pets')\n\nif __name__ == '__main__':\n    pass\n",
    }
    found = kinds(run(PROBE, make_view(files)))
    assert found["loadtest.script"][0].line == 4
    assert found["serving.onnx"][0].line == 4
    assert found["serving.bentoml"][0].line == 4
    assert found["frontend.app"][0].line == 3
    assert all(f.strength == STRONG for fs in found.values() for f in fs)


def test_no_serving_code(make_view):
    assert run(PROBE, make_view({"a.py": "import requests\nrequests.get('http://x')\n"})) == []


def test_drift_checks_in_a_notebook_count_as_exploration(make_view):
    import json

    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["from scipy.stats import ks_2samp\n", "ks_2samp([1], [2])\n"]}
        ]
    }
    [finding] = run(PROBE, make_view({"drift.ipynb": json.dumps(notebook)}))
    assert finding.kind == "drift.code" and finding.strength == STRONG


def test_locust_users_in_test_files_count(make_view):
    code = "from locust import HttpUser, task\n\n\nclass Api(HttpUser):\n    @task\n    def hit(self):\n        self.client.get('/')\n"
    [finding] = run(PROBE, make_view({"tests/performance/test_locustfile.py": code}))
    assert finding.kind == "loadtest.script" and finding.line == 4


def test_a_web_frontend_folder_counts(make_view):
    package = '{\n  "name": "ui",\n  "dependencies": {\n    "react": "^18.2.0"\n  }\n}\n'
    [finding] = run(PROBE, make_view({"frontend/package.json": package}))
    assert finding.kind == "frontend.app" and finding.line == 4
    [html] = run(PROBE, make_view({"web/index.html": "<html></html>\n"}))
    assert html.kind == "frontend.app"
    assert run(PROBE, make_view({"docs/index.html": "<html></html>\n"})) == []


API_HEAD = "from fastapi import FastAPI\n{imports}\napp = FastAPI()\n\n@app.post('/predict')\ndef predict(x: int) -> int:\n    return x\n"


def test_a_frontend_served_by_the_api_itself_is_a_frontend(make_view):
    static = API_HEAD.format(imports="from fastapi.staticfiles import StaticFiles") + (
        "app.mount('/', StaticFiles(directory='src/app/static', html=True), name='static')\n"
    )
    html = API_HEAD.format(imports="from fastapi.responses import HTMLResponse") + (
        "@app.get('/', response_class=HTMLResponse)\ndef page():\n"
        '    return \'<form action="/predict" method="post"><input name="x"></form>\'\n'
    )
    templated = API_HEAD.format(imports="from fastapi.templating import Jinja2Templates") + (
        "templates = Jinja2Templates(directory='templates')\n"
    )
    for files in (
        {"src/app/api.py": static, "src/app/static/index.html": "<html></html>"},
        {"src/app/api.py": html},
        {"src/app/api.py": templated, "templates/index.html": "<form action='/predict'></form>"},
    ):
        found = kinds(run(PROBE, make_view(files)))
        assert found["frontend.app"][0].path == "src/app/api.py", files


def test_static_assets_without_a_page_are_not_a_frontend(make_view):
    assets = API_HEAD.format(imports="from fastapi.staticfiles import StaticFiles") + (
        "app.mount('/assets', StaticFiles(directory='assets'), name='assets')\n"
    )
    plain_html = API_HEAD.format(imports="from fastapi.responses import HTMLResponse") + (
        "@app.get('/', response_class=HTMLResponse)\ndef page():\n    return '<h1>Model API</h1>'\n"
    )
    for code in (assets, plain_html):
        assert "frontend.app" not in kinds(run(PROBE, make_view({"src/app/api.py": code})))
