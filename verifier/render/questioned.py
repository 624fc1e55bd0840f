"""What the annotation formats (SARIF, GitHub, markdown) share: which ticks are questioned,
how serious each is, and where the report sits from the top of the git repository."""

from __future__ import annotations

import os

from verifier.compiled import regex
from verifier.result import VerificationResult
from verifier.verdicts import CONTRADICTED, QUESTIONABLE, UNSUPPORTED, ItemVerdict

ERROR, WARNING, NOTE = "error", "warning", "note"
HEADLINES = {
    CONTRADICTED: "ticked, but the repository contradicts it",
    UNSUPPORTED: "ticked, but nothing in the repository supports it",
    "weak": "ticked, with only weak evidence",
}


def questioned(result: VerificationResult) -> list[ItemVerdict]:
    """Ticked items a grader would question (weak, unsupported, contradicted), excused ones
    included, the most serious first, then in report order."""
    rank = {CONTRADICTED: 0, UNSUPPORTED: 1, "weak": 2}
    items = [v for v in result.items if v.claimed and v.item_id and v.verdict in QUESTIONABLE]
    return sorted(items, key=lambda v: (v.excused is not None, rank[v.verdict], v.report_line))


def level(result: VerificationResult, verdict: ItemVerdict) -> str:
    """error when the tick sets the exit status; warning for other flags; note for weak or excused."""
    if result.fails(verdict):
        return ERROR
    if verdict.verdict in (CONTRADICTED, UNSUPPORTED) and not verdict.excused:
        return WARNING
    return NOTE


def headline(verdict: ItemVerdict) -> str:
    return HEADLINES.get(verdict.verdict, verdict.verdict)


def from_top(result: VerificationResult, path: str) -> str:
    """A path relative to the verified folder, made relative to the git repository's top (where
    GitHub places annotations); unchanged outside git."""
    view = result.view
    root = getattr(view, "root", None)
    top = getattr(view, "git_root", None)
    if root is None or top is None:
        return path
    prefix = os.path.relpath(root.resolve(), top.resolve()).replace(os.sep, "/")
    return path if prefix == "." else f"{prefix}/{path}"


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_LOOKED_FOR = regex(r"no evidence found: looked for .*$")
_NO_PROBE_FOR = regex(r"; no probe yet for .*$")


def plain_reason(reason: str) -> str:
    """The verdict's reason without the internal evidence kinds it may list (the JSON keeps them)."""
    reason = _LOOKED_FOR.sub("nothing in the repository supports it", reason)
    return _NO_PROBE_FOR.sub("; no probe looks for the rest yet", reason)
