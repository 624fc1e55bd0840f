"""The project's module import graph, and which modules its entry points reach.

Entry points: console scripts (``[project.scripts]``), modules with an ``if __name__ ==
"__main__"`` guard, invoke ``tasks.py``, test modules, and the modules or files named in
Dockerfile ``RUN``/``CMD``/``ENTRYPOINT`` lines, workflow ``run:`` steps and Makefile recipes
(``python path.py``, ``python -m pkg.mod``, ``uvicorn pkg.api:app``, ``streamlit run app.py``).
A module is reachable when an entry point imports it, directly or through other modules.

Reachability is a breadth-first search over a plain adjacency map; networkx (whose import costs
more than a whole verification) is loaded only to export the graph (:func:`to_networkx`).
"""

from __future__ import annotations

from collections import deque

from verifier.compiled import regex
from verifier.lazy_re import lazy
from verifier.records import field, record
from verifier.repo.paths import without_dot_slash

QUOTED = lazy(r'"([^"]*)"')

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)

if TYPE_CHECKING:
    from verifier.repo.view import RepoView

PY_FILE = regex(r"(?<![\w/.-])([\w./-]+\.py)\b")
PY_MODULE = regex(r"(?:python[\d.]*|uv run|poetry run)\s+(?:-\w+\s+)*-m\s+([\w.]+)")
APP_TARGET = regex(r"\b(?:uvicorn|gunicorn|hypercorn)\b[^\n]{0,200}?\s[\"']?([\w./-]+):\w+")
MAX_ENTRIES_KEPT = 3


@record(frozen=True)
class CodeContext:
    """Whether a module is reached from an entry point, and from which."""

    reachable: bool
    entry_points: tuple[str, ...]  # up to three, e.g. "console script verify", "tests"

    def to_data(self) -> dict:
        return {"reachable": self.reachable, "entry_points": list(self.entry_points)}


@record
class ImportGraph:
    """The project's modules, their imports of each other, and the entry points."""

    modules: dict[str, str]  # path -> dotted module name
    edges: dict[str, set[str]]  # path -> imported paths
    entries: dict[str, list[str]]  # path -> why it is an entry point
    reached_from: dict[str, list[str]] = field(default_factory=dict)

    def context(self, path: str) -> CodeContext:
        if path not in self.modules:
            return CodeContext(False, ())
        sources = self.reached_from.get(path, [])
        return CodeContext(bool(sources), tuple(sources[:MAX_ENTRIES_KEPT]))


def module_name(path: str) -> str:
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


class _Index:
    """Dotted names (and every dotted suffix of them) to file paths."""

    def __init__(self, modules: dict[str, str]) -> None:
        """``modules``: path -> dotted module name."""
        self.by_suffix: dict[str, list[str]] = {}
        for path, module in modules.items():
            parts = module.split(".")
            for start in range(len(parts)):
                self.by_suffix.setdefault(".".join(parts[start:]), []).append(path)

    def find(self, dotted: str) -> str | None:
        candidates = self.by_suffix.get(dotted)
        if not candidates:
            return None
        # the shortest path is the most specific root (src/pkg/x.py over old/src/pkg/x.py)
        return min(candidates, key=lambda p: (p.count("/"), p))


def build_import_graph(view: RepoView) -> ImportGraph:
    paths = [p for p in view.python_files() if view.python(p) is not None]
    modules = {p: module_name(p) for p in paths}
    index = _Index(modules)
    edges: dict[str, set[str]] = {p: set() for p in paths}
    for path in paths:
        facts = view.python(path)
        package = modules[path].rsplit(".", 1)[0] if "." in modules[path] else ""
        if path.endswith("__init__.py"):
            package = modules[path]
        for imp in facts.imports:
            for target in _targets(imp.module, imp.name, package, index):
                if target != path:
                    edges[path].add(target)
    known = set(paths)
    for path in paths:  # importing a module runs its packages' __init__ files
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        while folder:
            init = f"{folder}/__init__.py"
            if init in known and init != path:
                edges[path].add(init)
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    entries = _entry_points(view, paths, index)
    graph = ImportGraph(modules=modules, edges=edges, entries=entries)
    graph.reached_from = _reach(edges, entries)
    return graph


def _targets(module: str, name: str | None, package: str, index: _Index) -> list[str]:
    if module.startswith("."):
        level = len(module) - len(module.lstrip("."))
        base = package.split(".") if package else []
        base = base[: len(base) - (level - 1)] if level > 1 else base
        module = ".".join([*base, module.lstrip(".")]).strip(".")
    out = []
    if name and name != "*":
        found = index.find(f"{module}.{name}" if module else name)
        if found:
            out.append(found)
    if module:
        found = index.find(module)
        if found:
            out.append(found)
    return out


