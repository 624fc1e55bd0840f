"""Declared third-party dependencies: what the repository says it installs.

Computed once per repository view from requirements*.txt, pyproject.toml (PEP 621 dependencies
and optional dependencies, dependency groups, Poetry), environment.yml and setup.cfg.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache

from verifier.compiled import regex
from verifier.repo.view import RepoView

_CACHE: weakref.WeakKeyDictionary[RepoView, dict[str, tuple[str, int | None]]] = weakref.WeakKeyDictionary()
NAME = regex(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
SEPARATORS = regex(r"[-_.]+")


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return SEPARATORS.sub("-", name).lower()


def declared_dependencies(view: RepoView) -> dict[str, tuple[str, int | None]]:
    """Normalised distribution name -> (path, line) of its first declaration."""
    if view not in _CACHE:
        _CACHE[view] = _collect(view)
    return _CACHE[view]


def declares(view: RepoView, *names: str) -> tuple[str, int | None] | None:
    deps = declared_dependencies(view)
    for name in names:
        found = deps.get(normalise(name))
        if found:
            return found
    return None


def _collect(view: RepoView) -> dict[str, tuple[str, int | None]]:
    found: dict[str, tuple[str, int | None]] = {}

    def add(name: str, path: str, line: int | None) -> None:
        found.setdefault(normalise(name), (path, line))

    for path in view.glob("requirements*.txt", "requirements*.in", "*requirements.txt"):
        for number, raw in enumerate(view.lines(path), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line or line.startswith(("-", "http:", "https:", "git+")):
                continue
            match = NAME.match(line)
            if match:
                add(match.group(1), path, number)
    for path in view.glob("pyproject.toml"):
        data = view.toml(path) or {}
        for spec in _pyproject_specs(data):
            match = NAME.match(spec)
            if match:
                add(match.group(1), path, view.find_line(path, match.group(1)))
    for path in view.glob("environment.yml", "environment.yaml"):
        data = view.yaml(path)
        if isinstance(data, dict):
            for entry in data.get("dependencies") or []:
                specs = entry.get("pip", []) if isinstance(entry, dict) else [entry]
                for spec in specs:
                    match = NAME.match(str(spec))
                    if match:
                        add(match.group(1), path, view.find_line(path, match.group(1)))
    for path in view.glob("setup.cfg"):
        text = view.text(path) or ""
        block = re.search(r"install_requires\s*=\s*\n((?:[ \t]+\S.*\n?)+)", text)
        if block:
            for spec in block.group(1).split("\n"):
                match = NAME.match(spec)
                if match:
                    add(match.group(1), path, view.find_line(path, spec.strip()))
    return found


def _pyproject_specs(data: dict) -> list[str]:
    specs: list[str] = []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    specs += [s for s in project.get("dependencies", []) or [] if isinstance(s, str)]
    optional = project.get("optional-dependencies") or {}
    if isinstance(optional, dict):
        for group in optional.values():
            specs += [s for s in group or [] if isinstance(s, str)]
    groups = data.get("dependency-groups") or {}
    if isinstance(groups, dict):
        for group in groups.values():
            specs += [s for s in group or [] if isinstance(s, str)]
    poetry = (data.get("tool") or {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(poetry, dict):
        for key in ("dependencies", "dev-dependencies"):
            specs += [str(k) for k in (poetry.get(key) or {}) if str(k).lower() != "python"]
        for group in (poetry.get("group") or {}).values():
            if isinstance(group, dict):
                specs += [str(k) for k in (group.get("dependencies") or {})]
    return specs
