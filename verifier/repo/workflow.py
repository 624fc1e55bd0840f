"""A model of a GitHub Actions workflow: triggers, jobs, the matrix, steps with their lines.

Safe-loaded YAML loses line numbers, so each job and step is located in the file text, in
order, so repeated texts resolve to the right occurrence.
"""

from __future__ import annotations

from verifier.compiled import regex
from verifier.records import field, record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from verifier.repo.view import RepoView

MATRIX_REF = regex(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
PYTHON_AXES = ("python", "python-version", "python_version", "py", "pyver", "python-versions")
TORCH_AXES = ("torch", "pytorch", "torch-version", "torch_version", "pytorch-version")


@record(frozen=True)
class Step:
    """One step of a workflow job."""

    name: str
    uses: str
    with_: dict[str, Any]
    run: str
    line: int | None


@record
class Job:
    """One job of a GitHub Actions workflow."""

    id: str
    runs_on: list[str]
    matrix: dict[str, list[Any]]
    matrix_unknown: bool  # the matrix is an expression (fromJson ...) we cannot expand
    steps: list[Step]
    line: int | None
    uses: str = ""  # a reusable workflow call
    operating_systems: list[str] = field(default_factory=list)
    python_versions: list[str] = field(default_factory=list)
    torch_versions: list[str] = field(default_factory=list)


@record
class Workflow:
    """A GitHub Actions workflow: its triggers and jobs."""

    path: str
    name: str
    triggers: dict[str, Any]
    jobs: list[Job]


def os_family(label: str) -> str:
    lowered = label.lower()
    for family in ("ubuntu", "windows", "macos"):
        if family in lowered:
            return family
    return lowered


def parse_workflow(view: RepoView, path: str) -> Workflow:
    data = view.yaml(path)
    if not isinstance(data, dict):
        raise ValueError("not a mapping at the top level")
    jobs_raw = data.get("jobs")
    if not isinstance(jobs_raw, dict):
        raise ValueError("no 'jobs' mapping")
    # YAML 1.1 reads the key `on` as the boolean True
    triggers = _triggers(data.get("on", data.get(True)))
    cursor = 1
    jobs = []
    for job_id, raw in jobs_raw.items():
        if not isinstance(raw, dict):
            continue
        line = view.find_line(path, f"{job_id}:", cursor)
        cursor = line or cursor
        job = _job(view, path, str(job_id), raw, line)
        jobs.append(job)
        if job.steps and job.steps[-1].line:
            cursor = job.steps[-1].line
    return Workflow(path=path, name=str(data.get("name", "")), triggers=triggers, jobs=jobs)


def _triggers(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {str(t): None for t in raw}
    if isinstance(raw, dict):
        return {str(k): v for k, v in raw.items()}
    return {}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _job(view: RepoView, path: str, job_id: str, raw: dict, line: int | None) -> Job:
    strategy = raw.get("strategy") if isinstance(raw.get("strategy"), dict) else {}
    matrix_raw = strategy.get("matrix")
    matrix: dict[str, list[Any]] = {}
    unknown = isinstance(matrix_raw, str)
    if isinstance(matrix_raw, dict):
        for key, values in matrix_raw.items():
            if key in ("include", "exclude"):
                continue
            if isinstance(values, str) and "${{" in values:
                unknown = True
                continue
            matrix[str(key)] = list(_as_list(values))
        for entry in _as_list(matrix_raw.get("include")):
            if isinstance(entry, dict):
                for key, value in entry.items():
                    axis = matrix.setdefault(str(key), [])
                    if value not in axis:
                        axis.append(value)
    runs_on = [str(r) for r in _as_list(raw.get("runs-on"))]
    steps = []
    cursor = line or 1
    for step_raw in _as_list(raw.get("steps")):
        if not isinstance(step_raw, dict):
            continue
        step = _step(view, path, step_raw, cursor)
        steps.append(step)
        cursor = step.line or cursor
    job = Job(
        id=job_id,
        runs_on=runs_on,
        matrix=matrix,
        matrix_unknown=unknown,
        steps=steps,
        line=line,
        uses=str(raw.get("uses", "") or ""),
    )
    job.operating_systems = _operating_systems(runs_on, matrix)
    job.python_versions = _axis(matrix, PYTHON_AXES) or _setup_python_versions(steps, matrix)
    job.torch_versions = _axis(matrix, TORCH_AXES)
    return job


def _step(view: RepoView, path: str, raw: dict, cursor: int) -> Step:
    name = str(raw.get("name", "") or "")
    uses = str(raw.get("uses", "") or "")
    run = str(raw.get("run", "") or "")
    with_ = raw.get("with") if isinstance(raw.get("with"), dict) else {}
    line = None
    for needle in (uses, name, run.strip().split("\n")[0] if run else ""):
        if needle:
            line = view.find_line(path, needle[:80], cursor)
            if line:
                break
    return Step(name=name, uses=uses, with_=with_, run=run, line=line)


def _operating_systems(runs_on: list[str], matrix: dict[str, list[Any]]) -> list[str]:
    out: list[str] = []
    for label in runs_on:
        ref = MATRIX_REF.search(label)
        values = matrix.get(ref.group(1), []) if ref else [label]
        for value in values:
            family = os_family(str(value))
            if family not in out:
                out.append(family)
    return out


def _axis(matrix: dict[str, list[Any]], names: tuple[str, ...]) -> list[str]:
    for key, values in matrix.items():
        if key.lower() in names:
            return [str(v) for v in values]
    return []


def _setup_python_versions(steps: list[Step], matrix: dict[str, list[Any]]) -> list[str]:
    for step in steps:
        if "setup-python" in step.uses or "setup-uv" in step.uses:
            value = step.with_.get("python-version")
            if value is None:
                continue
            ref = MATRIX_REF.search(str(value))
            if ref:
                return [str(v) for v in matrix.get(ref.group(1), [])]
            return [str(v) for v in _as_list(value)]
    return []


def workflow_files(view) -> list[str]:
    """The GitHub Actions workflow files, wherever a ``.github/workflows`` folder holds them."""
    return [p for p in view.files if "/.github/workflows/" in f"/{p}" and p.endswith((".yml", ".yaml"))]
