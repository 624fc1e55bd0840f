"""Speed of `verify`, side by side with what it is measured against, in one run.

1. Real repositories: a fresh `verify --json` process against the course's own `report.py
   check` on the same report (both cold processes with bytecode caches warm). The course script
   is taken from the course repository's history (``--course-mirror``, a git directory), the
   version the group had (the blob of its own ``reports/report.py`` when the history holds it,
   else the last version before the group's last commit), written to a temporary folder and run
   there on a copy of the report; it needs typer, markdown, pydantic and loguru (``pip install
   -e ".[bench]"``). Without ``--course-mirror`` this comparison is skipped, saying so.
2. Marginal cost per file: verify on generated repositories of 200 and 2,000 files (parse
   cache off) against reading every file once and ``ast.parse`` of every Python file once.
3. Time and peak memory of one verification of 20,000 generated files (parse cache off;
   fastest of three fresh processes, the slowest and the highest peak printed beside it).
4. Batch throughput over generated small repositories with ``--jobs 1`` and ``--jobs N``.

    python benchmarks/run.py --course-mirror /path/to/dtu_mlops.git --repo /path/to/clone ...
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE_SCRIPT = "reports/report.py"
SAFE_GIT = ["git", "-c", "core.fsmonitor=", "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@example.com",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


# ---- generated repositories -------------------------------------------------------------------
MODULE = '''"""Module {n}."""
import logging
import torch
import wandb
from torch import nn

log = logging.getLogger(__name__)


class Block{n}(nn.Module):
    def __init__(self, width: int = {n}) -> None:
        super().__init__()
        self.layer = nn.Linear(width, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer(x).relu()


def step_{n}(batch, model, optimizer) -> float:
    """One optimisation step."""
    optimizer.zero_grad()
    loss = model(batch).pow(2).mean()
    loss.backward()
    optimizer.step()
    wandb.log({{"loss": loss.item()}})
    log.info("step done")
    return loss.item()
''' + "\n".join(f"\ndef helper_{{n}}_{k}(x: int) -> int:\n    return x * {k}\n" for k in range(6))


def generate_repository(root: Path, files: int) -> None:
    """A plausible student project: package modules, tests, configs, workflows, a report."""
    example = ROOT / "examples" / "honest-project"
    fixed = {
        "reports/README.md": (example / "reports" / "README.md").read_text(),
        ".github/workflows/tests.yaml": (example / ".github" / "workflows" / "tests.yaml").read_text(),
        ".pre-commit-config.yaml": (example / ".pre-commit-config.yaml").read_text(),
        "Dockerfile": (
            'FROM python:3.12-slim\nCOPY . .\nRUN pip install -e .\nCMD ["python", "-m", "pkg.train"]\n'
        ),
        "pyproject.toml": '[project]\nname = "pkg"\ndependencies = ["torch", "wandb", "hydra-core"]\n',
        ".dvc/config": "['remote \"r\"']\n    url = gs://bucket/store\n",
    }
    for rel, text in fixed.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for n in range(files - len(fixed)):
        if n % 4 == 3:
            path = root / "configs" / f"exp{n}.yaml"
            text = f"lr: 0.00{n % 9 + 1}\nbatch_size: {16 * (n % 4 + 1)}\nepochs: {n % 20}\n"
        elif n % 4 == 2:
            path = root / "tests" / f"test_mod{n}.py"
            text = f"from pkg.mod{n - 1} import step_{n - 1}\n\n\ndef test_{n}():\n    assert step_{n - 1}\n"
        else:
            path = root / "src" / "pkg" / f"mod{n}.py"
            text = MODULE.format(n=n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "generated"]):
        subprocess.run([*SAFE_GIT, *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


# ---- measuring --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds: less disturbed than wall time on a busy machine
    peak: int  # bytes of resident memory
    out: bytes


def run_process(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """One fresh process: its time, CPU time, peak resident memory and standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, out)


def verify_argv(path: Path) -> list[str]:
    return [sys.executable, "-m", "verifier.cli", str(path), "--json"]


def base_env() -> dict:
    """The environment of every timed process: bytecode caches written and used."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def verify_env(cache: bool, cache_dir: Path | None = None) -> dict:
    env = base_env()
    env.pop("VERIFY_NO_CACHE", None)
    if cache:
        if cache_dir is not None:
            env["VERIFY_CACHE_DIR"] = str(cache_dir)
    else:
        env["VERIFY_NO_CACHE"] = "1"
    return env


def wait_for_cache(folder: Path, limit: float = 120.0) -> None:
    """Until the parse cache that a run leaves to a background process is written."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
        if any(p.suffix == ".pickle" and "parses-" in str(p) for p in files) and not any(
            ".tmp" in p.name for p in files
        ):
            return
        time.sleep(0.05)