def _entry_points(view: RepoView, paths: list[str], index: _Index) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}

    def add(path: str | None, why: str) -> None:
        if path and why not in entries.setdefault(path, []):
            entries[path].append(why)

    for path in paths:
        name = path.rsplit("/", 1)[-1]
        facts = view.python(path)
        if facts.has_main_guard:
            add(path, "__main__ guard")
        if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
            add(path, "tests")
        if name == "tasks.py" and any(d.name.endswith("task") for d in facts.decorators):
            add(path, "invoke tasks")
        if name in ("locustfile.py", "app.py", "streamlit_app.py", "main.py"):
            add(path, f"{name} by convention")
    for path in view.glob("pyproject.toml"):
        data = view.toml(path) or {}
        scripts = (data.get("project") or {}).get("scripts") or {}
        poetry = ((data.get("tool") or {}).get("poetry") or {}).get("scripts") or {}
        for script, target in {**scripts, **poetry}.items():
            module = str(target).split(":", 1)[0]
            add(index.find(module), f"console script {script}")
    known = set(paths)
    for source, text in command_texts(view):
        for command_file in PY_FILE.findall(text):
            add(_file(view, command_file, paths, known), f"run in {source}")
        for module in PY_MODULE.findall(text) + APP_TARGET.findall(text):
            add(index.find(module.replace("/", ".").strip(".")), f"run in {source}")
    from verifier.repo.commands import run_commands

    for command in run_commands(view):
        if command.documented:  # `locust -f tests/locustfile.py`, `coverage run -m pytest` in docs
            for command_file in PY_FILE.findall(command.text):
                add(_file(view, command_file, paths, known), f"run in {command.source}:{command.line}")
            for module in PY_MODULE.findall(command.text):
                add(index.find(module), f"run in {command.source}:{command.line}")
    return entries


def _file(view: RepoView, mentioned: str, paths: list[str], known: set[str]) -> str | None:
    mentioned = without_dot_slash(mentioned)
    for candidate in (mentioned, view.project_path(mentioned)):
        if candidate in known:
            return candidate
    matches = [p for p in paths if p.endswith("/" + mentioned)]
    return min(matches, key=len) if matches else None


def command_texts(view: RepoView):
    """(source, text) of every command the repository runs: Dockerfiles, workflows, Makefiles,
    invoke tasks, shell scripts."""
    from verifier.repo.dockerfile import dockerfiles  # the same notion of a Dockerfile as its probe

    for path in dockerfiles(view):
        for instruction in view.dockerfile(path) or []:
            if instruction.keyword in ("RUN", "CMD", "ENTRYPOINT"):
                args = instruction.args
                if args.startswith("["):
                    args = " ".join(QUOTED.findall(args))
                yield path, args
    for path in view.files:
        if "/.github/workflows/" in f"/{path}" and path.endswith((".yml", ".yaml")):
            workflow = view.workflow(path)
            for job in workflow.jobs if workflow else []:
                for step in job.steps:
                    if step.run:
                        yield path, step.run
        elif path.rsplit("/", 1)[-1] in ("Makefile", "tasks.py") or path.endswith(".sh"):
            text = view.text(path)
            if text:
                yield path, text


def _reach(edges: dict[str, set[str]], entries: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each module, the first entry points (in sorted order) that reach it, at most
    ``MAX_ENTRIES_KEPT``.

    One breadth-first search per entry point, in sorted order, that does not enter a module
    already holding its full list of entry points: everything that module imports was reached
    by the same earlier entry points, so its list is full too. Each module is thus expanded at
    most ``MAX_ENTRIES_KEPT`` times, and the whole is linear in modules and imports.
    """
    reached: dict[str, list[str]] = {}
    for entry in sorted(entries):
        if len(reached.get(entry, ())) >= MAX_ENTRIES_KEPT:
            continue
        label = f"{entry} ({entries[entry][0]})"
        queue = deque([entry])
        seen = {entry}
        while queue:
            node = queue.popleft()
            found = reached.setdefault(node, [])
            found.append(label)
            for target in edges.get(node, ()):
                if target not in seen and len(reached.get(target, ())) < MAX_ENTRIES_KEPT:
                    seen.add(target)
                    queue.append(target)
    return reached


def write_graphml(graph: ImportGraph, path) -> None:
    """Write the import graph as GraphML, for yEd, Gephi or networkx."""
    import networkx as nx

    nx.write_graphml(to_networkx(graph), str(path))


def to_networkx(graph: ImportGraph):
    """The import graph as a ``networkx.DiGraph`` (nodes carry module name and entry reasons)."""
    import networkx as nx

    digraph = nx.DiGraph()
    for path, name in graph.modules.items():
        digraph.add_node(
            path,
            module=name,
            entry="; ".join(graph.entries.get(path, [])),
            reachable=bool(graph.reached_from.get(path)),
        )
    for source, targets in graph.edges.items():
        for target in targets:
            digraph.add_edge(source, target)
    return digraph
