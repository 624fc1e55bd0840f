"""The layout probe."""

from __future__ import annotations

from probes.layout import PROBE
from tests.probes.helpers import run
from verifier.evidence import WEAK
from verifier.repo.view import RepoView

COURSE = {
    f"src/pets/{m}.py": "x = 1\n" for m in ("data", "model", "train", "api", "evaluate", "visualize")
} | {
    "tests/test_a.py": "",
    "dockerfiles/a.dockerfile": "FROM x\n",
    "configs/c.yaml": "a: 1\n",
    "reports/figures/.gitkeep": "",
    "tasks.py": "",
    "models/.gitkeep": "",
    "pyproject.toml": "",
}


def test_course_layout_scores_with_missing_pieces(make_view):
    [finding] = run(PROBE, make_view(COURSE))
    assert finding.kind == "layout.cookiecutter"
    assert finding.data["score"] == round(13 / 15, 2)
    assert set(finding.data["missing"]) == {"notebooks/", "docs/"}
    assert finding.data["package"] == "src/pets"


def test_old_data_science_layout(make_view):
    files = {
        "src/data/make_dataset.py": "",
        "src/models/train_model.py": "",
        "src/models/predict_model.py": "",
        "src/features/build_features.py": "",
        "src/visualization/visualize.py": "",
        "Makefile": "",
        "reports/figures/a.png": b"\x89PNG",
        "models/.gitkeep": "",
        "requirements.txt": "",
    }
    [finding] = run(PROBE, make_view(files))
    assert finding.kind == "layout.cookiecutter" and finding.data["generation"] == "data-science cookiecutter"


def test_a_few_files_do_not_make_a_layout(make_view):
    [finding] = run(
        PROBE,
        make_view(
            {
                "src/p/model.py": "",
                "src/p/train.py": "",
                "tests/t.py": "",
                "pyproject.toml": "",
                "configs/a.yaml": "",
            }
        ),
    )
    assert finding.kind == "layout.partial" and finding.strength == WEAK
    assert run(PROBE, make_view({"main.py": ""})) == []


def test_layout_is_scored_inside_the_project_folder(make_repo):
    root = make_repo({f"portfolio/{k}": v for k, v in COURSE.items()} | {"README.md": ""})
    [finding] = run(PROBE, RepoView.open(root / "portfolio"))
    assert finding.kind == "layout.cookiecutter" and finding.path == "portfolio"


def test_course_template_of_2024_with_the_package_at_the_top(make_view):
    files = {
        "pets/__init__.py": "",
        "pets/data/__init__.py": "",
        "pets/data/make_dataset.py": "",
        "pets/models/model.py": "",
        "pets/train_model.py": "",
        "pets/predict_model.py": "",
        "Makefile": "",
        "tests/test_x.py": "",
        "dockerfiles/a.dockerfile": "",
        "models/.gitkeep": "",
        "reports/figures/.gitkeep": "",
        "pyproject.toml": "",
        "requirements.txt": "",
    }
    [finding] = run(PROBE, make_view(files))
    assert finding.data["generation"] == "course template of 2024"
    assert finding.data["package"] == "pets" and finding.kind == "layout.cookiecutter"
