"""The python-code probe."""

from __future__ import annotations

from probes.python_code import PROBE
from tests.probes.helpers import kinds, run
from verifier.evidence import STRONG, STUB, TEMPLATE_DEFAULT, WEAK

TRAIN = """\
import logging

import torch
from torch import nn
from torch.utils.data import DataLoader

log = logging.getLogger(__name__)


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        \"\"\"Predict.\"\"\"
        return self.body(x)


def train(workers: int) -> None:
    \"\"\"Train the net.\"\"\"
    loader = DataLoader([], batch_size=4, num_workers=workers)
    model = Net()
    optimizer = torch.optim.Adam(model.parameters())
    for x in loader:
        optimizer.zero_grad()
        model(x).sum().backward()
        optimizer.step()
    log.info("done")
    model = torch.compile(model)


if __name__ == "__main__":
    train(4)
"""


def test_training_code_findings(make_view):
    found = kinds(run(PROBE, make_view({"src/pkg/train.py": TRAIN})))
    assert found["code.model-class"][0].line == 10
    assert found["code.training-loop"][0].strength == STRONG
    assert found["code.logging"][0].line == 7
    assert found["code.dataloader-workers"][0].line == 22
    assert found["code.quantization"][0].snippet.startswith("model = torch.compile")
    [typing] = found["code.typing-docs"]
    assert typing.data["annotated"] == 3 and typing.data["documented"] == 2
    assert found["code.model-class"][0].data["reachable"] is True


def test_single_process_loaders_contradict_distributed_loading(make_view):
    code = TRAIN.replace("num_workers=workers", "num_workers=0")
    found = kinds(run(PROBE, make_view({"train.py": code})))
    assert "code.dataloader-workers" not in found
    assert found["code.dataloader-no-workers"][0].line == 22


def test_template_dummy_model_and_stub_data_module_are_weak(make_view):
    model = "from torch import nn\n\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layer = nn.Linear(1, 1)\n"
    data = 'class MyDataset:\n    def __len__(self) -> int:\n        """Length."""\n\n    def __getitem__(self, i):\n        """Item."""\n'
    found = kinds(run(PROBE, make_view({"src/p/model.py": model, "src/p/data.py": data})))
    [dummy] = found["code.model-class"]
    assert dummy.strength == WEAK and TEMPLATE_DEFAULT in dummy.flags
    [stub] = found["code.data-module"]
    assert stub.strength == WEAK and STUB in stub.flags


def test_code_no_entry_point_reaches_is_weak(make_view):
    code = TRAIN.replace('if __name__ == "__main__":\n    train(4)\n', "")
    found = kinds(run(PROBE, make_view({"scratch/old_train.py": code})))
    finding = found["code.training-loop"][0]
    assert finding.strength == WEAK and "unreachable" in finding.flags
    assert finding.data["reachable"] is False


def test_lightning_cli_distributed_profiling(make_view):
    code = """\
import typer
import lightning as L
from lightning.pytorch.profilers import SimpleProfiler


class Lit(L.LightningModule):
    pass


app = typer.Typer()


@app.command()
def fit() -> None:
    trainer = L.Trainer(strategy="ddp", devices=2, profiler="simple")
    trainer.fit(Lit())


if __name__ == "__main__":
    app()
"""
    found = kinds(run(PROBE, make_view({"cli.py": code})))
    assert found["code.lightning-module"][0].line == 6
    assert found["code.lightning-trainer"][0].line == 15
    assert found["code.cli"][0].line == 10
    assert found["code.distributed-training"][0].line == 15
    assert found["code.profiling"]


def test_tests_and_nothing_else_give_no_code_evidence(make_view):
    test = "import torch\n\n\ndef test_x():\n    assert torch.nn.Linear(1, 1)\n"
    assert run(PROBE, make_view({"tests/test_model.py": test})) == []


def test_notebook_evidence_is_weak_with_the_cell_line(make_view):
    import json

    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# exploring\n"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "import torch\n"]},
            {"cell_type": "code", "source": ["model = torch.compile(torch.nn.Linear(2, 2))\n"]},
        ],
        "nbformat": 4,
    }
    view = make_view({"notebooks/explore.ipynb": json.dumps(notebook)})
    [finding] = kinds(run(PROBE, view))["code.quantization"]
    assert finding.strength == WEAK and "notebook" in finding.flags
    assert finding.line == 4 and finding.snippet.startswith("model = torch.compile")


def test_broken_notebook_is_a_notice(make_view):
    view = make_view(
        {
            "n.ipynb": "{not json",
            "ok.py": "import torch\n\nif __name__ == '__main__':\n    torch.compile(None)\n",
        }
    )
    found = kinds(run(PROBE, view))
    assert found["code.quantization"][0].path == "ok.py"
    assert any(n.path == "n.ipynb" for n in view.notices)


