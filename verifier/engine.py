"""Runs probes over one repository view, isolating each probe's failures."""

from __future__ import annotations

import time

from verifier.evidence import STRONG, TEMPLATE_DEFAULT, WEAK, Finding, Notice
from verifier.probe import Probe
from verifier.records import field, record, replace
from verifier.repo.view import RepoView


@record
class ProbeRun:
    """What running the probes gave: findings, probe errors and time spent."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[Notice] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # probe id -> seconds of its own
    shared_seconds: float = 0.0  # reading and parsing done once for all probes (by whichever asked first)


def run_probes(view: RepoView, probes: list[Probe]) -> ProbeRun:
    """Run every probe; one raising never loses the others' findings."""
    result = ProbeRun()
    for probe in probes:
        start = time.perf_counter()
        shared_before = view.shared_seconds
        collected: list[Finding] = []
        try:
            for finding in probe.run(view):
                if not isinstance(finding, Finding):
                    raise TypeError(f"yielded {type(finding).__name__}, not a Finding")
                collected.append(weaken_template_default(view, finding))
        except Exception as exc:
            where = _last_frame(exc)
            result.errors.append(
                Notice(
                    probe.id,
                    None,
                    f"probe crashed after {len(collected)} findings: {type(exc).__name__}: "
                    f"{' '.join(str(exc).split())[:200]}{where}",
                )
            )
        result.findings.extend(collected)  # what a crashing probe found before it failed is kept
        shared = view.shared_seconds - shared_before
        result.shared_seconds += shared
        result.timings[probe.id] = time.perf_counter() - start - shared
    return result


def weaken_template_default(view: RepoView, finding: Finding) -> Finding:
    """Evidence in an unchanged copy of a course template file is only a hint (weak)."""
    if finding.strength != STRONG or not finding.path or TEMPLATE_DEFAULT in finding.flags:
        return finding
    source = view.template_default(finding.path)
    if not source:
        return finding
    return replace(
        finding,
        strength=WEAK,
        flags=(*finding.flags, TEMPLATE_DEFAULT),
        message=f"{finding.message} (unchanged template default {source.split('@')[0]})",
        data={**finding.data, "template_source": source},
    )


def _last_frame(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return ""
    return f" ({tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno})"
