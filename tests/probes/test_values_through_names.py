"""Values reached through variables, ``**mapping`` and config keys (python-code probe)."""

from __future__ import annotations

from probes.python_code import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, WEAK
from verifier.repo.python_facts import LITERAL_UNKNOWN, parse_python

MAIN = '\n\nif __name__ == "__main__":\n    main()\n'


def test_a_name_is_followed_to_its_assignment_in_the_same_function_only():
    facts = parse_python(
        "t.py",
        "nw = 4\ndef a():\n    nw = 0\n    DataLoader(x, num_workers=nw)\n"
        "def b(nw):\n    DataLoader(x, num_workers=nw)\nDataLoader(x, num_workers=nw)\n",
    )
    values = [c.keywords["num_workers"] for c in facts.calls]
    assert values == [0, LITERAL_UNKNOWN, 4]


def test_a_dict_display_passed_as_keywords_is_read():
    facts = parse_python(
        "t.py",
        "def f(cfg):\n    n = min(4, os.cpu_count())\n    kw = {'num_workers': n, 'batch_size': 8}\n"
        "    return DataLoader(ds, **kw)\n",
    )
    loader = next(c for c in facts.calls if c.name == "DataLoader")
    assert loader.keywords["batch_size"] == 8
    assert loader.keywords["num_workers"] is LITERAL_UNKNOWN and loader.refs["num_workers"] == "min()"
    assert not loader.unknown_keywords


def test_profiler_from_a_hydra_config_key_is_profiling(make_view):
    view = make_view(
        {
            "src/pkg/train.py": "import hydra\nfrom lightning import Trainer\n@hydra.main(config_path='../../configs')\n"
            "def main(cfg):\n    Trainer(profiler=cfg.train.profiler, devices=cfg.train.devices).fit()\n"
            + MAIN,
            "configs/train/train.yaml": "profiler: simple\ndevices: 1\n",
        }
    )
    found = kinds(run(PROBE, view))
    profiling = found["code.profiling"][0]
    assert profiling.strength == STRONG
    assert "configs/train/train.yaml" in profiling.message and "'simple'" in profiling.message
    # a device count set from config (1 there) is the hook, not distributed training
    assert [f.strength for f in found["code.distributed-training"]] == [WEAK]


def test_profiler_switched_off_in_config_is_not_profiling(make_view):
    view = make_view(
        {
            "train.py": "from lightning import Trainer\ndef main(cfg):\n    Trainer(profiler=cfg.profiler).fit()\n"
            + MAIN,
            "config.yaml": "profiler: null\n",
        }
    )
    assert "code.profiling" not in kinds(run(PROBE, view))


def test_lightning_profilers_import_is_profiling(make_view):
    view = make_view(
        {"train.py": "from lightning.pytorch.profilers import SimpleProfiler\nprint(SimpleProfiler)\n" + MAIN}
    )
    assert "lightning.pytorch.profilers" in kinds(run(PROBE, view))["code.profiling"][0].message


def test_profiler_object_assigned_a_few_lines_above_is_profiling(make_view):
    view = make_view(
        {
            "train.py": "import lightning as L\ndef main():\n    profiling = L.pytorch.profilers.AdvancedProfiler()\n"
            "    L.Trainer(profiler=profiling).fit()\n" + MAIN,
        }
    )
    profiling = kinds(run(PROBE, view))["code.profiling"][0]
    assert profiling.strength == STRONG and "Trainer(profiler=AdvancedProfiler())" in profiling.message


def test_devices_from_config_above_one_is_distributed(make_view):
    view = make_view(
        {
            "train.py": "from lightning import Trainer\ndef main(cfg):\n    Trainer(devices=cfg.trainer.devices).fit()\n"
            + MAIN,
            "conf/config.yaml": "trainer:\n  devices: 4\n",
        }
    )
    assert kinds(run(PROBE, view))["code.distributed-training"][0].strength == STRONG


def test_workers_through_an_unreadable_mapping_are_never_contradicted(make_view):
    view = make_view(
        {
            "train.py": "from torch.utils.data import DataLoader\ndef main(opts):\n    DataLoader([], **opts)\n"
            + MAIN
        }
    )
    found = kinds(run(PROBE, view))
    assert "code.dataloader-no-workers" not in found
    assert found["code.dataloader-workers"][0].strength == WEAK


def test_workers_capped_by_cpu_count_through_a_mapping_count(make_view):
    view = make_view(
        {
            "train.py": "import os\nfrom torch.utils.data import DataLoader\ndef main():\n"
            "    n = min(4, os.cpu_count() or 1)\n    kw = {'num_workers': n}\n    DataLoader([], **kw)\n"
            + MAIN
        }
    )
    found = kinds(run(PROBE, view))
    assert "code.dataloader-no-workers" not in found
    assert found["code.dataloader-workers"][0].strength == STRONG


def test_workers_assigned_zero_above_still_contradict(make_view):
    view = make_view(
        {
            "train.py": "from torch.utils.data import DataLoader\ndef main():\n    n = 0\n"
            "    DataLoader([], num_workers=n)\n" + MAIN
        }
    )
    assert "code.dataloader-no-workers" in kinds(run(PROBE, view))
