"""Probe `tooling`: linters, type checkers and coverage configured, documentation sites, and
project commands (invoke tasks, Makefile targets), plus committed profiling output.

Task and target names that the course templates ship (``preprocess_data``, ``train``, ``test``,
``docker_build``, ... in ``tasks.py``; ``clean``, ``data``, ``lint``, ``requirements`` ... in the
data-science ``Makefile``) are the template's default, so a file with only those is weak.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from verifier.compiled import regex
from verifier.evidence import TEMPLATE_DEFAULT, WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

LINTERS = ("ruff", "black", "flake8", "pylint", "isort", "autopep8", "pycodestyle")
TYPECHECKERS = ("mypy", "pyright", "pytype")
TEMPLATE_TASKS = frozenset(
    {
        "preprocess_data",
        "train",
        "test",
        "docker_build",
        "build_docs",
        "serve_docs",
        "requirements",
        "dev_requirements",
        "create_environment",
        "create_enviroment",
        "clean",
    }
)
TEMPLATE_TARGETS = frozenset(
    {
        "clean",
        "data",
        "lint",
        "requirements",
        "sync_data_to_s3",
        "sync_data_from_s3",
        "create_environment",
        "test_environment",
        "help",
        "train",
        "format",
        "all",
        ".PHONY",
    }
)
TARGET = regex(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", re.M)
DOCKER_BUILD = regex(r"\bdocker\s+(buildx\s+)?build\b|\bdocker\s+compose\s+build\b")
COVERAGE = regex(r"\bcoverage\s+(run|report)\b|--cov\b")
PROFILE_FILES = ("*.prof", "*.pstats", "*.lprof", "*.pt.trace.json", "*.speedscope.json")
DOC_PAGES = (".md", ".rst")

KINDS = (
    "style.linter-config",
    "style.typecheck-config",
    "coverage.config",
    "docs.site",
    "docs.readme-only",
    "tasks.invoke",
    "tasks.makefile",
    "tasks.docker-build",
    "tasks.coverage",
    "profiling.artifact",
)


def _run(view: RepoView) -> Iterator[Finding]:
    yield from _pyproject(view)
    yield from _run_coverage(view)
    for path in view.glob(".flake8", "ruff.toml", ".ruff.toml", ".pylintrc", "pylintrc"):
        yield PROBE.at(view, "style.linter-config", path, 1, message=f"linter configuration {path}")
    for path in view.glob("setup.cfg", "tox.ini"):
        for section, kind in (
            ("[flake8]", "style.linter-config"),
            ("[mypy", "style.typecheck-config"),
            ("[coverage:", "coverage.config"),
            ("[tool:pytest]", None),
        ):
            line = view.find_line(path, section)
            if line and kind:
                yield PROBE.at(view, kind, path, line, message=f"{section.strip('[]:')} configured in {path}")
    for path in view.glob("mypy.ini", ".mypy.ini", "pyrightconfig.json"):
        yield PROBE.at(view, "style.typecheck-config", path, 1, message=f"type checker configuration {path}")
    for path in view.glob(".coveragerc", "codecov.yml", "codecov.yaml", ".codecov.yml"):
        yield PROBE.at(view, "coverage.config", path, 1, message=f"coverage configuration {path}")
    yield from _docs(view)
    yield from _tasks(view)
    yield from _makefiles(view)
    for path in view.glob(*PROFILE_FILES)[:1]:
        yield PROBE.finding(
            "profiling.artifact", path, None, path, message=f"profiling output committed: {path}"
        )


def _section(name: str, tool: dict, message: str) -> dict:
    """A ``[tool.<name>]`` section exactly as the course template ships it is its default,
    even in a pyproject.toml whose other parts changed."""
    from verifier.templates import default_section

    if default_section(name, tool.get(name)):
        return {
            "message": f"{message}: the template's default [tool.{name}] section, unchanged",
            "strength": WEAK,
            "flags": (TEMPLATE_DEFAULT,),
        }
    return {"message": message}


def _pyproject(view: RepoView) -> Iterator[Finding]:
    for path in view.glob("pyproject.toml"):
        tool = (view.toml(path) or {}).get("tool")
        if not isinstance(tool, dict):
            continue
        for name in LINTERS:
            if name in tool:
                line = view.find_line(path, f"[tool.{name}")
                yield PROBE.at(
                    view,
                    "style.linter-config",
                    path,
                    line,
                    **_section(name, tool, f"{name} configured in {path}"),
                )
                break
        for name in TYPECHECKERS:
            if name in tool:
                line = view.find_line(path, f"[tool.{name}")
                yield PROBE.at(
                    view,
                    "style.typecheck-config",
                    path,
                    line,
                    message=f"{name} configured in {path} (runs only if invoked)",
                )
                break
        if "coverage" in tool:
            line = view.find_line(path, "[tool.coverage")
            message = f"coverage configured in {path}"
            yield PROBE.at(view, "coverage.config", path, line, **_section("coverage", tool, message))
        pytest_opts = str(((tool.get("pytest") or {}).get("ini_options") or {}).get("addopts", ""))
        if "--cov" in pytest_opts:
            line = view.find_line(path, "--cov")
            yield PROBE.at(
                view, "coverage.config", path, line, message="pytest runs with coverage (--cov in addopts)"
            )


def _docs(view: RepoView) -> Iterator[Finding]:
    configs = view.glob("mkdocs.yml", "mkdocs.yaml", "conf.py")
    configs = [p for p in configs if not p.endswith("conf.py") or "/docs/" in f"/{p}"]
    for path in configs:
        folder = posixpath.dirname(path)
        if path.endswith("conf.py"):
            pages_dir = folder
        else:
            data = view.yaml(path)
            docs_dir = data.get("docs_dir", "docs") if isinstance(data, dict) else "docs"
            pages_dir = posixpath.normpath(posixpath.join(folder, str(docs_dir)))
        # the site's pages, and documentation written beside it in the config's own folder
        roots = tuple({d + "/" for d in (pages_dir, folder) if d not in ("", ".")}) or ("",)
        pages = [
            p
            for p in view.files
            if p.startswith(roots)
            and p.endswith(DOC_PAGES)
            and not p.lower().endswith("readme.md")
            and "/reports/" not in f"/{p}"
        ]
        words = {p: len((view.text(p) or "").split()) for p in pages[:50]}
        total = sum(words.values())
        message = f"documentation site {path} with {len(pages)} page(s), {total} words"
        if total < 60:
            yield PROBE.at(
                view,
                "docs.site",
                path,
                1,
                strength=WEAK,
                flags=(TEMPLATE_DEFAULT,),
                message=message + " (the template's stub pages only)",
            )
        else:
            biggest = max(words, key=lambda p: words[p])
            yield PROBE.at(view, "docs.site", biggest, 1, message=message)
        return
    readmes = [p for p in view.files if p.lower().endswith("readme.md") and "/reports/" not in f"/{p}"]
    if readmes:
        yield PROBE.at(
            view,
            "docs.readme-only",
            readmes[0],
            1,
            strength=WEAK,
            message=f"README files only ({len(readmes)})",
        )


def _tasks(view: RepoView) -> Iterator[Finding]:
    for path in view.glob("tasks.py"):
        facts = view.python(path)
        if facts is None:
            continue
        decorated = {d.target: d.line for d in facts.decorators if d.name.endswith("task")}
        if not decorated:
            continue
        own = sorted(set(decorated) - TEMPLATE_TASKS)
        line = min(decorated.values())
        if own:
            yield PROBE.at(
                view,
                "tasks.invoke",
                path,
                decorated[own[0]],
                message=f"{len(decorated)} invoke tasks, own: {', '.join(own[:6])}",
                data={"tasks": sorted(decorated)},
            )
        else:
            yield PROBE.at(
                view,
                "tasks.invoke",
                path,
                line,
                strength=WEAK,
                flags=(TEMPLATE_DEFAULT,),
                message=f"only the template's tasks: {', '.join(sorted(decorated))}",
                data={"tasks": sorted(decorated)},
            )
        text = view.text(path) or ""
        yield from _commands(view, path, text)


def _makefiles(view: RepoView) -> Iterator[Finding]:
    for path in view.glob("Makefile", "makefile", "*.mk"):
        text = view.text(path) or ""
        targets = [t for t in TARGET.findall(text) if not t.startswith(".")]
        if not targets:
            continue
        own = [t for t in targets if t not in TEMPLATE_TARGETS]
        first = view.find_line(path, f"{(own or targets)[0]}:")
        if own:
            yield PROBE.at(
                view,
                "tasks.makefile",
                path,
                first,
                message=f"Makefile targets of the project's own: {', '.join(own[:6])}",
            )
        else:
            yield PROBE.at(
                view,
                "tasks.makefile",
                path,
                first,
                strength=WEAK,
                flags=(TEMPLATE_DEFAULT,),
                message="only the cookiecutter's default Makefile targets",
            )
        yield from _commands(view, path, text)


def _run_coverage(view: RepoView) -> Iterator[Finding]:
    """``coverage run`` / ``pytest --cov`` in a shell script, or only in the documentation (weak)."""
    from verifier.repo.commands import run_commands

    runs = [
        c
        for c in run_commands(view)
        if COVERAGE.search(c.text) and (c.documented or c.source.endswith((".sh", ".bash", ".ps1")))
    ]
    if runs:
        run = min(runs, key=lambda c: c.documented)
        message = (
            "a project command measures coverage"
            if not run.documented
            else ("the documentation shows coverage being measured; nothing runs it")
        )
        yield PROBE.at(
            view,
            "tasks.coverage",
            run.source,
            run.line,
            message,
            **({"strength": WEAK} if run.documented else {}),
        )


def _commands(view: RepoView, path: str, text: str) -> Iterator[Finding]:
    for kind, pattern, message in (
        ("tasks.docker-build", DOCKER_BUILD, "a project command builds docker images"),
        ("tasks.coverage", COVERAGE, "a project command measures coverage"),
    ):
        match = pattern.search(text)
        if match:
            line = text[: match.start()].count("\n") + 1
            yield PROBE.at(view, kind, path, line, message=message)


PROBE = Probe(
    id="tooling",
    description="linter / type checker / coverage configuration, documentation sites, invoke "
    "tasks and Makefile targets, committed profiling output",
    kinds=KINDS,
    run=_run,
)
