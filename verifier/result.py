"""The outcome of verifying one repository; renderers read it, nothing else changes it."""

from __future__ import annotations

from verifier.evidence import Finding, Notice
from verifier.records import field, record
from verifier.verdicts import FAILING, FLAGGED, VERDICTS, ItemVerdict

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


SCHEMA_VERSION = "1.4"


@record
class RepositoryInfo:
    """Where the verified repository is and what its history says."""

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


@record
class ReportInfo:
    """Which report was read, why it was chosen, and its edition."""

    path: str
    reason: str
    edition: str
    edition_reason: str
    items: int
    ticked: int
    partial: int


@record
class ProbeInfo:
    """One probe as the result shows it: what it looks for, what it found, its time."""

    id: str
    description: str
    kinds: tuple[str, ...]
    findings: int
    seconds: float


@record
class VerificationResult:
    """Everything one verification found, as the renderers read it."""

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
    catalog: Any = field(default=None, repr=False, compare=False)  # the Catalog the items were judged by
    questions: dict[str, Any] = field(default_factory=dict)  # the answers review
    fail_on: str = "unsupported"  # which ticks set exit status 1: contradicted | unsupported | weak
    exit_zero: bool = False  # report everything, exit 0 all the same
    uncommitted: dict[str, str] = field(default_factory=dict)  # path -> how it differs from HEAD
    untracked: list[str] = field(default_factory=list)  # work-tree files git does not track (not read)

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
        """Ticks unsupported or contradicted, except those the repository excuses."""
        return [v for v in self.items if v.claimed and v.verdict in FLAGGED and not v.excused]

    @property
    def excused(self) -> list[ItemVerdict]:
        return [v for v in self.items if v.excused]

    def fails(self, verdict: ItemVerdict) -> bool:
        """Whether this item sets exit status 1 under the ``fail_on`` setting."""
        return verdict.claimed and not verdict.excused and verdict.verdict in FAILING[self.fail_on]

    @property
    def failing(self) -> list[ItemVerdict]:
        return [v for v in self.items if self.fails(v)]

    @property
    def exit_status(self) -> int:
        return 1 if self.failing and not self.exit_zero else 0

    def excuse(self, reasons: dict[str, str]) -> None:
        """Mark the items the repository excuses; their verdicts stay as judged."""
        for verdict in self.items:
            if verdict.item_id in reasons:
                verdict.excused = reasons[verdict.item_id]

    def uncommitted_evidence(self, verdict: ItemVerdict) -> list[Finding]:
        """The item's evidence found in files that differ from the last commit."""
        return [f for _role, f in verdict.evidence if f.path in self.uncommitted]

    def rests_on_uncommitted(self, verdict: ItemVerdict) -> bool:
        """A supported tick whose every supporting finding is in an uncommitted file."""
        support = [f for role, f in verdict.evidence if role == "supports" and f.path]
        return bool(support) and all(f.path in self.uncommitted for f in support)
