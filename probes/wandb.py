"""Probe `wandb`: Weights & Biases in code, and W&B sweeps.

``wandb.usage`` is a call that logs (``wandb.init``/``log``/artifacts, a Lightning
``WandbLogger``, ``report_to="wandb"``); an import never called is ``wandb.import-only`` and a
declared dependency never imported is ``wandb.dependency``. ``wandb.sweep`` is a sweep config
(method + parameters) or ``wandb.sweep``/``wandb.agent`` calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from probes.dependencies import dependency_only
from verifier.code_evidence import code_finding
from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.probe import Probe
from verifier.repo.commands import run_commands
from verifier.repo.view import RepoView

USAGE = (
    "wandb.init",
    "wandb.log",
    "wandb.Artifact",
    "wandb.log_artifact",
    "wandb.save",
    "wandb.watch",
    "wandb.Table",
    "wandb.Image",
)
SWEEP_CALLS = ("wandb.sweep", "wandb.agent")
SWEEP_METHODS = {"grid", "random", "bayes"}
AGENT = regex(r"\bwandb\s+(?:agent|sweep)\b")


def _run(view: RepoView) -> Iterator[Finding]:
    used = imported = False
    for path, facts in view.iter_python():
        logging = reporting = sweep = None  # the first call of each sort in the file
        for c in facts.calls:
            name = c.name
            if logging is None and (name in USAGE or name.endswith("WandbLogger")):
                logging = c
            if reporting is None and c.keywords and c.keywords.get("report_to") in ("wandb", ["wandb"]):
                reporting = c
            if sweep is None and name in SWEEP_CALLS:
                sweep = c
        call = logging or reporting  # a W&B call before a Hugging Face report_to="wandb"
        if call is not None:
            used = True
            name = call.name.rsplit(".", 1)[-1] if "Logger" in call.name else call.name
            yield code_finding(PROBE, view, "wandb.usage", path, call.line, f"{name} logs to W&B")
        if sweep is not None:
            yield code_finding(PROBE, view, "wandb.sweep", path, sweep.line, f"{sweep.name} runs a W&B sweep")
        if call is None and facts.imports_module("wandb"):
            imported = True
            first = facts.imports_module("wandb")[0]
            yield PROBE.at(
                view,
                "wandb.import-only",
                path,
                first.line,
                strength=WEAK,
                message="imports wandb but never logs with it",
            )
    agents = [c for c in run_commands(view) if AGENT.search(c.text)]
    configs = list(_sweep_configs(view, agents))
    yield from configs
    if agents and not configs:
        agent = min(agents, key=lambda c: c.documented)  # a script over documentation
        yield PROBE.at(
            view,
            "wandb.sweep",
            agent.source,
            agent.line,
            f"{agent.text[:60]} runs a W&B sweep" + (" (in documentation)" if agent.documented else ""),
            **({"strength": WEAK} if agent.documented else {}),
        )
    if not used and not imported:
        finding = dependency_only(
            PROBE, view, "wandb.dependency", ("wandb",), "wandb is declared but never imported"
        )
        if finding:
            yield finding


def _sweep_configs(view: RepoView, agents: list) -> Iterator[Finding]:
    for path in view.glob("*.yaml", "*.yml"):
        large = (view.size(path) or 0) > 20_000
        if path.startswith(".github/") or ("sweep" not in path.lower() and large):
            continue
        text = view.text(path) or ""
        if "method" not in text or "parameters" not in text:
            continue
        data = view.yaml(path)
        if data is None and agents and re.search(r"^method:\s*(grid|random|bayes)\b", text, re.M):
            # broken YAML, yet a sweep the project runs: evidence, with a note that it does not parse
            agent = agents[0]
            where = f"{agent.source}:{agent.line}" if agent.line else agent.source
            yield PROBE.at(
                view,
                "wandb.sweep",
                path,
                view.find_line(path, "method"),
                f"a W&B sweep config run by `{agent.text[:50]}` ({where}); note: the file does not parse "
                "as YAML at this commit",
                flags=("does-not-parse",),
            )
            continue
        if (
            isinstance(data, dict)
            and str(data.get("method", "")).lower() in SWEEP_METHODS
            and isinstance(data.get("parameters"), dict)
        ):
            line = view.find_line(path, "method")
            metric = data.get("metric")
            yield PROBE.at(
                view,
                "wandb.sweep",
                path,
                line,
                message=f"a W&B sweep config ({data['method']} over "
                f"{', '.join(map(str, data['parameters']))[:80]}"
                + (f", metric {metric.get('name')}" if isinstance(metric, dict) else "")
                + ")",
            )


PROBE = Probe(
    id="wandb",
    description="Weights & Biases logging (init/log, WandbLogger) and sweeps",
    kinds=("wandb.usage", "wandb.import-only", "wandb.dependency", "wandb.sweep"),
    run=_run,
)
