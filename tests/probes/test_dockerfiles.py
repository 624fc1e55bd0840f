"""The dockerfiles probe and the Dockerfile parser."""

from __future__ import annotations

import pytest

from probes.dockerfiles import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, WEAK
from verifier.repo.dockerfile import parse_dockerfile

API = """\
# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base

RUN pip install \\
    # a comment inside a continuation
    fastapi \\
    uvicorn
EXPOSE 8080
CMD exec uvicorn app:app --port $PORT
"""


def test_parser_joins_continuations_and_keeps_start_lines():
    instructions = parse_dockerfile("Dockerfile", API)
    assert [(i.keyword, i.line) for i in instructions] == [("FROM", 2), ("RUN", 4), ("EXPOSE", 8), ("CMD", 9)]
    assert instructions[1].args == "pip install fastapi uvicorn"


def test_parser_handles_heredocs_and_lower_case():
    text = 'from python:3.11\nrun <<EOF\npip install torch\nEOF\nentrypoint ["python"]\n'
    assert [i.keyword for i in parse_dockerfile("D", text)] == ["FROM", "RUN", "ENTRYPOINT"]


def test_parser_refuses_a_file_without_from():
    with pytest.raises(ValueError, match="no FROM"):
        parse_dockerfile("D", "RUN echo hi\n")


def test_full_dockerfile_is_strong_and_serves_a_port(make_view):
    found = kinds(run(PROBE, make_view({"dockerfiles/api.dockerfile": API})))
    [dockerfile] = found["docker.dockerfile"]
    assert dockerfile.strength == STRONG and dockerfile.line == 2
    assert dockerfile.data["base_images"] == ["python:3.12-slim"]
    assert found["docker.serves-port"][0].line == 9


def test_dockerfile_with_only_from_is_weak(make_view):
    [finding] = run(PROBE, make_view({"Dockerfile": "FROM python:3.11\n"}))
    assert finding.strength == WEAK and "only a base image" in finding.message


def test_no_dockerfile_and_gitkeep_are_ignored(make_view):
    view = make_view({"dockerfiles/.gitkeep": "", "README.md": "FROM x"})
    assert run(PROBE, view) == []
    assert view.notices == []


def test_binary_dockerfile_is_a_notice(make_view):
    view = make_view({"Dockerfile": b"\x00\x01\x02binary"})
    assert run(PROBE, view) == []
    assert any("binary" in n.message for n in view.notices)


def test_compose_services(make_view):
    text = "services:\n  api:\n    build: .\n  train:\n    build: .\n"
    [finding] = run(PROBE, make_view({"docker-compose.yml": text}))
    assert finding.kind == "docker.compose" and finding.data["services"] == ["api", "train"]
