"""Dockerfile instructions, with continuation lines joined and their starting line kept."""

from __future__ import annotations

import re

from verifier.compiled import regex
from verifier.records import record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)

if TYPE_CHECKING:
    from verifier.repo.view import RepoView

DOCKERFILE_PATTERNS = ("Dockerfile", "Dockerfile.*", "*.dockerfile", "*.Dockerfile", "dockerfile")

HEREDOC = regex(r"<<-?\s*[\"']?(\w+)[\"']?")
DIRECTIVE = regex(r"^#\s*escape\s*=\s*(\S)", re.I)


@record(frozen=True)
class Instruction:
    """One instruction of a Dockerfile."""

    keyword: str  # upper-case: FROM, RUN, CMD, ENTRYPOINT, ...
    args: str
    line: int  # 1-based line where the instruction starts


def parse_dockerfile(path: str, text: str) -> list[Instruction]:
    """Instructions of a Dockerfile. Raises ValueError when it has no FROM at all."""
    lines = text.split("\n")
    escape = "\\"
    for line in lines[:5]:
        match = DIRECTIVE.match(line.strip())
        if match:
            escape = match.group(1)
    out: list[Instruction] = []
    index = 0
    while index < len(lines):
        raw = lines[index]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index + 1
        parts = [stripped]
        while parts[-1].endswith(escape) and index + 1 < len(lines):
            parts[-1] = parts[-1][: -len(escape)].rstrip()
            index += 1
            following = lines[index].strip()
            while (not following or following.startswith("#")) and index + 1 < len(lines):
                index += 1
                following = lines[index].strip()
            parts.append(following)
        joined = " ".join(p for p in parts if p)
        keyword, _, args = joined.partition(" ")
        heredoc = HEREDOC.search(args)
        if heredoc and keyword.upper() in ("RUN", "COPY", "ADD"):
            marker = heredoc.group(1)
            body = []
            while index + 1 < len(lines) and lines[index + 1].strip() != marker:
                index += 1
                body.append(lines[index].strip())
            index += 1  # the closing marker
            args = args + " " + "; ".join(body)
        out.append(Instruction(keyword.upper(), args.strip(), start))
        index += 1
    if not any(i.keyword == "FROM" for i in out):
        raise ValueError("no FROM instruction")
    return out


def dockerfiles(view: RepoView) -> list[str]:
    """The repository's Dockerfiles: by name, and any file in a ``dockerfiles/`` folder that is
    not documentation, a script or a config (groups name them ``train``, ``api.docker``, ...)."""
    paths = set(view.glob(*DOCKERFILE_PATTERNS))
    paths |= {
        p
        for p in view.files
        if "/dockerfiles/" in f"/{p}"
        and not p.rsplit("/", 1)[-1].startswith(".")
        and not p.endswith((".md", ".txt", ".sh", ".py", ".yaml", ".yml", ".json", ".toml"))
    }
    return sorted(paths)
