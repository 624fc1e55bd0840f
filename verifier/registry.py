"""Finding probes: every probe, built-in or third-party, comes through one entry-point group."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points

from verifier.evidence import Notice
from verifier.probe import ENTRY_POINT_GROUP, Probe


@dataclass
class Registry:
    probes: list[Probe] = field(default_factory=list)
    errors: list[Notice] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {kind for probe in self.probes for kind in probe.kinds}


def discover(group: str = ENTRY_POINT_GROUP, only: set[str] | None = None) -> Registry:
    """Load every probe registered under ``group``; a probe that fails to load is recorded.

    ``only`` restricts loading to the named probe ids (entry-point names).
    """
    registry = Registry()
    seen: set[str] = set()
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        if only is not None and ep.name not in only:
            continue
        try:
            probe = ep.load()
        except Exception as exc:
            registry.errors.append(
                Notice(ep.name, None, f"probe failed to load from {ep.value}: {_reason(exc)}")
            )
            continue
        if not isinstance(probe, Probe):
            registry.errors.append(
                Notice(ep.name, None, f"entry point {ep.value} is not a verifier.probe.Probe")
            )
            continue
        if probe.id in seen:
            registry.errors.append(Notice(probe.id, None, "a probe with this id is already loaded"))
            continue
        seen.add(probe.id)
        registry.probes.append(probe)
    return registry


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
