"""SARIF 2.1.0 for GitHub code scanning: one result per questioned tick, located at its line in
the report, with the evidence as related locations; one rule per catalog item, its help text
saying what would count as evidence. An excused tick is kept, with a suppression giving the
repository's reason."""

from __future__ import annotations

import json

from verifier import __version__
from verifier.render.questioned import from_top, level, plain_reason, questioned
from verifier.result import VerificationResult
from verifier.verdicts import ItemVerdict

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


def _uri(result: VerificationResult, path: str) -> str:
    """A repository path as the relative URI reference SARIF requires: spaces, ``#``, ``%``,
    ``?`` and control characters in file names are percent-encoded."""
    from urllib.parse import quote

    return quote(from_top(result, path), safe="/")


SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def to_sarif(result: VerificationResult) -> dict[str, Any]:
    items = questioned(result)
    rule_ids: list[str] = []
    for verdict in items:
        if verdict.item_id not in rule_ids:
            rule_ids.append(verdict.item_id)
    rules = [_rule(result, item_id) for item_id in rule_ids]
    results = [_result(result, v, rule_ids.index(v.item_id)) for v in items]
    report_uri = _uri(result, result.report.path)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mlops-report-verifier",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"mlops-report-verifier/{report_uri}"},
                "invocations": [
                    {
                        "executionSuccessful": not result.probe_errors,
                        "exitCode": result.exit_status,
                        "toolExecutionNotifications": [
                            {"level": "warning", "message": {"text": f"{n.source}: {n.message}"}}
                            for n in result.probe_errors
                        ],
                    }
                ],
                "results": results,
                "properties": {
                    "failOn": result.fail_on,
                    "counts": result.counts(),
                    "edition": result.report.edition,
                },
            }
        ],
    }


def _rule(result: VerificationResult, item_id: str) -> dict[str, Any]:
    item = result.catalog[item_id] if result.catalog is not None and item_id in result.catalog.by_id else None
    title = item.title if item else item_id
    remediation = item.remediation if item else ""
    tags = list(item.modules) if item else []
    module = f" ({'+'.join(tags)})" if tags else ""
    return {
        "id": item_id,
        "name": "".join(part.capitalize() for part in item_id.split("-")),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"Checklist item {item_id}{module}: {title}"},
        "help": {
            "text": f"What would count as evidence: {remediation}" if remediation else title,
            "markdown": f"**What would count as evidence:** {remediation}" if remediation else title,
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["mlops-report", *tags]},
    }


def _result(result: VerificationResult, verdict: ItemVerdict, rule_index: int) -> dict[str, Any]:
    ticked = "ticked; " if verdict.state == "ticked" else ""
    message = f"{verdict.item_id}: {ticked}{plain_reason(verdict.reason)}."
    if verdict.excused:
        message += f" It is excused by the repository's settings: {verdict.excused}."
    if verdict.remediation:
        message += f" To settle it: {verdict.remediation}"
    related = []
    for role, finding in verdict.evidence:
        if not finding.path:
            continue
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(result, finding.path)}}
        if finding.line:
            location["region"] = {"startLine": finding.line}
        related.append(
            {
                "id": len(related) + 1,
                "physicalLocation": location,
                "message": {"text": f"{role}: {finding.message or finding.snippet}"},
            }
        )
    out: dict[str, Any] = {
        "ruleId": verdict.item_id,
        "ruleIndex": rule_index,
        "level": level(result, verdict),
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(result, result.report.path)},
                    "region": {"startLine": verdict.report_line},
                }
            }
        ],
        "partialFingerprints": {"checklistItem/v1": f"{verdict.item_id}:{verdict.verdict}"},
        "properties": {"verdict": verdict.verdict, "state": verdict.state, "textAsWritten": verdict.text},
    }
    if related:
        out["relatedLocations"] = related
    if verdict.excused:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": verdict.excused}]
    return out


def render(result: VerificationResult) -> str:
    return json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"
