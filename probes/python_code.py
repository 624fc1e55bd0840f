"""Probe `python-code`: what the project's Python code does for the training side.

Reads the facts every probe shares (one ``ast`` parse per file) and emits: logging
(``logging``/loguru, and metric-only logging), profiling, Lightning modules and trainers,
``nn.Module`` models and training steps, the data module's substance, command line
interfaces, DataLoader workers, distributed training, quantization/compilation/pruning,
optuna studies, Vertex AI clients, and the typing and docstring ratios of the package.
Code that no entry point reaches gives weak evidence (see :mod:`verifier.code_evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from probes.config_values import ConfigValue, config_keys, config_values, describe
from verifier.code_evidence import code_finding
from verifier.compiled import regex
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
    "lightning.pytorch.profilers",
    "lightning.pytorch.profiler",
    "pytorch_lightning.profilers",
    "pytorch_lightning.profiler",
    "torch.autograd.profiler",
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
ESTIMATOR_HINTS = ("sklearn.", "xgboost.", "lightgbm.", "catboost.", "transformers.", "ultralytics.")
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

LOGGING_SET = frozenset(LOGGING_CALLS)
METRIC_LOGGING_SET = frozenset(METRIC_LOGGING)
PROFILING_SET = frozenset(PROFILING_MODULES)
QUANTIZATION_SET = frozenset(QUANTIZATION)
DISTRIBUTED_SET = frozenset(DISTRIBUTED)
CLI_SET = frozenset(CLI)
QUANTIZE_CALLS = frozenset(
    {"quantize_dynamic", "l1_unstructured", "global_unstructured", "random_unstructured"}
)
TRAIN_LAST = frozenset({"backward", "fit"})
TRAINING_KEYWORDS = frozenset({"epochs", "data", "max_epochs", "train_dataset", "dataset"})

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


@lru_cache(maxsize=4096)
def _variants(name: str) -> frozenset[str]:
    """Every dotted prefix and suffix of a name: ``a.b.c`` gives a, a.b, a.b.c, b.c, c."""
    parts = name.split(".")
    out = {".".join(parts[i:]) for i in range(len(parts))}
    out.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(out)


@lru_cache(maxsize=4096)
def _import_kinds(qualified: str, module: str) -> tuple[bool, bool]:
    """Whether an import brings a profiler, and whether it brings quantization or pruning
    (worked out once per imported name: the same imports recur in every file)."""
    profiles = bool((_variants(qualified) | _variants(module)) & PROFILING_SET)
    quantizes = bool(_variants(qualified) & QUANTIZATION_SET) or qualified.endswith("ModelPruning")
    return profiles, quantizes


Lookup = Callable[[str], list[ConfigValue]]


def _set(value: object) -> bool:
    """A configured value that turns a feature on (not None, null, false, 0 or empty)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "none", "null", "false", "0")
    return value not in (None, False, 0, LITERAL_UNKNOWN)


def _trainer(call, name: str, lookup: Lookup) -> Iterator[tuple[str, str, dict]]:
    """Profiler and device settings of a Lightning Trainer, followed to a variable or config key."""
    profiler, ref = call.keywords.get("profiler"), call.refs.get("profiler")
    if profiler not in (None, LITERAL_UNKNOWN, False):
        yield "code.profiling", f"Lightning Trainer(profiler={profiler!r})", {}
    elif ref and ref.endswith("()") and "profil" in ref.lower():
        yield "code.profiling", f"Lightning Trainer(profiler={ref.rsplit('.', 1)[-1]})", {}
    elif ref:
        found = lookup(ref)
        on = [v for v in found if _set(v.value)]
        if on:
            yield "code.profiling", f"Lightning Trainer(profiler={ref}), {describe(on[0])}", {}
        elif not found:
            message = f"Lightning Trainer(profiler={ref}): the value is set elsewhere and not found"
            yield "code.profiling", message, {"strength": WEAK}
    if "lightning" in name.lower():
        yield "code.lightning-trainer", "a Lightning Trainer", {}
    strategy = str(call.keywords.get("strategy", ""))
    devices = call.keywords.get("devices")
    if "ddp" in strategy or "fsdp" in strategy or (isinstance(devices, int) and devices > 1):
        yield "code.distributed-training", f"Trainer(strategy={strategy or None!r}, devices={devices!r})", {}
        return
    refs = {k: call.refs[k] for k in ("strategy", "devices", "num_nodes") if k in call.refs}
    if not refs:
        return
    found = {k: lookup(r) for k, r in refs.items()}
    many = [
        v
        for k, values in found.items()
        for v in values
        if (k != "strategy" and isinstance(v.value, int) and v.value > 1)
        or (k == "strategy" and any(s in str(v.value) for s in ("ddp", "fsdp", "deepspeed")))
    ]
    shown = ", ".join(f"{k}={r}" for k, r in refs.items())
    if many:
        yield "code.distributed-training", f"Trainer({shown}), {describe(many[0])}", {}
    else:
        values = "; ".join(describe(v) for values in found.values() for v in values[:1])
        why = f"the configs give {values}" if values else "the value is set elsewhere"
        message = f"Trainer({shown}) can spread training over devices; {why}"
        yield "code.distributed-training", message, {"strength": WEAK}


