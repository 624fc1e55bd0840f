"""The machine-readable result; its shape is ``verifier/schema/result.schema.json``."""

from __future__ import annotations

import json

from verifier import __version__
from verifier.result import SCHEMA_VERSION, VerificationResult
from verifier.verdicts import ItemVerdict

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


BEYOND_CHECKLIST = "hygiene."  # findings reported beside the items, not tied to one


def to_dict(result: VerificationResult) -> dict[str, Any]:
    repo = result.repository
    report = result.report
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "mlops-report-verifier", "version": __version__},
        "repository": {
            "root": repo.root,
            "project_dir": repo.project_dir,
            "listed_via": repo.listed_via,
            "files": repo.files,
            "commit": repo.commit,
            "commit_date": repo.commit_date,
            "branch": repo.branch,
            "remote": repo.remote,
            "revision": repo.revision,
            "authors": repo.authors,
            "uncommitted": [{"path": p, "state": state} for p, state in sorted(result.uncommitted.items())],
            "untracked": len(result.untracked),
        },
        "report": {
            "path": report.path,
            "reason": report.reason,
            "edition": report.edition,
            "edition_reason": report.edition_reason,
            "items": report.items,
            "ticked": report.ticked,
            "partial": report.partial,
        },
        "catalog": result.catalog_source,
        "summary": {
            "counts": result.counts(),
            "flagged": [v.item_id for v in result.flagged],
            "fail_on": result.fail_on,
            "failing": [v.item_id for v in result.failing],
            "excused": [v.item_id for v in result.excused],
            "exit_status": result.exit_status,
        },
        "items": [_item(v, result) for v in result.matched],
        "unmatched": [
            {"text": v.text, "report_line": v.report_line, "mark": v.mark, "state": v.state}
            for v in result.unmatched
        ],
        "questions": result.questions,
        "beyond_checklist": [f.to_dict() for f in result.findings if f.kind.startswith(BEYOND_CHECKLIST)],
        "probes": [
            {
                "id": p.id,
                "description": p.description,
                "kinds": list(p.kinds),
                "findings": p.findings,
                "seconds": p.seconds,
            }
            for p in result.probes
        ],
        "probe_errors": [n.to_dict() for n in result.probe_errors],
        "notices": [n.to_dict() for n in result.notices],
        "timings": result.timings,
    }


def _item(v: ItemVerdict, result: VerificationResult) -> dict[str, Any]:
    return {
        "id": v.item_id,
        "modules": list(v.modules),
        "week": v.week,
        "text": v.text,
        "report_line": v.report_line,
        "mark": v.mark,
        "state": v.state,
        "ticked": v.claimed,
        "verdict": v.verdict,
        "reason": v.reason,
        "remediation": v.remediation or None,
        "excused": v.excused,
        "evidence": [{"role": role, **f.to_dict()} for role, f in v.evidence],
        "uncommitted": sorted({f.path for f in result.uncommitted_evidence(v) if f.path}),
    }


def render(result: VerificationResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False, default=str) + "\n"
