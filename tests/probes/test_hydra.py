"""The hydra probe: Hydra in code, config trees, sweepers, experiment configs."""

from __future__ import annotations

from probes.hydra import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import DEPENDENCY_ONLY, WEAK

TRAIN = """\
import hydra
from omegaconf import DictConfig


@hydra.main(config_path="../configs", config_name="config", version_base=None)
def train(cfg: DictConfig) -> None:
    print(cfg.lr)
"""
CONFIG = "defaults:\n  - model: cnn\n  - override hydra/sweeper: optuna\n\nlr: 0.001\nbatch_size: 32\n"


def test_decorator_config_tree_sweeper_and_experiment_file(make_view):
    found = kinds(run(PROBE, make_view({"src/train.py": TRAIN, "configs/config.yaml": CONFIG})))
    assert found["hydra.main"][0].line == 5 and found["hydra.main"][0].path == "src/train.py"
    assert found["hydra.config-tree"][0].strength == WEAK
    assert found["hydra.sweeper"][0].line == 3
    assert found["config.experiment-file"][0].line == 5
    assert "hydra.dependency" not in found


def test_compose_api_counts(make_view):
    code = (
        "from hydra import compose, initialize\n\nwith initialize(config_path='c'):\n    cfg = compose('x')\n"
    )
    found = kinds(run(PROBE, make_view({"nb.py": code})))
    assert found["hydra.main"][0].line == 3


def test_declared_but_unused_hydra_is_weak(make_view):
    found = kinds(run(PROBE, make_view({"requirements.txt": "torch\nhydra-core>=1.3\n", "a.py": "x = 1\n"})))
    [dep] = found["hydra.dependency"]
    assert dep.line == 2 and DEPENDENCY_ONLY in dep.flags and "hydra.main" not in found


def test_ci_and_compose_files_are_not_experiment_configs(make_view):
    view = make_view(
        {
            ".github/workflows/ci.yml": "on: push\njobs: {}\nseed: 1\n",
            "docker-compose.yml": "services: {}\nepochs: 3\n",
            "notes.yaml": "title: x\n",
        }
    )
    assert "config.experiment-file" not in kinds(run(PROBE, view))


def test_python2_file_does_not_hide_the_good_file(make_view):
    view = make_view({"old.py": 'print "hi"\n', "src/train.py": TRAIN})
    assert kinds(run(PROBE, view))["hydra.main"][0].path == "src/train.py"
    assert any(n.path == "old.py" for n in view.notices)
