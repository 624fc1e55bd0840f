"""What probes emit: findings (evidence with a location) and notices (problems met on the way).

Probes only describe what is in the repository. Whether a finding supports a checklist item is
decided later, by the catalog rules in :mod:`verifier.verdicts`.
"""

from __future__ import annotations

from verifier.records import field, record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


STRONG = "strong"
WEAK = "weak"

# Flags a finding may carry; they explain why a finding is weak.
TEMPLATE_DEFAULT = "template-default"
STUB = "stub"
DEPENDENCY_ONLY = "dependency-only"
INFORMATIONAL = "informational"

SNIPPET_LIMIT = 160


def clip(text: str, limit: int = SNIPPET_LIMIT) -> str:
    """One line of at most ``limit`` characters, for snippets and messages."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@record(frozen=True)
class Finding:
    """One piece of evidence: what kind it is, where it is, and how much it proves."""

    probe: str
    kind: str
    path: str | None
    line: int | None
    snippet: str
    strength: str = STRONG
    message: str = ""
    flags: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.strength not in (STRONG, WEAK):
            raise ValueError(f"strength must be {STRONG!r} or {WEAK!r}, not {self.strength!r}")
        object.__setattr__(self, "snippet", clip(self.snippet))

    @property
    def location(self) -> str:
        if self.path is None:
            return "(repository)"
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_dict(self) -> dict[str, Any]:
        return {
            "probe": self.probe,
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "snippet": self.snippet,
            "strength": self.strength,
            "message": self.message,
            "flags": list(self.flags),
            "data": self.data,
        }


@record(frozen=True)
class Notice:
    """Something the run met and could not use: a file skipped, a parse error, a probe crash."""

    source: str  # "repository", a probe id, or "report"
    path: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "path": self.path, "message": self.message}
