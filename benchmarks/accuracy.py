"""Verdict accuracy against labelled repositories: how often a flag is right.

Each label file in ``benchmarks/accuracy/gold/`` names a real repository, a commit and, item by
item, what a careful teaching assistant decided (``LABELING.md`` in the shared evaluation folder
describes the procedure). For each file this checks the labelled commit out of the fetched
mirror (``<mirrors>/<owner>+<name>/repo``) into a temporary work tree whose ``origin`` is the
GitHub address (as a grader's clone has), runs ``verify --json`` on it and compares:

- agreement: ticked items whose verdict equals the label;
- flag precision: of the ticked items the verifier flags (unsupported/contradicted), the share
  the label flags too; flag recall: of the ticked items the label flags, the share the verifier
  flags. Both count high-confidence labels only.

    python benchmarks/accuracy.py [--mirrors DIR] [--show] [--verify CMD] [GOLD.yaml ...]

Repositories whose mirror is missing are skipped with a message. Exit status 0 when every
repository scored meets the goal (agreement >= 97 %, flag precision >= 97 %, flag recall
>= 95 %), else 1.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
GOLD_DIR = HERE / "accuracy" / "gold"
FLAGS = frozenset({"unsupported", "contradicted"})
GOALS = {"agreement": 0.97, "flag_precision": 0.97, "flag_recall": 0.95}
# a fetched repository's own git configuration never runs anything here
SAFE_GIT = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "protocol.file.allow=always",
)


@dataclass
class Disagreement:
    repo: str
    item_id: str | None
    text: str
    tool: str
    label: str
    note: str


@dataclass
class Score:
    ticked: int = 0
    agree: int = 0
    tool_flags: int = 0
    true_flags: int = 0
    gold_flags: int = 0
    found_flags: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("ticked", "agree", "tool_flags", "true_flags", "gold_flags", "found_flags"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.disagreements += other.disagreements

    @property
    def agreement(self) -> float:
        return self.agree / self.ticked if self.ticked else 0.0

    @property
    def flag_precision(self) -> float:
        return self.true_flags / self.tool_flags if self.tool_flags else 1.0

    @property
    def flag_recall(self) -> float:
        return self.found_flags / self.gold_flags if self.gold_flags else 1.0

    def meets_goal(self) -> bool:
        return self.ticked > 0 and all(getattr(self, name) >= goal for name, goal in GOALS.items())

    def line(self) -> str:
        return (
            f"ticked={self.ticked} agreement={self.agreement:.1%} ({self.agree}/{self.ticked}) "
            f"flag-precision={self.flag_precision:.1%} ({self.true_flags}/{self.tool_flags}) "
            f"flag-recall={self.flag_recall:.1%} ({self.found_flags}/{self.gold_flags})"
        )


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()[:60]


def load_gold(path: Path) -> dict:
    import yaml

    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(gold, dict) or not {"repo", "commit", "items"} <= gold.keys():
        raise ValueError(f"{path}: a label file needs repo, commit and items")
    return gold


def unfinished(gold: dict) -> bool:
    """A label file still being written says so (``status`` other than ``done``)."""
    return "status" in gold and str(gold["status"]).strip().lower() != "done"


def default_mirrors() -> Path:
    """``../.mirror`` beside the project, else /work/.mirror, else the first guess."""
    guesses = [PROJECT.parent / ".mirror", Path("/work/.mirror")]
    return next((g for g in guesses if g.is_dir()), guesses[0])


def mirror_of(mirrors: Path, repo: str) -> Path:
    return mirrors / repo.replace("/", "+") / "repo"


def checkout(mirror: Path, commit: str, dest: Path, repo: str) -> None:
    """A work tree at ``commit`` whose origin is the GitHub address, as a grader's clone has.

    git runs through the verifier's own git module, which neutralises whatever a fetched
    repository's configuration could run."""
    sys.path.insert(0, str(PROJECT))
    from verifier.repo.gitcmd import clone, run_git

    if not re.fullmatch(r"[0-9a-fA-F]{7,40}", commit):
        raise ValueError(f"{repo}: commit {commit!r} is not a hexadecimal commit id")
    clone(str(mirror), dest, checkout=False)
    run_git(dest, "remote", "set-url", "origin", f"https://github.com/{repo}.git")
    run_git(dest, "checkout", "--quiet", "--detach", commit)


