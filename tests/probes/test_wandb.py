"""The wandb probe."""

from __future__ import annotations

from probes.wandb import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import WEAK


def test_init_and_log_are_usage(make_view):
    code = "import wandb as wb\n\n\ndef train():\n    wb.init(project='p')\n    wb.log({'loss': 1})\n"
    [finding] = run(PROBE, make_view({"src/train.py": code}))
    assert (finding.kind, finding.line) == ("wandb.usage", 5)


def test_lightning_logger_is_usage(make_view):
    code = "from lightning.pytorch.loggers import WandbLogger\n\nlogger = WandbLogger(project='p')\n"
    [finding] = run(PROBE, make_view({"train.py": code}))
    assert finding.kind == "wandb.usage" and finding.line == 3


def test_import_only_and_dependency_only_are_weak(make_view):
    [imported] = run(PROBE, make_view({"train.py": "import wandb\n\nx = 1\n"}))
    assert imported.kind == "wandb.import-only" and imported.strength == WEAK
    [declared] = run(
        PROBE, make_view({"pyproject.toml": "[project]\nname='x'\ndependencies=['wandb>=0.17']\n"})
    )
    assert declared.kind == "wandb.dependency" and declared.strength == WEAK


def test_sweep_config_and_calls(make_view):
    sweep = (
        "method: bayes\nmetric:\n  name: val_loss\n  goal: minimize\nparameters:\n  lr:\n    min: 0.0001\n"
    )
    code = "import wandb\nsweep_id = wandb.sweep(sweep={})\nwandb.agent(sweep_id)\n"
    found = kinds(run(PROBE, make_view({"configs/sweep.yaml": sweep, "sweep.py": code})))
    lines = {(f.path, f.line) for f in found["wandb.sweep"]}
    assert lines == {("configs/sweep.yaml", 1), ("sweep.py", 2)}
    assert "val_loss" in next(f for f in found["wandb.sweep"] if f.path.endswith(".yaml")).message


def test_nothing_when_wandb_is_absent(make_view):
    assert run(PROBE, make_view({"train.py": "import torch\n", "config.yaml": "method: x\n"})) == []


def test_binary_python_file_is_skipped(make_view):
    view = make_view({"train.py": b"\x00\x00wandb.init()", "ok.py": "import wandb\nwandb.init()\n"})
    [finding] = run(PROBE, view)
    assert finding.path == "ok.py"
