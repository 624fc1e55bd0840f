"""Probe `python-code`: what the project's Python code does for the training side.

Reads the facts every probe shares (one ``ast`` parse per file) and emits: logging
(``logging``/loguru, and metric-only logging), profiling, Lightning modules and trainers,
``nn.Module`` models and training steps, the data module's substance, command line
interfaces, DataLoader workers, distributed training, quantization/compilation/pruning,
optuna studies, Vertex AI clients, and the typing and docstring ratios of the package.
Code that no entry point reaches gives weak evidence (see :mod:`verifier.code_evidence`).
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.code_evidence import code_finding
from verifier.evidence import STUB, TEMPLATE_DEFAULT, WEAK, Finding
from verifier.probe import Probe
from verifier.repo.python_facts import LITERAL_UNKNOWN, PythonFacts
from verifier.repo.view import RepoView

LOGGING_CALLS = (
    "logging.getLogger",
    "logging.basicConfig",
    "logging.config.dictConfig",
    "logging.info",
    "logging.warning",
    "logging.debug",
    "logging.error",
    "loguru.logger.info",
    "loguru.logger.add",
    "loguru.logger.debug",
    "loguru.logger.warning",
    "loguru.logger.error",
    "loguru.logger.success",
)
METRIC_LOGGING = ("self.log", "self.log_dict", "wandb.log", "mlflow.log_metric")
PROFILING_MODULES = (
    "cProfile",
    "pstats",
    "torch.profiler",
    "line_profiler",
    "pyinstrument",
    "snakeviz",
    "memory_profiler",
    "scalene",
)
QUANTIZATION = (
    "torch.ao.quantization",
    "torch.quantization",
    "torch.quantization.quantize_dynamic",
    "torch.ao.quantization.quantize_dynamic",
    "torch.compile",
    "torch.nn.utils.prune",
    "onnxruntime.quantization",
    "ModelPruning",
    "torch.ao.pruning",
)
DISTRIBUTED = (
    "torch.nn.parallel.DistributedDataParallel",
    "torch.distributed.init_process_group",
    "torch.distributed.fsdp",
    "accelerate.Accelerator",
    "torch.nn.DataParallel",
    "torch.distributed.launch",
    "lightning.fabric.Fabric",
)
CLI = (
    "typer.Typer",
    "typer.run",
    "click.command",
    "click.group",
    "argparse.ArgumentParser",
    "fire.Fire",
    "hydra.main",
)
MODEL_BASES = ("nn.Module", "LightningModule", "torch.nn.Module")
ESTIMATOR_HINTS = ("sklearn.", "xgboost.", "lightgbm.", "catboost.", "transformers.")
TRAIN_CALLS = ("optimizer.step", "optim.step", "opt.step", "backward", ".fit", "trainer.train", "Trainer.fit")
DATA_MODULE_NAMES = (
    "data.py",
    "make_dataset.py",
    "dataset.py",
    "datamodule.py",
    "data_loader.py",
    "preprocess.py",
    "dataset_loader.py",
)

KINDS = (
    "code.logging",
    "code.metric-logging",
    "code.profiling",
    "code.lightning-module",
    "code.lightning-trainer",
    "code.model-class",
    "code.training-loop",
    "code.data-module",
    "code.cli",
    "code.dataloader-workers",
    "code.dataloader-no-workers",
    "code.distributed-training",
    "code.quantization",
    "code.optuna",
    "code.vertex-client",
    "code.typing-docs",
    "code.typing-docs-low",
)


def _is_test(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or "/tests/" in f"/{path}"


def _named(name: str, targets: tuple[str, ...]) -> bool:
    return any(name == t or name.startswith(t + ".") or name.endswith("." + t) for t in targets)


def _run(view: RepoView) -> Iterator[Finding]:
    firsts: dict[str, bool] = {}
    loaders: list[tuple[str, object]] = []
    functions = annotated = documented = 0
    for path, facts in view.iter_python():
        if _is_test(path):
            continue
        yield from _file_findings(view, path, facts, firsts)
        if path.endswith(".ipynb"):
            continue  # notebooks give (weak) evidence, but are not the package's code
        loaders += [(path, c) for c in facts.calls if c.name.endswith("DataLoader")]
        if path.rsplit("/", 1)[-1] not in ("setup.py", "tasks.py", "conftest.py", "noxfile.py"):
            for function in facts.functions:
                if function.name.startswith("__") and function.name != "__init__":
                    continue
                functions += 1
                annotated += function.returns_annotated or (
                    function.params and function.annotated_params == function.params
                )
                documented += function.has_docstring
    yield from _dataloaders(view, loaders)
    if functions:
        yield from _typing(view, functions, annotated, documented)


def _once(firsts: dict[str, bool], kind: str) -> bool:
    if firsts.get(kind):
        return False
    firsts[kind] = True
    return True


def _file_findings(view: RepoView, path: str, facts: PythonFacts, firsts: dict) -> Iterator[Finding]:
    def emit(kind: str, line: int | None, message: str, **kw) -> Iterator[Finding]:
        if _once(firsts, f"{kind}:{path}") and _once_per_kind(firsts, kind):
            yield code_finding(PROBE, view, kind, path, line, message, **kw)

    calls = facts.calls
    for call in calls:
        if _named(call.name, LOGGING_CALLS) or call.name.startswith("loguru.logger."):
            yield from emit("code.logging", call.line, f"{call.name} logs events")
            break
    for call in calls:
        if _named(call.name, METRIC_LOGGING):
            yield from emit("code.metric-logging", call.line, f"{call.name} logs metrics", strength=WEAK)
            break
    for imp in facts.imports:
        if any(
            imp.qualified == m or imp.qualified.startswith(m + ".") or imp.module == m
            for m in PROFILING_MODULES
        ):
            yield from emit("code.profiling", imp.line, f"profiles with {imp.qualified}")
            break
    for call in calls:
        profiler = call.keywords.get("profiler")
        if call.name.endswith("Trainer") and profiler not in (None, LITERAL_UNKNOWN, False):
            yield from emit("code.profiling", call.line, f"Lightning Trainer(profiler={profiler!r})")
    for cls in facts.classes:
        if any(b.endswith("LightningModule") for b in cls.bases):
            yield from emit("code.lightning-module", cls.line, f"{cls.name} is a LightningModule")
        if any(b.endswith(MODEL_BASES) for b in cls.bases):
            yield from _model_class(view, path, facts, cls, emit)
    for call in calls:
        if call.name.endswith("Trainer") and "lightning" in call.name.lower():
            yield from emit("code.lightning-trainer", call.line, "a Lightning Trainer")
            break
    for call in calls:
        if (
            any(call.name.endswith(t) for t in TRAIN_CALLS)
            or call.name.endswith(".step")
            and ("optim" in call.name.lower())
        ):
            yield from emit("code.training-loop", call.line, f"{call.name}() trains the model")
            break
    for call in calls:
        if call.name.startswith(ESTIMATOR_HINTS) and call.name.rsplit(".", 1)[-1][:1].isupper():
            yield from emit("code.model-class", call.line, f"uses the estimator {call.name}")
            break
    if path.rsplit("/", 1)[-1] in DATA_MODULE_NAMES:
        yield from _data_module(view, path, facts, emit)
    for call in calls + [d.call for d in facts.decorators if d.call]:
        if _named(call.name, CLI) or call.name.endswith(".command"):
            yield from emit("code.cli", call.line, f"a command line interface ({call.name})")
            break
    for call in calls:
        if _named(call.name, DISTRIBUTED):
            yield from emit("code.distributed-training", call.line, f"{call.name}")
            break
        strategy = str(call.keywords.get("strategy", ""))
        devices = call.keywords.get("devices")
        if call.name.endswith("Trainer") and (
            "ddp" in strategy or "fsdp" in strategy or (isinstance(devices, int) and devices > 1)
        ):
            yield from emit(
                "code.distributed-training",
                call.line,
                f"Trainer(strategy={strategy or None!r}, devices={devices!r})",
            )
            break
    for imp in facts.imports:
        if _named(imp.qualified, QUANTIZATION) or imp.qualified.endswith("ModelPruning"):
            yield from emit("code.quantization", imp.line, f"imports {imp.qualified}")
            break
    for call in calls:
        if _named(call.name, QUANTIZATION) or call.name.endswith(
            ("quantize_dynamic", "prune.l1_unstructured")
        ):
            yield from emit("code.quantization", call.line, f"{call.name}")
            break
    for call in calls:
        if call.name in ("optuna.create_study", "optuna.study.create_study"):
            yield from emit("code.optuna", call.line, "an optuna study")
            break
    for call in calls:
        if call.name.startswith("google.cloud.aiplatform"):
            yield from emit("code.vertex-client", call.line, f"Vertex AI client ({call.name})")
            break


def _once_per_kind(firsts: dict, kind: str) -> bool:
    count = firsts.get(f"#{kind}", 0)
    firsts[f"#{kind}"] = count + 1
    return count < 5  # at most five files per kind, the rest add nothing a grader needs


def _model_class(view, path, facts, cls, emit) -> Iterator[Finding]:
    linears = [c for c in facts.calls if c.name.endswith("nn.Linear")]
    layers = [c for c in facts.calls if ".nn." in f".{c.name}" or c.name.startswith("nn.")]
    dummy = len(linears) == 1 and linears[0].args[:2] == (1, 1) and len(layers) <= 1
    if dummy:
        yield from emit(
            "code.model-class",
            cls.line,
            f"{cls.name} is the template's dummy model (nn.Linear(1, 1))",
            strength=WEAK,
            flags=(TEMPLATE_DEFAULT,),
        )
    else:
        yield from emit("code.model-class", cls.line, f"{cls.name} subclasses {cls.bases[0]}")


def _data_module(view, path, facts: PythonFacts, emit) -> Iterator[Finding]:
    bodies = [f for f in facts.functions if f.name not in ("__init__",)]
    if not bodies:
        return
    stubs = [f for f in bodies if f.is_stub]
    line = bodies[0].line
    if len(stubs) == len(bodies) or (len(stubs) >= len(bodies) / 2 and len(facts.calls) <= 6):
        yield from emit(
            "code.data-module",
            line,
            f"the data module's functions are stubs ({len(stubs)} of {len(bodies)})",
            strength=WEAK,
            flags=(STUB,),
        )
    else:
        yield from emit(
            "code.data-module",
            line,
            f"the data module has {len(bodies) - len(stubs)} functions with real bodies",
        )


def _dataloaders(view: RepoView, loaders: list) -> Iterator[Finding]:
    if not loaders:
        return
    parallel = [
        (path, call)
        for path, call in loaders
        if (w := call.keywords.get("num_workers")) is LITERAL_UNKNOWN
        or (isinstance(w, int) and w > 0)
        or call.keywords.get("persistent_workers") is True
    ]
    if parallel:
        path, call = parallel[0]
        workers = call.keywords.get("num_workers")
        shown = "from config or code" if workers is LITERAL_UNKNOWN else workers
        yield code_finding(
            PROBE, view, "code.dataloader-workers", path, call.line, f"DataLoader with num_workers {shown}"
        )
        return
    path, call = loaders[0]
    yield code_finding(
        PROBE,
        view,
        "code.dataloader-no-workers",
        path,
        call.line,
        f"all {len(loaders)} DataLoader(s) load in one process (num_workers 0 or unset)",
    )


def _typing(view: RepoView, functions: int, annotated: int, documented: int) -> Iterator[Finding]:
    typed, docs = annotated / functions, documented / functions
    data = {
        "functions": functions,
        "annotated": annotated,
        "documented": documented,
        "annotated_ratio": round(typed, 2),
        "documented_ratio": round(docs, 2),
    }
    summary = f"{annotated}/{functions} functions typed, {documented}/{functions} documented"
    if typed >= 0.5 and docs >= 0.3:
        yield PROBE.finding(
            "code.typing-docs",
            None,
            None,
            summary,
            message=f"most functions typed and many documented: {summary}",
            data=data,
        )
    else:
        yield PROBE.finding(
            "code.typing-docs-low",
            None,
            None,
            summary,
            strength=WEAK,
            message=f"few functions typed or documented: {summary}",
            data=data,
        )


PROBE = Probe(
    id="python-code",
    description="training-side code: logging, profiling, Lightning, models and training steps, "
    "data module, CLIs, DataLoader workers, distributed training, quantization, typing ratios",
    kinds=KINDS,
    run=_run,
)
