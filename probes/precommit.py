"""Probe `pre-commit`: the hooks in ``.pre-commit-config.yaml``.

The course template ships a config with only the four basic ``pre-commit-hooks`` hooks; a
config that still holds exactly those is reported as the unchanged template default (weak).
Lint and type-check hooks also count for the code-style and typing items; a ``ci:`` section
means pre-commit.ci, which runs outside the repository.
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.evidence import TEMPLATE_DEFAULT, WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

TEMPLATE_HOOKS = frozenset(
    {"trailing-whitespace", "end-of-file-fixer", "check-yaml", "check-added-large-files"}
)
LINT_HOOKS = frozenset(
    {
        "ruff",
        "ruff-format",
        "ruff-check",
        "flake8",
        "black",
        "pylint",
        "isort",
        "autopep8",
        "black-jupyter",
        "pycodestyle",
    }
)
TYPECHECK_HOOKS = frozenset({"mypy", "pyright", "pytype"})


def _hooks(data: dict) -> list[str]:
    ids = []
    for repo in data.get("repos") or []:
        if isinstance(repo, dict):
            for hook in repo.get("hooks") or []:
                if isinstance(hook, dict) and hook.get("id"):
                    ids.append(str(hook["id"]))
    return ids


def _run(view: RepoView) -> Iterator[Finding]:
    for path in view.glob(".pre-commit-config.yaml", ".pre-commit-config.yml"):
        data = view.yaml(path)
        if not isinstance(data, dict):
            continue
        hooks = _hooks(data)
        # pre-commit reads the config at the top of the git repository only
        unused = "/" in path
        if hooks and unused:
            first = _hook_line(view, path, hooks[0])
            yield PROBE.at(
                view,
                "precommit.config",
                path,
                first,
                strength=WEAK,
                message=f"{len(hooks)} hooks in {path}, which pre-commit never reads: it uses "
                ".pre-commit-config.yaml at the top of the repository",
                data={"hooks": hooks},
            )
            continue
        if hooks:
            first = _hook_line(view, path, hooks[0])
            if set(hooks) <= TEMPLATE_HOOKS:
                yield PROBE.at(
                    view,
                    "precommit.config",
                    path,
                    first,
                    strength=WEAK,
                    flags=(TEMPLATE_DEFAULT,),
                    message="only the course template's default hooks: "
                    + ", ".join(hooks)
                    + " (unchanged template default)",
                    data={"hooks": hooks},
                )
            else:
                yield PROBE.at(
                    view,
                    "precommit.config",
                    path,
                    first,
                    message=f"{len(hooks)} pre-commit hooks: {', '.join(hooks[:8])}",
                    data={"hooks": hooks},
                )
        for hook in hooks:
            if hook in LINT_HOOKS:
                line = _hook_line(view, path, hook)
                yield PROBE.at(view, "precommit.lint-hook", path, line, message=f"pre-commit runs {hook}")
            if hook in TYPECHECK_HOOKS:
                line = _hook_line(view, path, hook)
                yield PROBE.at(
                    view, "precommit.typecheck-hook", path, line, message=f"pre-commit runs {hook}"
                )
        if "ci" in data:
            line = view.find_line(path, "ci:")
            yield PROBE.at(
                view,
                "precommit.ci-section",
                path,
                line,
                strength=WEAK,
                message="a ci: section (pre-commit.ci runs outside the repository)",
            )


def _hook_line(view: RepoView, path: str, hook: str) -> int | None:
    for needle in (f"id: {hook}\n", f"id: {hook}"):
        for number, line in enumerate(view.lines(path), start=1):
            if line.strip().lstrip("- ").strip() == needle.strip():
                return number
    return view.find_line(path, hook)


PROBE = Probe(
    id="pre-commit",
    description=".pre-commit-config.yaml hooks; lint and type-check hooks; pre-commit.ci",
    kinds=("precommit.config", "precommit.lint-hook", "precommit.typecheck-hook", "precommit.ci-section"),
    run=_run,
)