def verify_json(tree: Path, command: str | None = None) -> dict:
    """``verify TREE --json`` as a document: in this process, or through ``command``."""
    if command:
        proc = subprocess.run([*shlex.split(command), str(tree), "--json"], capture_output=True, text=True)
        try:
            return json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise RuntimeError(f"no JSON (exit {proc.returncode}): {proc.stderr[-300:]}") from None
    sys.path.insert(0, str(PROJECT))
    from verifier.render.json_report import to_dict
    from verifier.run import verify

    return to_dict(verify(tree))


def score(gold: dict, doc: dict) -> Score:
    """Compare the verifier's items with the labels of ticked items."""
    items = doc.get("items") or []
    by_id = {i["id"]: i for i in items if i.get("id")}
    by_text = {normalise(i.get("text", "")): i for i in items}
    result = Score()
    for label_item in gold["items"]:
        if not label_item.get("ticked"):
            continue
        found = by_id.get(label_item.get("id")) or by_text.get(normalise(label_item.get("text", "")))
        verdict = (found or {}).get("verdict", "missing")
        label = label_item["label"]
        confident = label_item.get("confidence", "high") == "high"
        result.ticked += 1
        result.agree += verdict == label
        if verdict in FLAGS and confident:
            result.tool_flags += 1
            result.true_flags += label in FLAGS
        if label in FLAGS and confident:
            result.gold_flags += 1
            result.found_flags += verdict in FLAGS
        if verdict != label:
            note = " ".join(str(label_item.get("note", "")).split())
            result.disagreements.append(
                Disagreement(
                    gold["repo"], label_item.get("id"), label_item.get("text", ""), verdict, label, note
                )
            )
    return result


def score_repository(gold: dict, mirrors: Path, command: str | None = None) -> Score:
    mirror = mirror_of(mirrors, gold["repo"])
    with tempfile.TemporaryDirectory(prefix="accuracy-") as tmp:
        tree = Path(tmp) / "repo"
        checkout(mirror, str(gold["commit"]), tree, gold["repo"])
        doc = verify_json(tree, command)
    return score(gold, doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "gold", nargs="*", type=Path, help="label files (default: every file in the gold folder)"
    )
    parser.add_argument(
        "--mirrors", type=Path, default=None, help="folder of fetched mirrors <owner>+<name>/repo"
    )
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    parser.add_argument("--verify", default=None, help="run this command instead of verifying in process")
    args = parser.parse_args(argv)
    mirrors = args.mirrors or default_mirrors()
    golds = args.gold or sorted(GOLD_DIR.glob("*.yaml"))
    pooled = Score()
    scored: list[tuple[str, Score]] = []
    for path in golds:
        gold = load_gold(path)
        if unfinished(gold):
            print(f"{gold['repo']}: skipped, labels not finished (status: {gold['status']})")
            continue
        if not mirror_of(mirrors, gold["repo"]).is_dir():
            print(f"{gold['repo']}: skipped, no mirror at {mirror_of(mirrors, gold['repo'])}")
            continue
        try:
            result = score_repository(gold, mirrors, args.verify)
        except (RuntimeError, ValueError) as exc:
            print(f"{gold['repo']}: not scored: {exc}")
            continue
        if args.show:
            for d in result.disagreements:
                print(f"  {d.repo} {d.item_id}: verifier={d.tool} label={d.label} ({d.note[:110]})")
        print(f"{gold['repo']}: {result.line()}")
        scored.append((gold["repo"], result))
        pooled.add(result)
    print(f"pooled ({len(scored)} repositories): {pooled.line()}")
    return 0 if scored and all(s.meets_goal() for _, s in scored) else 1


if __name__ == "__main__":
    sys.exit(main())
