"""Running one probe over a fixture repository."""

from __future__ import annotations

from verifier.evidence import Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView


def run(probe: Probe, view: RepoView) -> list[Finding]:
    return list(probe.run(view))


def kinds(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for finding in findings:
        out.setdefault(finding.kind, []).append(finding)
    return out
