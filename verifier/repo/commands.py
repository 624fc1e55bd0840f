"""Command lines the project shows being run, with where each one is written.

Dockerfile ``RUN``/``CMD``/``ENTRYPOINT``, workflow ``run:`` steps, Makefiles, invoke tasks and
shell scripts are commands by nature; in documentation (``docs/``, README files, the report)
only lines that start with a known tool are (``coverage run``, ``pytest --cov``, ``locust -f``,
``wandb agent``, ``python train.py --multirun``). Computed once per repository view.
"""

from __future__ import annotations

import weakref

from verifier.compiled import regex
from verifier.records import record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)

if TYPE_CHECKING:
    from verifier.repo.view import RepoView

TOOLS = (
    r"python[\d.]*|python3|uv run|poetry run|coverage|pytest|locust|wandb|uvicorn|gunicorn|streamlit|"
    r"invoke|make|dvc|docker|torchrun|accelerate"
)
TOOL_COMMAND = regex(rf"(?:^|[`$>]\s*|&&\s*|\s)((?:{TOOLS})\s[^`\n]*)")
TOOL_WORD = regex(TOOLS)  # in every command: a line without one is passed over at one look
DOC_MAX_BYTES = 300_000


@record(frozen=True)
class CommandLine:
    """A shell command written in the repository, and where."""

    source: str  # the file the command is written in
    line: int | None
    text: str
    documented: bool  # written in documentation or the report, not in a file that runs it


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def run_commands(view: RepoView) -> list[CommandLine]:
    if view not in _CACHE:
        _CACHE[view] = list(_collect(view))
    return _CACHE[view]


def _collect(view: RepoView):
    from verifier.repo.imports import command_texts

    for source, text in command_texts(view):
        for line in text.split("\n"):
            stripped = line.strip()
            if stripped:
                yield CommandLine(source, view.find_line(source, stripped[:80]), stripped, False)
    for path in _documents(view):
        if (view.size(path) or 0) > DOC_MAX_BYTES:
            continue
        for number, line in enumerate(view.lines(path), start=1):
            if not TOOL_WORD.search(line):
                continue
            for match in TOOL_COMMAND.finditer(line):
                yield CommandLine(path, number, match.group(1).strip(), True)


def _documents(view: RepoView) -> list[str]:
    out = []
    for path in view.files:
        if not path.lower().endswith((".md", ".rst")) or view.is_artifact(path):
            continue
        parts = path.lower().split("/")
        if parts[-1] in ("readme.md", "readme.rst") or "docs" in parts[:-1] or path == view.report_path:
            out.append(path)
    return out
