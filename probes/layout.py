"""Probe `layout`: how well the project's tree matches a generation of the course template.

Three generations are scored: the course's own template (``src/<pkg>/{data,model,train,api,
evaluate,visualize}.py``, ``tests/``, ``dockerfiles/``, ``configs/``, ``reports/figures/``,
``tasks.py`` ...), its 2024 generation (``<pkg>/data/make_dataset.py``, ``<pkg>/models/model.py``,
``train_model.py``, ``Makefile`` ...) and the older data-science cookiecutter (``src/data/make_dataset.py``,
``src/models/train_model.py``, ``predict_model.py``, ``Makefile`` ...). The best score decides;
the missing pieces are listed.
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.evidence import WEAK, Finding
from verifier.probe import Probe
from verifier.repo.view import RepoView

STRONG_SCORE = 0.6
PARTIAL_SCORE = 0.3

COURSE = (
    "{pkg}/data.py",
    "{pkg}/model.py",
    "{pkg}/train.py",
    "{pkg}/api.py",
    "{pkg}/evaluate.py",
    "{pkg}/visualize.py",
    "tests/",
    "dockerfiles/",
    "configs/",
    "reports/figures/",
    "tasks.py",
    "models/",
    "notebooks/",
    "docs/",
    "pyproject.toml",
)
# the course template of 2023-11 to 2024-11: the package at the top, a Makefile, make_dataset.py
COURSE_2024 = (
    "{pkg}/data/make_dataset.py",
    "{pkg}/models/model.py",
    "{pkg}/train_model.py",
    "{pkg}/predict_model.py",
    "{pkg}/visualizations/visualize.py",
    "Makefile",
    "tests/",
    "dockerfiles/",
    "docs/",
    "models/",
    "notebooks/",
    "reports/figures/",
    "pyproject.toml",
    "requirements.txt",
    "requirements_dev.txt",
)
DATA_SCIENCE = (
    "src/data/make_dataset.py",
    "src/models/train_model.py",
    "src/models/predict_model.py",
    "src/features/build_features.py",
    "src/visualization/visualize.py",
    "Makefile",
    "reports/figures/",
    "models/",
    "notebooks/",
    "docs/",
    "tests/",
    "setup.py",
    "requirements.txt",
)


def _package(view: RepoView, files: set[str]) -> str:
    """The package folder, ``src/<name>`` or a top-level ``<name>`` with an ``__init__.py``
    (the one with most Python files), or ``src/pkg`` when there is none."""
    counts: dict[str, int] = {}
    for path in files:
        parts = path.split("/")
        if not path.endswith(".py") or parts[0] in ("tests", "test", "docs", "notebooks"):
            continue
        if len(parts) >= 3 and parts[0] == "src":
            key = f"src/{parts[1]}"
        elif len(parts) >= 2 and f"{parts[0]}/__init__.py" in files:
            key = parts[0]
        else:
            continue
        counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else "src/pkg"


def _present(piece: str, files: set[str], folders: set[str]) -> bool:
    return piece.rstrip("/") in folders if piece.endswith("/") else piece in files


def _run(view: RepoView) -> Iterator[Finding]:
    prefix = f"{view.project_dir}/" if view.project_dir else ""
    files = {p[len(prefix) :] for p in view.files if p.startswith(prefix)}
    folders = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
    package = _package(view, files)
    scored = []
    generations = (
        ("course template", COURSE),
        ("course template of 2024", COURSE_2024),
        ("data-science cookiecutter", DATA_SCIENCE),
    )
    for name, pieces in generations:
        expected = [p.format(pkg=package) for p in pieces]
        present = [p for p in expected if _present(p, files, folders)]
        missing = [p for p in expected if p not in present]
        scored.append((len(present) / len(expected), name, present, missing))
    score, name, present, missing = max(scored)
    data = {
        "generation": name,
        "score": round(score, 2),
        "present": present,
        "missing": missing,
        "package": package,
    }
    summary = f"{len(present)}/{len(present) + len(missing)} pieces of the {name} layout"
    where = view.project_dir or None
    if score >= STRONG_SCORE:
        yield PROBE.finding(
            "layout.cookiecutter",
            where,
            None,
            summary,
            message=summary + (f"; missing {', '.join(missing)}" if missing else ""),
            data=data,
        )
    elif score >= PARTIAL_SCORE:
        yield PROBE.finding(
            "layout.partial",
            where,
            None,
            summary,
            strength=WEAK,
            message=f"only {summary}; missing {', '.join(missing)}",
            data=data,
        )


PROBE = Probe(
    id="layout",
    description="how much of a course cookiecutter template's layout the project tree has",
    kinds=("layout.cookiecutter", "layout.partial"),
    run=_run,
)
