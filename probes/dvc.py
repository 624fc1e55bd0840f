"""Probe `dvc`: data version control, its remotes, and Google Cloud Storage use.

``dvc.config`` (a ``.dvc/config``), ``dvc.tracked`` (``*.dvc`` files with outputs),
``dvc.pipeline`` (``dvc.yaml``/``dvc.lock`` stages), ``dvc.remote-gcs`` (a ``gs://`` remote),
``dvc.dependency`` (dvc declared, no DVC setup) and ``gcs.client-use`` (GCS from code, weak).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from probes.dependencies import dependency_only
from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

SECTION = regex(r"^\s*\[\s*'?remote\s+\"([^\"]+)\"'?\s*\]", re.I)
URL = regex(r"^\s*url\s*=\s*(\S+)", re.I)
GCS_MODULES = ("google.cloud.storage", "gcsfs")


def remotes(view: RepoView, path: str) -> list[tuple[str, str, int]]:
    """(name, url, line) of each remote in a DVC config file."""
    out = []
    current = None
    for number, line in enumerate(view.lines(path), start=1):
        section = SECTION.match(line)
        if section:
            current = section.group(1)
            continue
        if line.strip().startswith("["):
            current = None
            continue
        url = URL.match(line)
        if url and current:
            out.append((current, url.group(1), number))
    return out


def _run(view: RepoView) -> Iterator[Finding]:
    configs = [p for p in view.files if p == ".dvc/config" or p.endswith("/.dvc/config")]
    gcs_remote = False
    for path in configs:
        found = remotes(view, path)
        yield PROBE.finding(
            "dvc.config",
            path,
            1,
            view.line_text(path, 1) or "[core]",
            message="DVC is set up"
            + (f" with remotes {', '.join(r[0] for r in found)}" if found else " (no remote)"),
            data={"remotes": {name: url for name, url, _ in found}},
        )
        for name, url, line in found:
            if url.startswith("gs://"):
                gcs_remote = True
                yield PROBE.at(
                    view, "dvc.remote-gcs", path, line, message=f"DVC remote {name!r} is a GCP bucket ({url})"
                )
    tracked = []
    for path in view.glob("*.dvc"):
        data = view.yaml(path)
        if isinstance(data, dict) and data.get("outs"):
            tracked.append(path)
    if tracked:
        line = view.find_line(tracked[0], "path:") or 1
        yield PROBE.at(
            view,
            "dvc.tracked",
            tracked[0],
            line,
            message=f"{len(tracked)} file(s) tracked by DVC: {', '.join(tracked[:5])}",
            data={"files": tracked},
        )
    for path in view.glob("dvc.yaml", "dvc.lock"):
        data = view.yaml(path)
        if isinstance(data, dict) and data.get("stages"):
            line = view.find_line(path, "stages:")
            yield PROBE.at(
                view,
                "dvc.pipeline",
                path,
                line,
                message=f"a DVC pipeline with stages {', '.join(map(str, data['stages']))[:80]}",
            )
    if not (configs or tracked):
        finding = dependency_only(
            PROBE,
            view,
            "dvc.dependency",
            ("dvc", "dvc-gs", "dvc-gdrive", "dvc-s3"),
            "dvc is declared but there is no DVC setup",
        )
        if finding:
            yield finding
    if not gcs_remote:
        yield from _gcs_code(view)


def _gcs_code(view: RepoView) -> Iterator[Finding]:
    for path, facts in view.iter_python():
        for module in GCS_MODULES:
            hits = facts.imports_module(module)
            if hits:
                yield PROBE.at(
                    view,
                    "gcs.client-use",
                    path,
                    hits[0].line,
                    strength=WEAK,
                    message=f"uses {module} (a bucket, but not through DVC)",
                )
                return
        for value, line in facts.strings:
            if value.startswith("gs://"):
                yield PROBE.at(
                    view,
                    "gcs.client-use",
                    path,
                    line,
                    strength=WEAK,
                    message="a gs:// path in code (a bucket, but not through DVC)",
                )
                return


PROBE = Probe(
    id="dvc",
    description="DVC setup (.dvc/config remotes, *.dvc, dvc.yaml/lock) and GCS use in code",
    kinds=("dvc.config", "dvc.tracked", "dvc.pipeline", "dvc.remote-gcs", "dvc.dependency", "gcs.client-use"),
    run=_run,
)
