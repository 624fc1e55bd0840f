"""Run output is recognised by its shape, not by a folder's name."""

from __future__ import annotations

import pytest

from probes.wandb import PROBE as WANDB
from tests.probes.helpers import kinds, run
from verifier.repo.run_output import built_sites, is_run_output

SWEEP = "method: random\nparameters:\n  lr:\n    values: [0.1, 0.01]\n"


@pytest.mark.parametrize(
    "path",
    [
        "wandb/run-20250110_120000-abc123/files/config.yaml",
        "wandb/offline-run-20250110_120000-x1/files/requirements.txt",
        "wandb/latest-run/files/config.yaml",
        "outputs/2025-01-10/12-00-00/.hydra/config.yaml",
        "src/outputs/2025-01-10/12-00-00/train.log",
        "multirun/2025-01-10/12-00-00/0/config.yaml",
        "lightning_logs/version_3/hparams.yaml",
        "mlruns/0/4f2a9c0e1d2b3a4c5d6e7f8091a2b3c4/params/lr",
        "docs/_build/html/index.html",
    ],
)
def test_run_output_shapes(path):
    assert is_run_output(path)


@pytest.mark.parametrize(
    "path",
    [
        "configs/wandb/sweep.yaml",
        "src/pkg/wandb/logger.py",
        "src/outputs/formatting.py",
        "configs/multirun/sweep.yaml",
        "lightning_logs/README.md",
        "mlruns/README.md",
        "docs/_build.py",
        "site/index.md",
    ],
)
def test_the_groups_own_files_in_similarly_named_folders_are_not(path):
    assert not is_run_output(path)


def test_a_built_mkdocs_site_is_output_but_a_site_folder_of_sources_is_not():
    files = {"site/index.html", "site/search/search_index.json", "docs/site/notes.md"}
    sites = built_sites(files)
    assert is_run_output("site/index.html", sites)
    assert not is_run_output("docs/site/notes.md", sites)


def test_a_sweep_config_in_a_wandb_config_folder_counts_and_a_run_copy_does_not(make_view):
    own = kinds(run(WANDB, make_view({"configs/wandb/sweep.yaml": SWEEP})))
    assert own["wandb.sweep"][0].path == "configs/wandb/sweep.yaml"
    copy = make_view({"wandb/run-20250110_120000-abc/files/sweep.yaml": SWEEP})
    assert "wandb.sweep" not in kinds(run(WANDB, copy))


def test_the_quick_look_for_folder_words_never_changes_an_answer(monkeypatch):
    """Paths put together from the shapes' own parts and near misses: the answer is the same
    as when every path goes through the full check."""
    import itertools

    from verifier.repo import run_output

    parts = [
        "wandb", "run-20250110_120000-abc", "latest-run", "debug.log", "outputs", "2025-01-10",
        "multirun", ".hydra", "site-packages", ".ipynb_checkpoints", "lightning_logs", "version_3",
        "mlruns", "0", "_build", "html", "site", "src", "wandb.yaml", "my_wandb", "outputs.py",
        "x.hydra", "build",
    ]  # fmt: skip
    paths = ["/".join(combo) for size in (1, 2, 3) for combo in itertools.product(parts, repeat=size)]
    sites = frozenset({"docs/site/"})
    quick = [
        (is_run_output(p), is_run_output(p, sites), is_run_output("docs/site/" + p, sites)) for p in paths
    ]
    monkeypatch.setattr(run_output, "_FOLDER_WORDS", ("",))  # every path through the full check
    full = [
        (is_run_output(p), is_run_output(p, sites), is_run_output("docs/site/" + p, sites)) for p in paths
    ]
    assert quick == full and any(answer[0] for answer in full) and not all(answer[0] for answer in full)
