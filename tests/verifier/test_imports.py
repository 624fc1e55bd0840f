"""The import graph and reachability from entry points."""

from __future__ import annotations

from verifier.repo.imports import build_import_graph, to_networkx


def graph_of(make_view, files):
    view = make_view(files)
    return build_import_graph(view)


def test_modules_reached_from_entry_points(make_view):
    graph = graph_of(
        make_view,
        {
            "pyproject.toml": "[project]\nname='p'\n[project.scripts]\npets = 'pets.cli:main'\n",
            "src/pets/__init__.py": "",
            "src/pets/cli.py": "from pets.train import fit\n\n\ndef main():\n    fit()\n",
            "src/pets/train.py": "from .model import Net\n",
            "src/pets/model.py": "import torch\n",
            "src/pets/api.py": "x = 1\n",
            "src/pets/dead.py": "import torch\n",
            "dockerfiles/api.dockerfile": 'FROM python\nCMD ["uvicorn", "src/pets/api:app", "--port", "80"]\n',
            "tests/test_model.py": "from pets.model import Net\n",
            "scripts/run.py": "import sys\n\nif __name__ == '__main__':\n    print(sys.argv)\n",
        },
    )
    model = graph.context("src/pets/model.py")
    assert model.reachable
    assert any("console script pets" in e for e in model.entry_points)
    assert graph.context("src/pets/api.py").entry_points[0].endswith("(run in dockerfiles/api.dockerfile)")
    assert graph.context("src/pets/__init__.py").reachable  # imported packages run their __init__
    assert graph.context("scripts/run.py").entry_points == ("scripts/run.py (__main__ guard)",)
    dead = graph.context("src/pets/dead.py")
    assert not dead.reachable and dead.entry_points == ()


def test_commands_in_workflows_tasks_and_makefiles_are_entry_points(make_view):
    graph = graph_of(
        make_view,
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: python -m pets.evaluate --fast\n",
            "Makefile": "train:\n\tpython src/pets/train.py\n",
            "src/pets/evaluate.py": "x = 1\n",
            "src/pets/train.py": "y = 2\n",
        },
    )
    assert graph.context("src/pets/evaluate.py").reachable
    assert graph.context("src/pets/train.py").entry_points == ("src/pets/train.py (run in Makefile)",)


def test_exported_to_networkx(make_view):
    graph = graph_of(make_view, {"a.py": "import b\n\nif __name__ == '__main__':\n    pass\n", "b.py": ""})
    digraph = to_networkx(graph)
    assert list(digraph.edges) == [("a.py", "b.py")]
    assert digraph.nodes["b.py"]["reachable"] is True


def test_a_quoted_uvicorn_target_is_an_entry_point(make_view):
    graph = graph_of(
        make_view,
        {
            "src/pets/__init__.py": "",
            "src/pets/api.py": "x = 1\n",
            "dockerfiles/api.dockerfile": 'FROM python\nCMD exec uvicorn "src.pets.api:app" --port $PORT\n',
        },
    )
    assert graph.context("src/pets/api.py").reachable


def test_reachability_keeps_the_first_three_entry_points_and_stays_linear():
    import time
    from collections import deque

    from verifier.repo.imports import MAX_ENTRIES_KEPT, _reach

    chain = [f"pkg/m{i}.py" for i in range(3000)]
    edges = {path: {chain[i + 1]} for i, path in enumerate(chain[:-1])}
    edges[chain[-1]] = set()
    entries = {}
    for i in range(3000):  # every test imports the head of the chain
        test = f"tests/test_{i:04d}.py"
        edges[test] = {chain[0]} if i % 2 else {chain[1500]}
        entries[test] = ["tests"]
    start = time.perf_counter()
    reached = _reach(edges, entries)
    assert time.perf_counter() - start < 2.0  # the naive search is quadratic: 9 million steps

    def naive(node):
        found = []
        for entry in sorted(entries):
            queue, seen = deque([entry]), {entry}
            while queue:
                current = queue.popleft()
                if current == node:
                    found.append(f"{entry} ({entries[entry][0]})")
                    break
                for target in edges.get(current, ()):
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
            if len(found) == MAX_ENTRIES_KEPT:
                break
        return found

    for node in (chain[0], chain[10], chain[1500], chain[-1], "tests/test_0007.py"):
        assert reached[node] == naive(node)
