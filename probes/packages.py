"""Probe `packages`: every third-party distribution the project declares, one finding each.

A tool that is declared but never seen configured, imported or run is a hint only: the
catalog's ``packages`` field names, per item, the distributions whose declaration alone makes
a tick ``weak`` rather than ``unsupported``.
"""

from __future__ import annotations

from collections.abc import Iterator

from probes.dependencies import declared_dependencies
from verifier.evidence import DEPENDENCY_ONLY, WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

KIND = "dependency.declared"


def _run(view: RepoView) -> Iterator[Finding]:
    for package, (path, line) in sorted(declared_dependencies(view).items()):
        yield PROBE.at(
            view,
            KIND,
            path,
            line,
            f"{package} is declared ({path}{f':{line}' if line else ''}), but nothing shows it run",
            strength=WEAK,
            flags=(DEPENDENCY_ONLY,),
            data={"package": package},
        )


PROBE = Probe(
    id="packages",
    description="declared third-party distributions (a tool declared but never seen in use is a hint)",
    kinds=(KIND,),
    run=_run,
)
