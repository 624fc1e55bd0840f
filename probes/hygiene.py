"""Probe `hygiene`: what careful graders notice beyond the checklist.

Secrets committed to the repository (W&B API keys, GCP service-account keys, private keys,
GitHub / AWS / Hugging Face tokens) and model or data binaries committed to git instead of
being versioned with DVC (checkpoints, ONNX files, pickles, large data files, W&B run folders).
A secret is never shown: the snippet names its kind and masks the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from verifier.compiled import regex
from verifier.evidence import Finding
from verifier.lazy_re import LazyPattern, lazy
from verifier.probe import Probe
from verifier.records import field, record
from verifier.repo.paths import without_dot_slash
from verifier.repo.view import RepoView


@record(frozen=True)
class SecretPattern:
    """A kind of secret: a regular expression, tried only on text holding one of its literals.

    The literals are looked for in one scan: with ``in`` for a single one, as one pattern of
    them all for several (one pass instead of one per literal). For a pattern that ignores case
    (its literals written in lower case), text that is all ASCII is looked at lower-cased, where
    ignoring case is lower-casing; other text goes to the pattern of the literals, ignoring case
    as the secret's pattern does (Unicode folds more letters together, a dotless i with i).

    Patterns that must stand as a whole word are written without ``\\b`` at their start (which
    makes the regex engine try every position of every file) and the word boundaries are
    checked after a match instead, with the same meaning as ``\\b``.
    """

    label: str
    literals: tuple[str, ...]  # one of them occurs in any match (in lower case if it ignores case)
    pattern: LazyPattern
    whole_word: bool = False
    scan: LazyPattern = field(init=False, repr=False, compare=False)  # the literals as one pattern

    def __post_init__(self) -> None:
        joined = "|".join(re.escape(literal) for literal in self.literals)
        object.__setattr__(self, "scan", lazy(joined, self.pattern.flags & re.I))

    def search(self, text: str) -> re.Match | None:
        if self.scan.flags and text.isascii():
            lowered = text.lower()
            if not any(literal in lowered for literal in self.literals):
                return None
        elif self.scan.flags or len(self.literals) > 1:
            if not self.scan.search(text):
                return None
        elif self.literals[0] not in text:
            return None
        for match in self.pattern.finditer(text):
            if not self.whole_word or (
                not _word_char(text, match.start() - 1) and not _word_char(text, match.end())
            ):
                return match
        return None


def _word_char(text: str, index: int) -> bool:
    """What ``\\w`` matches, at ``index`` (False outside the text)."""
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    return char.isalnum() or char == "_"


SECRETS = (
    SecretPattern(
        "W&B API key",
        ("wandb_api_key", "wandb.login("),
        lazy(r"(?:WANDB_API_KEY|wandb\.login\([^)]*key)\s*[=:,(]?\s*[\"']?([0-9a-f]{40})\b", re.I),
    ),
    SecretPattern(
        "GCP service-account key",
        ("PRIVATE KEY",),
        lazy(r"\"private_key\"\s*:\s*\"-----BEGIN (?:RSA )?PRIVATE KEY"),
    ),
    SecretPattern(
        "private key",
        ("PRIVATE KEY-----",),
        lazy(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    ),
    SecretPattern(
        "GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        lazy(r"gh[pousr]_[A-Za-z0-9]{36,}"),
        whole_word=True,
    ),
    SecretPattern("AWS access key", ("AKIA",), lazy(r"AKIA[0-9A-Z]{16}"), whole_word=True),
    SecretPattern("Hugging Face token", ("hf_",), lazy(r"hf_[A-Za-z0-9]{34,}"), whole_word=True),
)
SCANNED_SUFFIXES = (
    ".py",
    ".yaml",
    ".yml",
    ".json",
    ".env",
    ".cfg",
    ".ini",
    ".toml",
    ".sh",
    ".txt",
    ".md",
    ".ipynb",
    ".dockerfile",
    ".properties",
)
MODEL_SUFFIXES = (
    ".pt",
    ".pth",
    ".ckpt",
    ".onnx",
    ".pkl",
    ".pickle",
    ".joblib",
    ".h5",
    ".safetensors",
    ".keras",
    ".pb",
    ".tflite",
)
DATA_SUFFIXES = (".csv", ".parquet", ".npy", ".npz", ".feather", ".tsv", ".zip", ".tar", ".gz")
LARGE_DATA = 1_000_000
MAX_SECRET_FINDINGS = 10


def _scanned(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return path.endswith(SCANNED_SUFFIXES) or name.startswith((".env", "Dockerfile"))


def _run(view: RepoView) -> Iterator[Finding]:
    found = 0
    for path in view.files:
        if found >= MAX_SECRET_FINDINGS or not _scanned(path) or (view.size(path) or 0) > 1_000_000:
            continue
        text = view.text(path)
        if not text:
            continue
        for secret in SECRETS:
            match = secret.search(text)
            if match:
                label = secret.label
                line = text[: match.start()].count("\n") + 1
                found += 1
                yield PROBE.finding(
                    "hygiene.secret",
                    path,
                    line,
                    f"{label}: value masked ({len(match.group(0))} characters)",
                    message=f"a {label} committed to the repository: revoke it, remove it from history",
                )
                break
    yield from _binaries(view)
    yield from _missing_references(view)


def _binaries(view: RepoView) -> Iterator[Finding]:
    models = [p for p in view.files if p.lower().endswith(MODEL_SUFFIXES)]
    data = [p for p in view.files if p.lower().endswith(DATA_SUFFIXES) and (view.size(p) or 0) > LARGE_DATA]
    runs = sorted(
        {
            p.split("/wandb/")[0] + "/wandb" if "/wandb/" in p else "wandb"
            for p in view.files
            if p.startswith("wandb/") or "/wandb/run-" in p
        }
    )
    for kind_label, paths in (("model files", models), ("large data files", data)):
        if paths:
            size = sum(view.size(p) or 0 for p in paths)
            yield PROBE.finding(
                "hygiene.binary-artifact",
                paths[0],
                None,
                f"{len(paths)} {kind_label}, {size / 1_000_000:.1f} MB: {', '.join(paths[:3])}",
                message=f"{len(paths)} {kind_label} committed to git ({size / 1_000_000:.1f} MB) "
                "instead of versioned with DVC or kept in a bucket",
                data={"files": paths[:50], "bytes": size},
            )
    if runs:
        count = sum(1 for p in view.files if p.startswith(tuple(r + "/" for r in runs)))
        yield PROBE.finding(
            "hygiene.binary-artifact",
            runs[0],
            None,
            f"W&B run folders committed: {count} files",
            message=f"W&B run output committed to git ({count} files under {', '.join(runs)})",
            data={"folders": runs, "files": count},
        )


RUN_PY = regex(r"\bpython[\d.]*\s+(?:-[a-zA-Z]\s+)*([\w./-]+\.py)\b")
DOCKERFILE_FLAG = regex(r"(?:^|\s)(?:-f|--file)[ =]([\w./-]*[Dd]ockerfile[\w.-]*)")
UNTRACKED_ROOTS = ("data/", "models/", "outputs/", "logs/", "reports/figures/")
MAX_MISSING = 10


def _missing_references(view: RepoView) -> Iterator[Finding]:
    """Files that Dockerfiles, workflows, Makefiles, tasks and scripts refer to but the tree
    lacks (paths under data/ or models/, usually pulled with DVC, are not checked)."""
    from verifier.repo.dockerfile import dockerfiles
    from verifier.repo.imports import command_texts

    files = set(view.files)
    folders = {p.rsplit("/", 1)[0] for p in files if "/" in p}
    folders |= {"/".join(f.split("/")[:i]) for f in folders for i in range(1, f.count("/") + 1)}
    bases = ["", view.project_dir + "/" if view.project_dir else ""]

    def exists(ref: str, near: str) -> bool:
        ref = without_dot_slash(ref).rstrip("/")
        if not ref or ref in (".", ".git") or any(c in ref for c in "*?$"):
            return True
        if (ref + "/").startswith(UNTRACKED_ROOTS):
            return True
        here = near.rsplit("/", 1)[0] + "/" if "/" in near else ""
        return any((b + ref) in files or (b + ref) in folders for b in (*bases, here))

    reported: set[str] = set()
    count = 0
    for source, text in command_texts(view):
        refs = RUN_PY.findall(text) + DOCKERFILE_FLAG.findall(text)
        for ref in refs:
            if count >= MAX_MISSING or ref in reported or exists(ref, source):
                continue
            reported.add(ref)
            count += 1
            line = view.find_line(source, ref)
            yield PROBE.at(
                view,
                "hygiene.missing-reference",
                source,
                line,
                message=f"{source} runs {ref}, which is not in the repository",
            )
    for path in dockerfiles(view):
        for instruction in view.dockerfile(path) or []:
            if instruction.keyword not in ("COPY", "ADD") or "--from" in instruction.args:
                continue
            parts = [p for p in instruction.args.split() if not p.startswith("--")]
            if parts and parts[0].startswith("["):
                continue  # the JSON form: rare, not checked
            for ref in parts[:-1]:
                if count >= MAX_MISSING or ref.startswith(("http://", "https://")) or exists(ref, ""):
                    continue
                count += 1
                yield PROBE.at(
                    view,
                    "hygiene.missing-reference",
                    path,
                    instruction.line,
                    message=f"{path} copies {ref}, which is not in the repository",
                )


PROBE = Probe(
    id="hygiene",
    description="beyond the checklist: committed secrets (masked) and model/data binaries in git",
    kinds=("hygiene.secret", "hygiene.binary-artifact", "hygiene.missing-reference"),
    run=_run,
)
