"""The probe interface.

A probe is a small module that exposes ``PROBE = Probe(...)``: an id, a one-line description,
the evidence kinds it can emit, and a ``run`` function that reads a :class:`RepoView` and
yields :class:`~verifier.evidence.Finding` objects. Probes never decide verdicts.

Probes are found through the ``mlops_verifier.probes`` entry-point group, built-in ones
included, so a pip-installed package adds probes without touching this project::

    [project.entry-points."mlops_verifier.probes"]
    my-probe = "my_package.my_probe:PROBE"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from verifier.evidence import STRONG, Finding
from verifier.records import record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)

if TYPE_CHECKING:
    from verifier.repo.view import RepoView

ENTRY_POINT_GROUP = "mlops_verifier.probes"


@record(frozen=True)
class Probe:
    """A plugin that reads the repository view and yields findings of its kinds."""

    id: str
    description: str
    kinds: tuple[str, ...]
    run: Callable[[RepoView], Iterable[Finding]]

    def at(
        self,
        view: RepoView,
        kind: str,
        path: str,
        line: int | None,
        message: str,
        **options,
    ) -> Finding:
        """A finding at a line of a file, its snippet being that line's text."""
        snippet = view.line_text(path, line) if line else path
        return self.finding(kind, path, line, snippet, message=message, **options)

    def finding(
        self,
        kind: str,
        path: str | None,
        line: int | None,
        snippet: str,
        *,
        strength: str = STRONG,
        message: str = "",
        flags: Iterable[str] = (),
        data: dict | None = None,
    ) -> Finding:
        """Build a finding of this probe, checking that the kind is one it declared."""
        if kind not in self.kinds:
            raise ValueError(f"probe {self.id!r} emitted undeclared evidence kind {kind!r}")
        return Finding(
            probe=self.id,
            kind=kind,
            path=path,
            line=line,
            snippet=snippet,
            strength=strength,
            message=message,
            flags=tuple(flags),
            data=data or {},
        )
