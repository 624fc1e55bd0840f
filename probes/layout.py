"""Probe `layout`: how well the project's tree matches a generation of the course template.

Two generations are scored: the course's own template (``src/<pkg>/{data,model,train,api,
evaluate,visualize}.py``, ``tests/``, ``dockerfiles/``, ``configs/``, ``reports/figures/``,
``tasks.py`` ...) and the older data-science cookiecutter (``src/data/make_dataset.py``,
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
    "src/{pkg}/data.py",
    "src/{pkg}/model.py",
    "src/{pkg}/train.py",
    "src/{pkg}/api.py",
    "src/{pkg}/evaluate.py",
    "src/{pkg}/visualize.py",
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
    """The package folder under src/ (the one with most Python files), or ``pkg``."""
    counts: dict[str, int] = {}
    for path in files:
        parts = path.split("/")
        if len(parts) >= 3 and parts[0] == "src" and path.endswith(".py"):
            counts[parts[1]] = counts.get(parts[1], 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else "pkg"


def _present(piece: str, files: set[str], folders: set[str]) -> bool:
    return piece.rstrip("/") in folders if piece.endswith("/") else piece in files


def _run(view: RepoView) -> Iterator[Finding]:
    prefix = f"{view.project_dir}/" if view.project_dir else ""
    files = {p[len(prefix) :] for p in view.files if p.startswith(prefix)}
    folders = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
    package = _package(view, files)
    scored = []
    for name, pieces in (("course template", COURSE), ("data-science cookiecutter", DATA_SCIENCE)):
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
