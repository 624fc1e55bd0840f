"""The value a dotted configuration reference in code names, read from the project's YAML.

``Trainer(profiler=cfg.train.profiler)`` names the key ``profiler`` of the ``train`` config:
with Hydra that is a key path ``train.profiler`` in a config file, or the key ``profiler`` of a
config group file (``configs/train/train.yaml``, ``configs/train.yaml``). The lookup is cheap
and literal: it never runs Hydra, so interpolations and command-line overrides stay unknown.
"""

from __future__ import annotations

from verifier.records import record
from verifier.repo.view import RepoView

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


CONFIG_HEADS = frozenset({"cfg", "config", "conf", "hparams", "hp", "params", "args", "opt", "settings"})


@record(frozen=True)
class ConfigValue:
    """One value set in a configuration file, and where."""

    path: str
    line: int | None
    key: str
    value: Any


def config_keys(reference: str) -> list[str] | None:
    """``cfg.train.profiler`` gives ``["train", "profiler"]``; None for what is not a config path."""
    parts = reference.split(".")
    if parts and parts[0] == "self":
        parts = parts[1:]
    if len(parts) < 2 or parts[0].lower() not in CONFIG_HEADS and not parts[0].lower().endswith("cfg"):
        return None
    return parts[1:]


def _config_files(view: RepoView) -> list[str]:
    return [
        p
        for p in view.glob("*.yaml", "*.yml")
        if not p.startswith(".github/") and "/.github/" not in p and not p.endswith(".dvc")
    ]


def _walk(data: Any, keys: list[str]) -> tuple[bool, Any]:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def config_values(view: RepoView, reference: str) -> list[ConfigValue]:
    """Every value the project's YAML gives for ``reference`` (a key path, or a group's key)."""
    keys = config_keys(reference)
    if not keys:
        return []
    out = []
    for path in _config_files(view):
        data = view.yaml(path)
        if not isinstance(data, dict):
            continue
        folders = path.rsplit("/", 1)[0].split("/") if "/" in path else []
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        found, value = _walk(data, keys)
        if not found and len(keys) > 1 and (keys[0] in folders or keys[0] == stem):
            found, value = _walk(data, keys[1:])
        if found and not isinstance(value, dict | list):
            line = view.find_line(path, f"{keys[-1]}:")
            out.append(ConfigValue(path, line, ".".join(keys), value))
    return out


def describe(found: ConfigValue) -> str:
    return f"{found.key}: {found.value!r} in {found.path}" + (f":{found.line}" if found.line else "")