def best(times: list[float]) -> float:
    """The fastest run: on a shared machine the least disturbed estimate."""
    return min(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.0f} ms"


# ---- 1. real repositories against the course's report.py check ---------------------------------
def course_versions(mirrors: list[Path]) -> list[tuple[int, str, Path]]:
    """(commit time, blob id, mirror) of every version of the course's report script."""
    versions = []
    for mirror in mirrors:
        log = subprocess.run(
            ["git", f"--git-dir={mirror}", "log", "--all", "--format=%H %ct", "--", COURSE_SCRIPT],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split("\n")
        for line in log:
            if not line.strip():
                continue
            commit, when = line.split()
            blob = subprocess.run(
                ["git", f"--git-dir={mirror}", "rev-parse", "--verify", "-q", f"{commit}:{COURSE_SCRIPT}"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if blob:
                versions.append((int(when), blob, mirror))
    return versions


def course_script_for(repo: Path, versions: list[tuple[int, str, Path]]) -> tuple[str, Path, str] | None:
    """The version of the course script the group had: (blob, mirror, how it was chosen)."""
    own = subprocess.run(
        [*SAFE_GIT, "-C", str(repo), "rev-parse", "--verify", "-q", f"HEAD:{COURSE_SCRIPT}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    for _, blob, mirror in versions:
        if blob == own:
            return blob, mirror, "the group's own copy"
    last = subprocess.run(
        [*SAFE_GIT, "-C", str(repo), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=False
    ).stdout.strip()
    before = [v for v in versions if last and v[0] <= int(last)]
    if not before:
        return None
    _, blob, mirror = max(before)
    return blob, mirror, "the version before the group's last commit"


def report_of(repo: Path) -> Path | None:
    """The report verify chose (its JSON says which), else reports/README.md."""
    out = run_process(verify_argv(repo), env=verify_env(cache=False)).out
    try:
        return repo / json.loads(out)["report"]["path"]
    except (ValueError, KeyError, TypeError):
        candidate = repo / "reports" / "README.md"
        return candidate if candidate.exists() else None


def bench_real(repos: list[Path], mirrors: list[Path], repeat: int, course_python: str) -> None:
    print("\n== 1. real repositories: fresh `verify --json` against the course's `report.py check`")
    if not mirrors:
        print("   skipped: no --course-mirror given (the course repository's git directory)")
    if not repos:
        print("   skipped: no --repo given")
        return
    versions = course_versions(mirrors)
    print(
        f"   fastest of {repeat} fresh processes each, taken in turns (bytecode caches warm); verify "
        "with the parse cache off (cold) and again with it filled (warm); cpu = user + system time"
    )
    print(
        f"   {'repository':<38} {'files':>5} | {'course check':>16} | {'verify cold':>16} | "
        f"{'verify warm':>16} | {'ratio warm':>10} {'(cpu)':>6} | largest probe share"
    )
    ratios: list[tuple[float, float]] = []
    for repo in repos:
        report = report_of(repo)
        files = len(
            subprocess.run(
                [*SAFE_GIT, "-C", str(repo), "ls-files"], capture_output=True, text=True
            ).stdout.split()
        )
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache_dir:
            course_argv = prepare_course_check(repo, report, versions, Path(tmp), course_python)
            cold_env = verify_env(cache=False)
            warm_env = verify_env(cache=True, cache_dir=Path(cache_dir))
            run_process(verify_argv(repo), env=cold_env)  # bytecode caches
            run_process(verify_argv(repo), env=warm_env)  # the parse cache
            wait_for_cache(Path(cache_dir))
            course_runs, cold_runs, warm_runs = [], [], []
            for _ in range(repeat):
                if course_argv:
                    course_runs.append(run_process(course_argv, cwd=Path(tmp), env=base_env()))
                cold_runs.append(run_process(verify_argv(repo), env=cold_env))
                warm_runs.append(run_process(verify_argv(repo), env=warm_env))

        def cell(runs: list[Run]) -> str:
            if not runs:
                return f"{'skipped':>16}"
            return f"{ms(best([r.wall for r in runs]))} {best([r.cpu for r in runs]) * 1000:4.0f} cpu"

        ratio = "   -          "
        if course_runs:
            wall = best([r.wall for r in warm_runs]) / best([r.wall for r in course_runs])
            cpu = best([r.cpu for r in warm_runs]) / best([r.cpu for r in course_runs])
            ratios.append((wall, cpu))
            ratio = f"{wall:9.2f}x {cpu:5.2f}x"
        print(
            f"   {repo.name[:38]:<38} {files:>5} | {cell(course_runs)} | {cell(cold_runs)} | "
            f"{cell(warm_runs)} | {ratio} | {largest_probe_share(warm_runs[-1].out)}"
        )
    if ratios:
        walls, cpus = [r[0] for r in ratios], [r[1] for r in ratios]
        print(
            f"   headline: verify (warm) / report.py check = {max(walls):.2f}x at worst, "
            f"{statistics.median(walls):.2f}x median; in cpu time {max(cpus):.2f}x at worst, "
            f"{statistics.median(cpus):.2f}x median (target <= 2x)"
        )
        cold_note = "verify cold is the first run after a change of every file"
        print(f"   ({cold_note}; warm is every later run over an unchanged repository)")


def prepare_course_check(
    repo: Path, report: Path | None, versions: list, folder: Path, course_python: str
) -> list[str] | None:
    """The course script the group had, written into ``folder`` beside a copy of the report;
    the command that runs it, or None (with the reason printed) when it cannot run."""
    if not versions or report is None:
        return None
    chosen = course_script_for(repo, versions)
    if chosen is None:
        print(f"   ({repo.name}: no version of the course script before its last commit)")
        return None
    blob, mirror, _why = chosen
    script = folder / "report.py"
    script.write_bytes(
        subprocess.run(
            ["git", f"--git-dir={mirror}", "cat-file", "blob", blob], capture_output=True, check=True
        ).stdout
    )
    shutil.copyfile(report, folder / "README.md")
    argv = [course_python, str(script), "check"]
    probe = subprocess.run(argv, cwd=folder, capture_output=True, text=True, env=base_env())
    if "ModuleNotFoundError" in probe.stderr:
        print(f"   ({probe.stderr.strip().splitlines()[-1]}; pip install -e '.[bench]')")
        return None
    return argv


def largest_probe_share(output: bytes) -> str:
    try:
        data = json.loads(output)
    except ValueError:
        return "-"
    total = data.get("timings", {}).get("total") or 0
    probes = sorted(data.get("probes", []), key=lambda p: -p.get("seconds", 0))
    if not total or not probes:
        return "-"
    top = probes[0]
    return f"{top['id']} {top['seconds'] / total:.0%} of {total * 1000:.0f} ms"


# ---- 2. marginal cost per file ----------------------------------------------------------------
FLOOR = """
import ast, sys
for rel in sys.stdin.read().split("\\n"):
    if rel:
        with open(rel, "rb") as handle:
            data = handle.read()
        if rel.endswith(".py"):
            ast.parse(data.decode("utf-8"))
"""


def read_and_parse(path: Path) -> Run:
    """A fresh process that reads every tracked file once and ast.parses every Python file once."""
    files = subprocess.run([*SAFE_GIT, "-C", str(path), "ls-files"], capture_output=True, text=True).stdout
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", FLOOR], cwd=path, stdin=subprocess.PIPE, env=base_env())
    proc.stdin.write(files.encode())
    proc.stdin.close()
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped by wait4
    return Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, b"")


def bench_marginal(repeat: int, small: int = 200, large: int = 2000) -> None:
    print(f"\n== 2. marginal cost per file: {small} vs {large} generated files, parse cache off")
    print(
        "   fresh processes, fastest of each, the four measurements taken in turns; the floor reads"
        " every file once and ast.parses each .py once"
    )
    runs: dict[tuple[str, int], list[Run]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for files in (small, large):
            paths[files] = Path(tmp) / f"gen{files}"
            generate_repository(paths[files], files)
            run_process(verify_argv(paths[files]), env=verify_env(cache=False))  # bytecode, page cache
        for _ in range(repeat):
            for files in (small, large):
                path = paths[files]
                runs.setdefault(("verify", files), []).append(
                    run_process(verify_argv(path), env=verify_env(cache=False))
                )
                runs.setdefault(("floor", files), []).append(read_and_parse(path))
    rows = {}
    for files in (small, large):
        verify_runs, floors = runs[("verify", files)], runs[("floor", files)]
        rows[files] = (
            best([r.wall for r in verify_runs]),
            best([r.cpu for r in verify_runs]),
            best([f.wall for f in floors]),
            best([f.cpu for f in floors]),
        )
        v, vc, f, fc = rows[files]
        print(
            f"   {files:>5} files: verify {ms(v)} (cpu {ms(vc).strip()})   "
            f"read + ast.parse {ms(f)} (cpu {ms(fc).strip()})"
        )
    extra = large - small
    per = [(rows[large][i] - rows[small][i]) / extra for i in range(4)]
    print(
        f"   per extra file, wall: verify {per[0] * 1000:.3f} ms, read + ast.parse {per[2] * 1000:.3f} ms, "
        f"ratio {per[0] / per[2]:.2f}x;  cpu: {per[1] * 1000:.3f} ms vs {per[3] * 1000:.3f} ms, "
        f"ratio {per[1] / per[3]:.2f}x (target <= 2x)"
    )


# ---- 3. 20,000 files --------------------------------------------------------------------------
LARGE_RUNS = 3


def bench_large(files: int) -> None:
    print(
        f"\n== 3. one verification of {files:,} generated files, fresh processes, parse cache off"
        f" (fastest of {LARGE_RUNS}, slowest and highest peak beside it)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large"
        generate_repository(path, files)
        runs = [run_process(verify_argv(path), env=verify_env(cache=False)) for _ in range(LARGE_RUNS)]
        run = min(runs, key=lambda r: r.wall)
        seconds, peak = run.wall, max(r.peak for r in runs)
        try:
            timings = json.loads(run.out).get("timings", {})
        except ValueError:
            timings = {}
        print(
            f"   {seconds:.2f} s (cpu {run.cpu:.2f} s; slowest {max(r.wall for r in runs):.2f} s), "
            f"peak {peak / 2**20:.0f} MB (targets < 5 s, < 150 MB); timings {json.dumps(timings)}"
        )
        env = verify_env(cache=True, cache_dir=Path(tmp) / "cache")
        first = run_process(verify_argv(path), env=env).wall
        wait_for_cache(Path(tmp) / "cache")
        again = run_process(verify_argv(path), env=env).wall
        print(f"   with the parse cache: first run (empty cache) {first:.2f} s, again {again:.2f} s")


# ---- 4. batch ---------------------------------------------------------------------------------
def bench_batch(groups: int, files: int, jobs: int) -> None:
    print(f"\n== 4. batch: {groups} generated repositories of {files} files, --jobs 1 and --jobs {jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        cohort = Path(tmp) / "cohort"
        for n in range(groups):
            generate_repository(cohort / f"group{n:02d}", files)
        rates = {}
        for j in sorted({1, jobs}):
            argv = [
                sys.executable,
                "-m",
                "verifier.cli",
                "batch",
                str(cohort),
                "--out",
                str(Path(tmp) / f"out{j}"),
                "--jobs",
                str(j),
                "--force",
            ]
            seconds = run_process(argv, env=verify_env(cache=False)).wall
            rates[j] = groups / seconds
            print(f"   --jobs {j}: {seconds:.2f} s, {rates[j]:.1f} groups/s")
        if jobs > 1:
            gain = rates[jobs] / rates[1]
            print(
                f"   --jobs {jobs} gives {gain:.2f}x the throughput of --jobs 1 (target >= {0.6 * jobs:.1f}x)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--repo", action="append", default=[], type=Path, help="a real repository (work tree)"
    )
    parser.add_argument(
        "--course-mirror",
        action="append",
        default=[],
        type=Path,
        help="the course repository's git directory (or its template's); its history holds reports/report.py",
    )
    parser.add_argument("--course-python", default=sys.executable, help="the Python that runs report.py")
    parser.add_argument("--large", type=int, default=20_000, help="files in the large repository")
    parser.add_argument("--groups", type=int, default=32)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip", action="append", default=[], choices=["real", "marginal", "large", "batch"])
    args = parser.parse_args()
    os.chdir(ROOT)  # `python -m verifier.cli` runs this checkout
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    if "real" not in args.skip:
        bench_real([r.resolve() for r in args.repo], args.course_mirror, args.repeat, args.course_python)
    if "marginal" not in args.skip:
        bench_marginal(args.repeat)
    if "large" not in args.skip:
        bench_large(args.large)
    if "batch" not in args.skip:
        bench_batch(args.groups, 30, args.jobs)


if __name__ == "__main__":
    main()
