"""Rules of the built-in catalog that decide between a flag and no flag."""

from __future__ import annotations

from verifier.catalog import load_catalog
from verifier.evidence import Finding
from verifier.verdicts import NOT_VERIFIABLE, SUPPORTED, decide, index_findings


def _verdict(item_id: str, findings: list[Finding]) -> str:
    item = load_catalog()[item_id]
    return decide(item, "ticked", index_findings(findings), item.all_kinds())[0]


def test_system_telemetry_is_supported_by_instrumentation_and_otherwise_a_console_claim():
    instrumented = Finding("serving", "monitoring.instrumentation", "src/api.py", 3, "Instrumentator()")
    assert _verdict("telemetry", [instrumented]) == SUPPORTED
    assert _verdict("telemetry", []) == NOT_VERIFIABLE


def test_a_drift_api_without_any_deployment_is_weak():
    api = Finding("serving", "drift.api", "src/drift_api.py", 9, "Report(metrics=[DataDriftPreset()])")
    deploy = Finding("cloudbuild", "cloudbuild.deploy", "cloudbuild.yaml", 12, "gcloud run deploy drift")
    assert _verdict("drift-api", [api]) == "weak"
    assert _verdict("drift-api", [api, deploy]) == SUPPORTED
