"""The tests probe."""

from __future__ import annotations

from probes.tests import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import TEMPLATE_DEFAULT, WEAK


def test_data_model_and_api_tests_are_told_apart(make_view):
    files = {
        "tests/test_data.py": "from pets.data import load\n\n\ndef test_len():\n    assert len(load()) == 10\n\n\ndef test_shape():\n    assert load()[0]\n",
        "tests/test_model.py": "from pets.model import Net\n\n\ndef test_forward():\n    assert Net()\n",
        "tests/test_api.py": "from fastapi.testclient import TestClient\nfrom pets.api import app\n\n\ndef test_root():\n    assert TestClient(app).get('/').status_code == 200\n",
    }
    found = kinds(run(PROBE, make_view(files)))
    assert found["tests.data"][0].path == "tests/test_data.py" and found["tests.data"][0].line == 4
    assert found["tests.model"][0].path == "tests/test_model.py"
    assert found["tests.api"][0].path == "tests/test_api.py"
    assert found["tests.data"][0].data["test_functions"] == 4


def test_api_tests_do_not_count_for_the_model(make_view):
    files = {
        "tests/test_api.py": "from fastapi.testclient import TestClient\nfrom pets.api import app\n\n\ndef test_root():\n    assert TestClient(app)\n"
    }
    found = kinds(run(PROBE, make_view(files)))
    assert "tests.model" not in found and "tests.api" in found


def test_template_stub_test_is_weak_and_empty_files_are_nothing(make_view):
    files = {
        "tests/test_data.py": "from torch.utils.data import Dataset\nfrom pets.data import MyDataset\n\n\ndef test_my_dataset():\n    assert isinstance(MyDataset('x'), Dataset)\n",
        "tests/test_model.py": "",
    }
    found = kinds(run(PROBE, make_view(files)))
    assert found["tests.data"][0].strength == WEAK and TEMPLATE_DEFAULT in found["tests.data"][0].flags
    assert "tests.model" not in found


def test_tests_without_assertions_are_no_evidence(make_view):
    files = {"tests/test_model.py": "from pets.model import Net\n\n\ndef test_nothing():\n    Net()\n"}
    [finding] = run(PROBE, make_view(files))
    assert finding.kind == "tests.count" and finding.strength == WEAK


def test_a_test_calling_the_served_api_over_http_tests_the_api(make_view):
    code = "import requests\n\n\ndef test_generate():\n    r = requests.post('https://api-x.run.app/generate', json={})\n    assert r.status_code == 200\n"
    found = kinds(run(PROBE, make_view({"tests/test_api.py": code})))
    assert found["tests.api"][0].path == "tests/test_api.py"
    # an HTTP call in a test not about the API is not an API test
    assert "tests.api" not in kinds(run(PROBE, make_view({"tests/test_download.py": code})))


def test_the_file_named_for_what_it_tests_is_shown_first(make_view):
    lightning = "from torch.utils.data import DataLoader\n\n\ndef test_step():\n    assert DataLoader\n"
    data = "from pkg.data import load\n\n\ndef test_load():\n    assert load()\n"
    found = kinds(run(PROBE, make_view({"tests/test_a_module.py": lightning, "tests/test_data.py": data})))
    assert found["tests.data"][0].path == "tests/test_data.py"
