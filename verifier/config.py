"""A repository's own settings: ``[tool.mlops-verifier]`` in ``pyproject.toml``, or
``.mlops-verifier.toml`` (keys at the top or under ``[tool.mlops-verifier]``).

The file is read as TOML data, never executed. A catalog it names must stay inside the
repository. Options given on the command line override what the file says.

    [tool.mlops-verifier]
    fail-on = "unsupported"          # contradicted | unsupported | weak
    report = "reports/README.md"
    probes = ["workflows", "dockerfiles"]
    catalog = "grading/items.yaml"
    excused = { "gcp-training" = "trained on DTU's HPC, agreed with the TA" }
"""

from __future__ import annotations

import os
from pathlib import Path

from verifier.records import field, record

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


CONTRADICTED_ONLY, UNSUPPORTED_UP, WEAK_UP = "contradicted", "unsupported", "weak"
FAIL_ON = (CONTRADICTED_ONLY, UNSUPPORTED_UP, WEAK_UP)
DEFAULT_FAIL_ON = UNSUPPORTED_UP
TOOL_FILE = ".mlops-verifier.toml"
SECTION = "mlops-verifier"
KEYS = ("fail-on", "report", "probes", "catalog", "excused")
SIZE_LIMIT = 1_000_000  # bytes; a settings file is a few lines


class ConfigError(ValueError):
    """The settings cannot be used; the message names the file and the key."""


@record(frozen=True)
class Config:
    """The project's own settings for verify (from its configuration file, if any)."""

    source: str | None = None  # the file read, relative to the project; None when there is none
    fail_on: str | None = None
    report: str | None = None
    probes: tuple[str, ...] | None = None
    catalog: Path | None = None
    excused: dict[str, str] = field(default_factory=dict)  # item id -> reason


def load_config(project: Path, top: Path | None = None) -> Config:
    """The settings for the project folder ``project``; ``top`` is the repository's top folder
    (the git work tree), looked at when the project folder has none and bounding the catalog."""
    project = project.resolve()
    top = (top or project).resolve()
    folders = [project] if project == top else [project, top]
    for folder in folders:
        found = _read_folder(folder, top)
        if found is not None:
            data, file = found
            return _parse(data, file, top)
    return Config()


def _read_folder(folder: Path, top: Path) -> tuple[dict[str, Any], Path] | None:
    tool_file = folder / TOOL_FILE
    if tool_file.is_file():
        data = _load_toml(tool_file, top)
        section = data.get("tool", {}).get(SECTION) if isinstance(data.get("tool"), dict) else None
        return (section if isinstance(section, dict) else data), tool_file
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            raw = _read(pyproject, top)
        except ConfigError:
            return None  # a pyproject.toml leading outside the repository holds no settings of it
        if SECTION not in raw:
            return None
        data = _load_toml(pyproject, top, text=raw)
        tool = data.get("tool")
        section = tool.get(SECTION) if isinstance(tool, dict) else None
        if section is None:
            return None
        if not isinstance(section, dict):
            raise ConfigError(f"{pyproject}: [tool.{SECTION}] must be a table")
        return section, pyproject
    return None


def _read(path: Path, top: Path) -> str:
    """The file's text, read only when its real path is a regular file inside the repository."""
    from verifier.repo.confined import RefusedPath, read_inside, real_root

    try:
        data = read_inside(real_root(top), os.path.relpath(path, top), SIZE_LIMIT + 1)
    except RefusedPath as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > SIZE_LIMIT:
        raise ConfigError(f"{path} is larger than {SIZE_LIMIT // 1000} kB; not read")
    return data.decode("utf-8", "replace")


def _load_toml(path: Path, top: Path, text: str | None = None) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text if text is not None else _read(path, top))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def _parse(data: dict[str, Any], file: Path, top: Path) -> Config:
    where = f"{file} [tool.{SECTION}]" if file.name == "pyproject.toml" else str(file)
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}; settings: {', '.join(KEYS)}")
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    report = data.get("report")
    if report is not None and (not isinstance(report, str) or not report.strip()):
        raise ConfigError(f"{where}: report must be a path (a string)")
    return Config(
        source=str(file),
        fail_on=fail_on,
        report=str((file.parent / report).resolve()) if report else None,
        probes=_probes(data.get("probes"), where),
        catalog=_catalog(data.get("catalog"), file, top, where),
        excused=_excused(data.get("excused"), where),
    )


def _probes(value: Any, where: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: probes must be a list of probe ids")
    names = tuple(v.strip() for v in value if v.strip())
    if not names:
        raise ConfigError(f"{where}: probes names no probe")
    return names


def _catalog(value: Any, file: Path, top: Path, where: str) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: catalog must be a path (a string)")
    path = (file.parent / value).resolve()  # symlinks resolved: the real file must be inside
    if not path.is_relative_to(top):
        raise ConfigError(f"{where}: catalog {value!r} is outside the repository; not read")
    if path.exists() and not path.is_file():  # a folder, a pipe, a device: never opened
        raise ConfigError(f"{where}: catalog {value!r} is not a regular file; not read")
    return path


def _excused(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    pairs: list[tuple[Any, Any]]
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
        pairs = [(v.get("item"), v.get("reason")) for v in value]
    else:
        raise ConfigError(f"{where}: excused must be a table of item = reason")
    out: dict[str, str] = {}
    for item, reason in pairs:
        if not isinstance(item, str) or not item:
            raise ConfigError(f"{where}: every excused entry needs an item id")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: excused item {item!r} needs a reason")
        out[item] = " ".join(reason.split())
    return out
