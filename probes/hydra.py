"""Probe `hydra`: Hydra in code, config trees, sweepers, and experiment config files.

Emits ``hydra.main`` (``@hydra.main``, ``compose``/``initialize`` calls), ``hydra.config-tree``
(configs with a defaults list), ``hydra.sweeper``, ``hydra.dependency`` (declared, never used)
and ``config.experiment-file`` (YAML/TOML with hyperparameters).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from probes.dependencies import dependency_only
from verifier.code_evidence import code_finding
from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.lazy_re import lazy
from verifier.probe import Probe
from verifier.repo.commands import run_commands
from verifier.repo.view import RepoView

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


HYDRA_CALLS = (
    "hydra.main",
    "hydra.compose",
    "hydra.initialize",
    "hydra.initialize_config_dir",
    "hydra.initialize_config_module",
    "hydra.utils.instantiate",
)
CONFIG_DIRS = {"configs", "config", "conf", "cfg", "hparams", "experiments"}
HYPERPARAMETER = regex(
    r"^[ \t]*(lr|learning[_-]?rate|batch[_-]?size|epochs|max[_-]?epochs|n[_-]?epochs|num[_-]?epochs"
    r"|optimizer|seed|hidden[_-]?(size|dim)|dropout|weight[_-]?decay|momentum)[ \t]*[:=]",
    re.I | re.M,
)
NOT_EXPERIMENT = regex(
    r"(^|/)(\.github|\.dvc|\.devcontainer)/|(^|/)(\.pre-commit-config|docker-compose|compose"
    r"|cloudbuild[^/]*|dvc|mkdocs|environment|codecov|\.gitlab-ci|\.readthedocs)\.ya?ml$"
    r"|\.lock$|(^|/)(pyproject|poetry\.lock|uv\.lock)",
    re.I,
)
MAX_CONFIG_FINDINGS = 20


def _run(view: RepoView) -> Iterator[Finding]:
    used = False
    for path, facts in view.iter_python():
        hits = [d for d in facts.decorators if d.name == "hydra.main"]
        hits += [c for c in facts.calls if c.name in HYDRA_CALLS[1:5]]
        for hit in hits[:1]:
            used = True
            yield code_finding(
                PROBE, view, "hydra.main", path, hit.line, f"{hit.name} loads the configuration"
            )
    yield from _configs(view)
    yield from _multirun(view)
    if not used:
        finding = dependency_only(
            PROBE, view, "hydra.dependency", ("hydra-core",), "hydra-core is declared but no code uses Hydra"
        )
        if finding:
            yield finding


def _is_config_path(path: str) -> bool:
    return bool(set(path.split("/")[:-1]) & CONFIG_DIRS)


def _configs(view: RepoView) -> Iterator[Finding]:
    experiment_files = 0
    tree_reported = False
    sweeper_reported = False
    for path in view.files:
        if view.is_artifact(path):
            continue
        if not path.endswith((".yaml", ".yml", ".toml")) or NOT_EXPERIMENT.search(path):
            continue
        in_config_dir = _is_config_path(path)
        text = view.text(path) if in_config_dir or (view.size(path) or 0) < 100_000 else None
        if not text:
            continue
        hyper = HYPERPARAMETER.search(text)
        if not (in_config_dir or hyper):
            continue
        data: Any = view.toml(path) if path.endswith(".toml") else view.yaml(path)
        if data is None:
            continue
        if isinstance(data, dict):
            if not tree_reported and isinstance(data.get("defaults"), list):
                tree_reported = True
                line = view.find_line(path, "defaults")
                yield PROBE.at(
                    view,
                    "hydra.config-tree",
                    path,
                    line,
                    strength=WEAK,
                    message="a Hydra config tree (defaults list)",
                )
            if not sweeper_reported and _has_sweeper(data):
                sweeper_reported = True
                line = view.find_line(path, "sweeper") or 1
                yield PROBE.at(
                    view,
                    "hydra.sweeper",
                    path,
                    line,
                    message="a Hydra sweeper for multirun hyperparameter search",
                )
        if hyper and experiment_files < MAX_CONFIG_FINDINGS:
            experiment_files += 1
            line = text[: hyper.start(1)].count("\n") + 1
            yield PROBE.at(
                view,
                "config.experiment-file",
                path,
                line,
                message="an experiment configuration with hyperparameters",
            )


PYTHON_RUN = lazy(r"\b(?:python[\d.]*|uv run|poetry run)\s")
MULTIRUN = lazy(r"--multirun\b|\s-m\s+[\w.+~/-]+=\S")


def _multirun(view: RepoView) -> Iterator[Finding]:
    """``python train.py --multirun lr=1e-3,1e-4`` (or ``-m`` with comma-separated overrides):
    a Hydra sweep run from a script, Makefile, task or workflow (weak when only documented)."""
    runs = [c for c in run_commands(view) if MULTIRUN.search(c.text) and PYTHON_RUN.search(c.text)]
    if not runs:
        return
    run = min(runs, key=lambda c: c.documented)
    yield PROBE.at(
        view,
        "hydra.sweeper",
        run.source,
        run.line,
        "a Hydra multirun sweep: " + run.text[:80] + (" (in documentation)" if run.documented else ""),
        **({"strength": WEAK} if run.documented else {}),
    )


def _has_sweeper(data: dict) -> bool:
    for entry in data.get("defaults") or []:
        if isinstance(entry, dict) and any("sweeper" in str(k) for k in entry):
            return True
        if isinstance(entry, str) and "sweeper" in entry:
            return True
    hydra = data.get("hydra")
    return isinstance(hydra, dict) and "sweeper" in hydra


PROBE = Probe(
    id="hydra",
    description="Hydra (@hydra.main, compose), config trees, sweepers, experiment config files",
    kinds=("hydra.main", "hydra.config-tree", "hydra.sweeper", "hydra.dependency", "config.experiment-file"),
    run=_run,
)