def test_switching_to_train_mode_is_not_training_but_a_training_call_is(make_view):
    mode = (
        "import torch\n\nif __name__ == '__main__':\n    model = torch.nn.Linear(2, 2)\n    model.train()\n"
    )
    assert "code.training-loop" not in kinds(run(PROBE, make_view({"a.py": mode})))
    yolo = (
        "from ultralytics import YOLO\n\nif __name__ == '__main__':\n"
        "    model = YOLO('yolov8n.pt')\n    model.train(data='d.yaml', epochs=3)\n"
    )
    found = kinds(run(PROBE, make_view({"b.py": yolo})))
    assert found["code.training-loop"][0].line == 5
    assert found["code.model-class"][0].line == 4


def _functions(typed: int, documented: int, total: int) -> str:
    out = []
    for i in range(total):
        signature = f"def f{i}(x: int) -> int:" if i < typed else f"def f{i}(x):"
        doc = '    """Does it."""\n' if i < documented else ""
        out.append(f"{signature}\n{doc}    return x\n")
    return "\n\n".join(out) + '\n\nif __name__ == "__main__":\n    f0(1)\n'


def test_a_bit_of_typing_and_documented_essentials_support_typing_docs(make_view):
    # a fifth typed and most documented, or most typed and a quarter documented: "a bit" of each
    for typed, documented in ((2, 10), (8, 3)):
        found = kinds(run(PROBE, make_view({"src/p/core.py": _functions(typed, documented, 10)})))
        assert "code.typing-docs" in found, (typed, documented)
    # typing without any documentation, or a token of typing, stays weak
    for typed, documented in ((4, 0), (1, 10)):
        found = kinds(run(PROBE, make_view({"src/p/core.py": _functions(typed, documented, 10)})))
        assert found["code.typing-docs-low"][0].strength == WEAK, (typed, documented)
        assert "code.typing-docs" not in found


LIBRARY_TRAINING = """\
import torch
from vit_pytorch import ViT


def main() -> None:
    model = ViT(image_size=28, patch_size=4, num_classes=10)
    optimizer = torch.optim.Adam(model.parameters())
    for x, y in []:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
"""


def test_a_library_model_trained_in_the_same_file_is_a_model(make_view):
    found = kinds(run(PROBE, make_view({"src/pkg/train.py": LIBRARY_TRAINING})))
    [model] = found["code.model-class"]
    assert model.strength == STRONG and model.line == 6 and "vit_pytorch.ViT" in model.message


def test_a_library_model_nothing_trains_or_the_projects_own_dummy_is_not(make_view):
    untrained = LIBRARY_TRAINING.replace("loss.backward()", "pass").replace("optimizer.step()", "pass")
    assert "code.model-class" not in kinds(run(PROBE, make_view({"src/pkg/train.py": untrained})))
    own = LIBRARY_TRAINING.replace("from vit_pytorch import ViT", "from pkg.model import ViT")
    view = make_view({"src/pkg/train.py": own, "src/pkg/model.py": "X = 1\n"})
    assert "code.model-class" not in kinds(run(PROBE, view))


def test_the_template_dummy_model_does_not_hide_a_real_model_in_the_same_file(make_view):
    model = (
        "from sklearn.linear_model import LogisticRegression\nfrom sklearn.pipeline import Pipeline\nfrom torch import nn\n\n\n"
        "class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layer = nn.Linear(1, 1)\n\n\n"
        "def create_baseline_model() -> Pipeline:\n    return Pipeline([('clf', LogisticRegression())])\n"
        "\n\nif __name__ == '__main__':\n    create_baseline_model()\n"
    )
    found = kinds(run(PROBE, make_view({"src/p/model.py": model})))
    strengths = sorted(f.strength for f in found["code.model-class"])
    assert strengths == [STRONG, WEAK]


def test_the_training_loop_is_the_evidence_shown_not_a_tsne_fit(make_view):
    from verifier.verdicts import index_findings

    plots = (
        "from sklearn.manifold import TSNE\n\n\ndef embed(x):\n    tsne = TSNE(n_components=2)\n    return tsne.fit(x)\n"
        "\n\nif __name__ == '__main__':\n    embed([])\n"
    )
    estimator = (
        "from sklearn.linear_model import LogisticRegression\n\n\ndef fit(x, y):\n    clf = LogisticRegression()\n"
        "    clf.fit(x, y)\n\n\nif __name__ == '__main__':\n    fit([], [])\n"
    )
    only_tsne = kinds(run(PROBE, make_view({"src/a_plots.py": plots})))
    assert "code.training-loop" not in only_tsne
    findings = run(PROBE, make_view({"src/a_fit.py": estimator, "src/b_train.py": TRAIN}))
    best = index_findings(findings)["code.training-loop"][0]
    assert best.path == "src/b_train.py" and "backward" in best.message
