"""Which edition of the report template a report was written in."""

from __future__ import annotations

import re

from verifier.compiled import regex
from verifier.records import record
from verifier.report.checklist import Checklist

QUESTION = regex(r"^\s{0,3}#{2,4}\s*question\s+(\d+)", re.I | re.M)


@record(frozen=True)
class Edition:
    """The course edition a report was written for, and how that was told."""

    id: str  # "2022-12", "2023-01", "2024-12", "2026-01" or "unknown"
    reason: str


def detect_edition(text: str, checklist: Checklist) -> Edition:
    """Decide by markers (module tags, distinctive items, questions), not by item count alone."""
    questions = {int(n) for n in QUESTION.findall(text)}
    entries = checklist.entries
    if not entries:
        if questions:
            return Edition("2022-12", f"{len(questions)} questions and no checklist")
        return Edition("unknown", "no checklist and no questions")
    joined = " ".join(e.text.lower() for e in entries)
    tagged = sum(1 for e in entries if e.modules)
    if "input-output data" in joined or "keeping your" in joined or "uv.lock" in joined:
        return Edition("2026-01", "has the 2026 items (input-output data collection, uv.lock)")
    if tagged >= len(entries) / 3 or "linting step" in joined or "pre-commit hooks" in joined:
        return Edition("2024-12", f"{tagged} of {len(entries)} items carry module tags (M..)")
    if "make_dataset.py" in joined or "torchserve" in joined or "telemetry" in joined:
        return Edition("2023-01", "untagged items with make_dataset.py / torchserve / telemetry")
    if questions and max(questions) <= 27:
        return Edition("2023-01", f"untagged items and {max(questions)} questions")
    return Edition("unknown", "no marker of a known edition")
