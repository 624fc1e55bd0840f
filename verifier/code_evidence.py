"""Findings in Python code carry where the code stands: reachable from an entry point or not.

Evidence that lives only in a module nothing reaches (a dead file, a scratch script) is weak,
with that reason; evidence in a notebook is weak unless the item is about exploration.
"""

from __future__ import annotations

from verifier.evidence import STRONG, WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

UNREACHABLE = "unreachable"
NOTEBOOK = "notebook"


def code_finding(
    probe: Probe,
    view: RepoView,
    kind: str,
    path: str,
    line: int | None,
    message: str,
    *,
    strength: str = STRONG,
    flags: tuple[str, ...] = (),
    data: dict | None = None,
    exploration: bool = False,
) -> Finding:
    """A finding in a Python file, weakened when no entry point reaches the module."""
    data = dict(data or {})
    if path.endswith(".ipynb") and strength == STRONG and not exploration:
        strength = WEAK
        flags = (*flags, NOTEBOOK)
        message += " (in a notebook)"
    elif path.endswith(".py"):
        context = view.import_graph.context(path)
        data.update(context.to_data())
        if not context.reachable and strength == STRONG:
            strength = WEAK
            flags = (*flags, UNREACHABLE)
            message += " (in a module no entry point reaches)"
    return probe.finding(
        kind,
        path,
        line,
        view.line_text(path, line),
        strength=strength,
        message=message,
        flags=flags,
        data=data,
    )
