"""The environment probe."""

from __future__ import annotations

from probes.environment import PROBE
from tests.probes.helpers import kinds, run


def test_requirements_pins_lockfile_devcontainer_and_scripts(make_view):
    files = {
        "requirements.txt": "torch==2.3.0\nnumpy==1.26\nhydra-core\n",
        "uv.lock": "version = 1\n",
        ".devcontainer/devcontainer.json": "{}\n",
        "pyproject.toml": "[project]\nname = 'p'\ndependencies = ['torch']\n\n[project.scripts]\ntrain = 'p.train:main'\n",
    }
    found = kinds(run(PROBE, make_view(files)))
    assert found["env.requirements"][0].line == 1
    assert "2 of 3" in found["env.pinned-requirements"][0].message
    assert found["env.lockfile"][0].path == "uv.lock"
    assert found["env.devcontainer"] and found["env.pyproject-dependencies"]
    assert found["env.console-script"][0].line == 6


def test_unpinned_requirements_are_not_pinned(make_view):
    found = kinds(run(PROBE, make_view({"requirements.txt": "torch\nnumpy\n"})))
    assert "env.requirements" in found and "env.pinned-requirements" not in found


def test_undeclared_imports_are_named_with_their_distribution(make_view):
    files = {
        "requirements.txt": "torch\nhydra-core\nopencv-python-headless\n",
        "src/p/train.py": "import os\nimport torch\nimport cv2\nimport sklearn.metrics\nimport yaml\nfrom omegaconf import DictConfig\nfrom p import data\nfrom . import model\n",
        "src/p/data.py": "x = 1\n",
    }
    [finding] = kinds(run(PROBE, make_view(files)))["env.undeclared-imports"]
    assert set(finding.data["packages"]) == {"sklearn", "yaml"}
    assert "sklearn (scikit-learn)" in finding.message and "yaml (pyyaml)" in finding.message
    assert finding.line == 4


def test_nothing_declared_gives_no_undeclared_list(make_view):
    assert run(PROBE, make_view({"a.py": "import torch\n"})) == []
