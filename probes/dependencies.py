"""Findings about declared dependencies, shared by the probes that need them (not a probe).

What a repository declares is read by :mod:`verifier.repo.dependencies`; its names are
re-exported here for the probes.
"""

from __future__ import annotations

from verifier.repo.dependencies import declared_dependencies, declares, normalise
from verifier.repo.view import RepoView

__all__ = ["declared_dependencies", "declares", "dependency_only", "normalise"]


def dependency_only(probe, view: RepoView, kind: str, names: tuple[str, ...], message: str):
    """A weak finding at the declaration of the first of ``names`` declared, or None: for a
    package that is declared but that nothing else shows in use."""
    from verifier.evidence import DEPENDENCY_ONLY, WEAK

    declared = declares(view, *names)
    if not declared:
        return None
    path, line = declared
    return probe.at(view, kind, path, line, message, strength=WEAK, flags=(DEPENDENCY_ONLY,))