def _call_kinds(call, lookup: Lookup) -> Iterator[tuple[str, str, dict]]:
    """(kind, message, extra) for one call; one pass over a file's calls feeds every check.
    What a call's name alone gives is worked out once per name (the same names recur in
    every file); only a ``Trainer`` call is read for its arguments."""
    before, after = _name_kinds(call.name)
    yield from before
    if call.name.rsplit(".", 1)[-1] == "Trainer":
        yield from _trainer(call, call.name, lookup)
    yield from after


_KINDS_BY_NAME: dict[str, tuple[tuple, tuple]] = {}


def _name_kinds(name: str) -> tuple[tuple, tuple]:
    """The kinds a call name gives before and after a Trainer's own (see :func:`_call_kinds`)."""
    known = _KINDS_BY_NAME.get(name)
    if known is None:
        if len(_KINDS_BY_NAME) > 100_000:  # a long batch: keep the memory bounded
            _KINDS_BY_NAME.clear()
        known = _KINDS_BY_NAME[name] = (tuple(_kinds_before_trainer(name)), tuple(_kinds_after_trainer(name)))
    return known


def _kinds_before_trainer(name: str) -> Iterator[tuple[str, str, dict]]:
    variants = _variants(name)
    if variants & LOGGING_SET or name.startswith("loguru.logger."):
        yield "code.logging", f"{name} logs events", {}
    if variants & METRIC_LOGGING_SET:
        yield "code.metric-logging", f"{name} logs metrics", {"strength": WEAK}


def _kinds_after_trainer(name: str) -> Iterator[tuple[str, str, dict]]:
    variants = _variants(name)
    last = name.rsplit(".", 1)[-1]
    # model.train() only switches the mode; train(epochs=..., data=...) (ultralytics, HF) trains
    if name.startswith(ESTIMATOR_HINTS) and last[:1].isupper():
        yield "code.model-class", f"uses the estimator {name}", {}
    if variants & CLI_SET or last == "command":
        yield "code.cli", f"a command line interface ({name})", {}
    if variants & DISTRIBUTED_SET:
        yield "code.distributed-training", name, {}
    if variants & QUANTIZATION_SET or last in QUANTIZE_CALLS:
        yield "code.quantization", name, {}
    if name in ("optuna.create_study", "optuna.study.create_study"):
        yield "code.optuna", "an optuna study", {}
    if name.startswith("google.cloud.aiplatform"):
        yield "code.vertex-client", f"Vertex AI client ({name})", {}


def _file_findings(view: RepoView, path: str, facts: PythonFacts, firsts: dict) -> Iterator[Finding]:
    def emit(kind: str, line: int | None, message: str, **kw) -> Iterator[Finding]:
        # a weak finding (a template's dummy model) never hides a strong one later in the file
        key = f"{kind}:{path}:{kw.get('strength', 'strong')}"
        if _once(firsts, key) and _once_per_kind(firsts, f"{kind}:{kw.get('strength', 'strong')}"):
            yield code_finding(PROBE, view, kind, path, line, message, **kw)

    for imp in facts.imports:
        profiles, quantizes = _import_kinds(imp.qualified, imp.module)
        if profiles:
            yield from emit("code.profiling", imp.line, f"profiles with {imp.qualified}")
        if quantizes:
            yield from emit("code.quantization", imp.line, f"imports {imp.qualified}")
    for cls in facts.classes:
        if any(b.endswith("LightningModule") for b in cls.bases):
            yield from emit("code.lightning-module", cls.line, f"{cls.name} is a LightningModule")
        if any(b.endswith(MODEL_BASES) for b in cls.bases):
            yield from _model_class(view, path, facts, cls, emit)
    if path.rsplit("/", 1)[-1] in DATA_MODULE_NAMES:
        yield from _data_module(view, path, facts, emit)
    yield from _library_model(view, facts, emit)
    yield from _training(facts, emit)
    decorated = [d.call for d in facts.decorators if d.call]

    def lookup(reference: str) -> list[ConfigValue]:
        return config_values(view, reference) if config_keys(reference) else []

    for call in facts.calls + decorated:
        before, after = _name_kinds(call.name)
        if not before and not after and not call.name.endswith("Trainer"):
            continue  # most calls: nothing to say, no generator made
        for kind, message, extra in _call_kinds(call, lookup):
            yield from emit(kind, call.line, message, **extra)


MODEL_NAMES = regex(r"^(?:model|net|network|clf|classifier|estimator|pipeline|regressor)$|_model$", re.I)
LOCAL_NAMES = ("nn.Linear", "torch.nn.Linear", "list", "dict", "open", "super")


