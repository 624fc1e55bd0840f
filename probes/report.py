"""Probe `report`: claims the report itself can settle.

``report.diagram``: the architecture question ("Include a figure that describes the overall
architecture of your system ...") embeds an image that exists in the repository. The image
path is resolved against the report's folder, case-sensitively as on a grader's machine, and
percent-decoded (``my%20diagram.png``); an image hosted elsewhere is a weak hint.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

QUESTION = regex(r"^\s{0,3}#{2,4}\s*question\s+(\d+)\b", re.I | re.M)
# alt text and tags stop at the next bracket or tag: a run of "![" or "<img " is scanned once
IMAGE = regex(r"!\[[^\[\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<img[^<>]+src=[\"']([^\"']+)", re.I)


def architecture_answer(text: str) -> tuple[int, str] | None:
    """(line of the question heading, the question's whole text) of the architecture question."""
    matches = list(QUESTION.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        block = text[match.start() : end]
        prompt = block[:600].lower()
        if "architecture" in prompt and ("figure" in prompt or "diagram" in prompt):
            return text[: match.start()].count("\n") + 1, block
    return None


def _run(view: RepoView) -> Iterator[Finding]:
    if not view.report_path:
        return
    text = view.text(view.report_path) or ""
    found = architecture_answer(text)
    if found is None:
        return
    heading_line, block = found
    folder = posixpath.dirname(view.report_path)
    remote = None
    for match in IMAGE.finditer(block):
        target = (match.group(1) or match.group(2) or "").split("#")[0]
        line = heading_line + block[: match.start()].count("\n")
        if target.startswith(("http://", "https://")):
            remote = remote or (line, target)
            continue
        if not target or target.startswith("data:"):
            continue
        # percent-encoded paths (spaces as %20) are what markdown renderers fetch
        for candidate in dict.fromkeys((target, unquote(target))):
            resolved = posixpath.normpath(posixpath.join(folder, candidate))
            if view.exists(resolved):
                yield PROBE.at(
                    view,
                    "report.diagram",
                    view.report_path,
                    line,
                    message=f"the architecture question embeds {resolved}",
                )
                return
    if remote:
        yield PROBE.at(
            view,
            "report.diagram",
            view.report_path,
            remote[0],
            message="the architecture question embeds an image hosted outside the repository "
            f"({remote[1][:80]})",
            strength=WEAK,
        )


PROBE = Probe(
    id="report",
    description="claims the report settles itself: the architecture diagram is embedded and exists",
    kinds=("report.diagram",),
    run=_run,
)
