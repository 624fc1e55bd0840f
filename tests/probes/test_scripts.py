"""The scripts probe."""

from __future__ import annotations

from probes.scripts import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import WEAK
from verifier.repo.view import RepoView


def test_gcloud_commands_in_scripts(make_view):
    script = "#!/bin/bash\nset -e\ngcloud ai custom-jobs create --region=europe-west1 --config=vertex.yaml\ngcloud run deploy api --image x\n"
    found = kinds(run(PROBE, make_view({"scripts/cloud.sh": script})))
    assert found["gcloud.training-command"][0].line == 3
    assert found["gcloud.deploy-command"][0].line == 4


def test_alert_policy_collector_k6_and_torchserve(make_view):
    files = {
        "monitoring/alert.yaml": "displayName: errors\ncombiner: OR\nconditions:\n  - displayName: x\n",
        "monitoring/collector.yaml": "receivers:\n  prometheus: {}\nexporters:\n  googlecloud: {}\n",
        "load/test.js": "import http from 'k6/http';\nexport default function () { http.get('x'); }\n",
        "serve/config.properties": "inference_address=http://0.0.0.0:8080\n",
    }
    found = kinds(run(PROBE, make_view(files)))
    assert found["monitoring.alert-policy"][0].line == 3
    assert found["monitoring.cloud-config"][0].line == 3
    assert found["loadtest.script"][0].line == 1
    assert found["serving.torchserve"][0].path == "serve/config.properties"


def test_run_url_in_the_report_is_only_weak(make_view):
    view = make_view(
        {"reports/README.md": "# r\n\nOur API runs at https://api-xyz-ew.a.run.app/docs today.\n"}
    )
    view.report_path = "reports/README.md"
    [finding] = run(PROBE, view)
    assert finding.kind == "deploy.run-url" and finding.strength == WEAK and finding.line == 3


def test_nothing_in_an_ordinary_repository(make_repo):
    root = make_repo({"README.md": "# project\n", "run.sh": "python train.py\n"})
    assert run(PROBE, RepoView.open(root)) == []
