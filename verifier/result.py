"""The outcome of verifying one repository; renderers read it, nothing else changes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verifier.evidence import Finding, Notice
from verifier.verdicts import FLAGGED, VERDICTS, ItemVerdict

SCHEMA_VERSION = "1.3"


@dataclass
class RepositoryInfo:
    root: str
    project_dir: str
    listed_via: str
    files: int
    commit: str | None = None
    commit_date: str | None = None
    branch: str | None = None
    remote: str | None = None
    revision: dict[str, Any] = field(default_factory=dict)
    authors: int | None = None  # distinct commit authors


@dataclass
class ReportInfo:
    path: str
    reason: str
    edition: str
    edition_reason: str
    items: int
    ticked: int
    partial: int


@dataclass
class ProbeInfo:
    id: str
    description: str
    kinds: tuple[str, ...]
    findings: int
    seconds: float


@dataclass
class VerificationResult:
    repository: RepositoryInfo
    report: ReportInfo
    catalog_source: str
    items: list[ItemVerdict]
    findings: list[Finding]
    probes: list[ProbeInfo]
    probe_errors: list[Notice] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    view: Any = field(default=None, repr=False, compare=False)  # the RepoView, for exports
    questions: dict[str, Any] = field(default_factory=dict)  # the answers review

    @property
    def matched(self) -> list[ItemVerdict]:
        return [v for v in self.items if v.item_id is not None]

    @property
    def unmatched(self) -> list[ItemVerdict]:
        return [v for v in self.items if v.item_id is None]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for verdict in self.items:
            counts[verdict.verdict] += 1
        return counts

    @property
    def flagged(self) -> list[ItemVerdict]:
        return [v for v in self.items if v.claimed and v.verdict in FLAGGED]

    @property
    def exit_status(self) -> int:
        return 1 if self.flagged else 0
