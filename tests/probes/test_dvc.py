"""The dvc probe."""

from __future__ import annotations

from probes.dvc import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import WEAK

CONFIG = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://bucket/dvcstore\n"


def test_config_remote_tracked_files_and_pipeline(make_view):
    view = make_view(
        {
            ".dvc/config": CONFIG,
            "data.dvc": "outs:\n- md5: abc\n  path: data\n",
            "dvc.yaml": "stages:\n  prepare:\n    cmd: python prepare.py\n",
        }
    )
    found = kinds(run(PROBE, view))
    assert found["dvc.config"][0].data["remotes"] == {"storage": "gs://bucket/dvcstore"}
    assert found["dvc.remote-gcs"][0].line == 4
    assert found["dvc.tracked"][0].line == 3
    assert found["dvc.pipeline"][0].line == 1
    assert "dvc.dependency" not in found and "gcs.client-use" not in found


def test_non_gcs_remote_is_not_a_bucket(make_view):
    config = CONFIG.replace("gs://bucket/dvcstore", "s3://bucket/store")
    found = kinds(run(PROBE, make_view({".dvc/config": config})))
    assert "dvc.config" in found and "dvc.remote-gcs" not in found


def test_declared_dvc_without_setup_is_weak(make_view):
    [finding] = run(PROBE, make_view({"requirements.txt": "dvc[gs]==3.5\n"}))
    assert finding.kind == "dvc.dependency" and finding.strength == WEAK and finding.line == 1


def test_gcs_in_code_without_dvc_remote_is_weak(make_view):
    code = "from google.cloud import storage\n\nclient = storage.Client()\n"
    [finding] = run(PROBE, make_view({"src/data.py": code}))
    assert finding.kind == "gcs.client-use" and finding.strength == WEAK


def test_invalid_utf8_in_config_is_read_with_a_notice(make_view):
    view = make_view({".dvc/config": b"['remote \"r\"']\n    url = gs://b\xff/x\n"})
    found = kinds(run(PROBE, view))
    assert "dvc.remote-gcs" in found
    assert any("invalid UTF-8" in n.message for n in view.notices)
