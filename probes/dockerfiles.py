"""Probe `dockerfiles`: Dockerfiles, compose files, and containers that serve on a port.

Emits ``docker.dockerfile`` (strong with FROM and RUN/CMD/ENTRYPOINT, weak otherwise),
``docker.compose`` (services defined) and ``docker.serves-port`` (weak: a CMD/ENTRYPOINT that
serves HTTP on ``$PORT`` or with uvicorn/gunicorn/streamlit, a Cloud Run-style service).
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.compiled import regex
from verifier.evidence import WEAK, Finding
from verifier.probe import Probe
from verifier.repo.dockerfile import dockerfiles
from verifier.repo.view import RepoView

COMPOSE_PATTERNS = ("docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml")
SERVER = regex(r"\$\{?PORT\b|\buvicorn\b|\bgunicorn\b|\bstreamlit\s+run\b|\bbentoml\s+serve\b")
ACTIONS = ("RUN", "CMD", "ENTRYPOINT")


def _run(view: RepoView) -> Iterator[Finding]:
    for path in dockerfiles(view):
        instructions = view.dockerfile(path)
        if not instructions:
            continue
        bases = [i.args.split()[0] for i in instructions if i.keyword == "FROM" and i.args]
        first_from = next(i for i in instructions if i.keyword == "FROM")
        starts = [i for i in instructions if i.keyword in ("CMD", "ENTRYPOINT")]
        runs = [i for i in instructions if i.keyword in ACTIONS]
        data = {
            "base_images": bases,
            "entrypoint": starts[-1].args if starts else None,
            "exposed_ports": [i.args for i in instructions if i.keyword == "EXPOSE"],
        }
        if runs:
            yield PROBE.at(
                view,
                "docker.dockerfile",
                path,
                first_from.line,
                message=f"Dockerfile from {', '.join(bases)}"
                + (f", starts {starts[-1].keyword} {starts[-1].args}" if starts else ""),
                data=data,
            )
        else:
            yield PROBE.at(
                view,
                "docker.dockerfile",
                path,
                first_from.line,
                strength=WEAK,
                flags=("stub",),
                message="Dockerfile with only a base image: nothing installed or started",
                data=data,
            )
        for start in starts:
            if SERVER.search(start.args):
                yield PROBE.at(
                    view,
                    "docker.serves-port",
                    path,
                    start.line,
                    strength=WEAK,
                    message="the container serves HTTP (a Cloud Run-style service)",
                )
                break
    for path in view.glob(*COMPOSE_PATTERNS):
        data = view.yaml(path)
        services = data.get("services") if isinstance(data, dict) else None
        if isinstance(services, dict) and services:
            line = view.find_line(path, "services:")
            yield PROBE.at(
                view,
                "docker.compose",
                path,
                line,
                message=f"docker compose with services {', '.join(map(str, services))}",
                data={"services": [str(s) for s in services]},
            )


PROBE = Probe(
    id="dockerfiles",
    description="Dockerfiles (base images, entrypoints), docker compose, containers serving a port",
    kinds=("docker.dockerfile", "docker.compose", "docker.serves-port"),
    run=_run,
)