# fitting these transforms or embeds data; it does not train the project's model
NOT_TRAINING = (
    "sklearn.manifold",
    "sklearn.decomposition",
    "sklearn.preprocessing",
    "sklearn.feature_extraction",
    "sklearn.cluster",
    "sklearn.impute",
    "umap",
    "openTSNE",
)


TRAINING_CALL_ENDS = ("backward", "step", "fit", "train")  # what a training call's name ends with


def _training_rank(call, built: dict[str, str]) -> int | None:
    """How convincingly a call trains a model (0 best), or None when it does not train one:
    a gradient step or a trainer's fit first, any other fit or train(epochs=...) after, and a
    fit of a transform (TSNE, PCA, a scaler) not at all."""
    name = call.name
    if not name.endswith(TRAINING_CALL_ENDS):
        return None  # most calls, at the cost of one check
    last = name.rsplit(".", 1)[-1]
    lowered = name.lower()
    if last == "backward" or (last == "step" and "optim" in lowered):
        return 0
    if last == "fit":
        owner = built.get(name.rsplit(".", 1)[0], name.rsplit(".", 1)[0])
        if owner.startswith(NOT_TRAINING) or owner.rsplit(".", 1)[-1] in ("TSNE", "PCA", "UMAP"):
            return None
        return 0 if "trainer" in lowered else 1
    if last == "train" and ("trainer" in lowered or TRAINING_KEYWORDS & set(call.keywords)):
        return 1
    return None


def _training(facts: PythonFacts, emit) -> Iterator[Finding]:
    """The most convincing training call of a file (a training loop before a fit)."""
    built = {name: callee for name, _, callee in facts.built}
    ranked = [
        (rank, call.line, call) for call in facts.calls if (rank := _training_rank(call, built)) is not None
    ]
    if ranked:
        rank, line, call = min(ranked, key=lambda r: (r[0], r[1]))
        yield from emit("code.training-loop", line, f"{call.name}() trains the model", data={"rank": rank})


def _project_tops(view: RepoView) -> frozenset[str]:
    """Top-level names of the project's own modules and packages (``src``, ``mypkg``, ``train``)."""
    tops = set()
    for path in view.python_files():
        parts = path.split("/")
        tops.add(parts[0].removesuffix(".py"))
        if parts[0] == "src" and len(parts) > 1:
            tops.add(parts[1].removesuffix(".py"))
    return frozenset(tops)


def _library_model(view: RepoView, facts: PythonFacts, emit) -> Iterator[Finding]:
    """``model = ViT(...)``, ``model = timm.create_model(...)``: a model configured from a library,
    in a file that also trains it (the project need not define a model class of its own)."""
    candidates = [b for b in facts.built if MODEL_NAMES.search(b[0]) and b[2] not in LOCAL_NAMES]
    if not candidates:
        return
    trains = any(
        c.name.rsplit(".", 1)[-1] in TRAIN_LAST or (c.name.endswith(".step") and "optim" in c.name.lower())
        for c in facts.calls
    )
    if not trains:
        return
    own = _project_tops(view)
    libraries = {i.top_level for i in facts.imports if i.module and not i.module.startswith(".")} - own
    for name, line, callee in candidates:
        if callee.split(".", 1)[0] in libraries:
            yield from emit(
                "code.model-class", line, f"{name} = {callee}(...): a library model, trained here"
            )
            return


def _once_per_kind(firsts: dict, kind: str) -> bool:
    count = firsts.get(f"#{kind}", 0)
    firsts[f"#{kind}"] = count + 1
    return count < 5  # at most five files per kind, the rest add nothing a grader needs


def _model_class(view, path, facts, cls, emit) -> Iterator[Finding]:
    linears = [c for c in facts.calls if c.name.endswith("nn.Linear")]
    dummy = (
        len(linears) == 1
        and linears[0].args[:2] == (1, 1)
        and sum(1 for c in facts.calls if ".nn." in f".{c.name}" or c.name.startswith("nn.")) <= 1
    )
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
    if not parallel and (unread := [(p, c) for p, c in loaders if c.unknown_keywords]):
        path, call = unread[0]  # **mapping whose keys cannot be read: workers unknown, never contradicted
        yield code_finding(
            PROBE,
            view,
            "code.dataloader-workers",
            path,
            call.line,
            "DataLoader keyword arguments come from a mapping that cannot be read; num_workers unknown",
            strength=WEAK,
        )
        return
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


# "a bit of code typing" and "document essential parts": both halves present in a real share of
# the functions (one in five typed, one in four documented), not most of them
TYPED_SHARE = 0.2
DOCUMENTED_SHARE = 0.25


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
    if typed >= TYPED_SHARE and docs >= DOCUMENTED_SHARE:
        yield PROBE.finding(
            "code.typing-docs",
            None,
            None,
            summary,
            message=f"typing and documentation beyond a token: {summary}",
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
