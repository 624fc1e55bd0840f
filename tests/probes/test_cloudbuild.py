"""The cloudbuild probe: Cloud Build, Vertex AI configs, Cloud Run services."""

from __future__ import annotations

from probes.cloudbuild import PROBE
from tests.probes.helpers import kinds, run

BUILD = """\
steps:
- name: 'gcr.io/cloud-builders/docker'
  args: ['build', '-t', 'gcr.io/$PROJECT_ID/api', '.']
- name: 'gcr.io/cloud-builders/docker'
  args: ['push', 'gcr.io/$PROJECT_ID/api']
- name: 'gcr.io/google.com/cloudsdktool/cloud-sdk'
  entrypoint: gcloud
  args: ['run', 'deploy', 'api', '--image', 'gcr.io/$PROJECT_ID/api']
- name: gcr.io/cloud-builders/gcloud
  args: ['ai', 'custom-jobs', 'create', '--config=vertex.yaml']
"""


def test_build_push_deploy_and_vertex_steps(make_view):
    found = kinds(run(PROBE, make_view({"cloudbuild.yaml": BUILD})))
    assert found["cloudbuild.docker-build"][0].line == 2
    assert found["cloudbuild.deploy"][0].snippet.startswith("args: ['run', 'deploy'")
    assert found["cloudbuild.vertex-job"][0].line == 10


def test_build_files_in_a_cloudbuilds_folder_are_found(make_view):
    found = kinds(run(PROBE, make_view({"cloudbuilds/inference.yaml": BUILD})))
    assert found["cloudbuild.docker-build"][0].path == "cloudbuilds/inference.yaml"


def test_vertex_config_and_cloud_run_service(make_view):
    vertex = "workerPoolSpecs:\n  machineSpec:\n    machineType: n1-highmem-2\n  replicaCount: 1\n"
    service = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\n"
    found = kinds(run(PROBE, make_view({"configs/vertex_cpu.yaml": vertex, "service.yaml": service})))
    assert found["vertex.job-config"][0].line == 1
    assert found["deploy.service-config"][0].line == 2


def test_broken_and_non_yaml_files_are_notices_and_others_still_found(make_view):
    view = make_view({"cloudbuild.yaml": "steps: [\n", "cloudbuild-api.yaml": BUILD})
    found = kinds(run(PROBE, view))
    assert found["cloudbuild.docker-build"][0].path == "cloudbuild-api.yaml"
    assert any(n.path == "cloudbuild.yaml" for n in view.notices)


def test_nothing_found_without_cloud_files(make_view):
    assert run(PROBE, make_view({"config.yaml": "lr: 0.1\n"})) == []
