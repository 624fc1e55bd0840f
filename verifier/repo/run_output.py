"""Committed run output, recognised by its shape rather than by a folder's name.

``configs/wandb/sweep.yaml`` is a group's own config; ``wandb/run-20250110_120000-abc/files/
config.yaml`` is a copy W&B wrote. The shapes: W&B run folders (``wandb/run-*``,
``offline-run-*``, ``latest-run``), Hydra outputs (``outputs/DATE/TIME/``, ``multirun/DATE/``,
``.hydra/``), Lightning logs (``lightning_logs/version_N/``), MLflow stores (``mlruns/<id>/``),
documentation builds (Sphinx ``_build/html``, a built MkDocs ``site/`` with its search index),
and installed or checkpointed copies (``site-packages``, ``.ipynb_checkpoints``).
"""

from __future__ import annotations

from verifier.lazy_re import lazy

ALWAYS = frozenset({".hydra", "site-packages", ".ipynb_checkpoints"})
DATE = lazy(r"\d{4}-\d{2}-\d{2}")
WANDB_RUN = lazy(r"(?:offline-)?run-\d{8}_\d{6}-\w+|latest-run")
WANDB_FILES = frozenset({"debug.log", "debug-internal.log", "settings", "debug-cli.log"})
LIGHTNING_VERSION = lazy(r"version_\d+")
MLFLOW_ENTRY = lazy(r"\d+|[0-9a-f]{32}|models|\.trash")
SPHINX_BUILDERS = frozenset({"html", "doctrees", "dirhtml", "singlehtml", "latex", "epub", "man", "text"})
SITE_MARKERS = ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz")


def built_sites(files: set[str]) -> frozenset[str]:
    """Folders named ``site`` holding a built MkDocs site (its search index or sitemap)."""
    roots = set()
    for path in files:
        for marker in SITE_MARKERS:
            if path.endswith("site/" + marker):
                roots.add(path[: -len(marker)])
    return frozenset(roots)


# every shape below needs one of these in the path: most paths are decided by looking for them
_FOLDER_WORDS = (*ALWAYS, "wandb/", "outputs/", "multirun/", "lightning_logs/", "mlruns/", "_build/")


def is_run_output(path: str, sites: frozenset[str] = frozenset()) -> bool:
    if not any(word in path for word in _FOLDER_WORDS):
        return any(path.startswith(site) for site in sites) if sites else False
    parts = path.split("/")
    for index, part in enumerate(parts[:-1]):
        following = parts[index + 1]
        if part in ALWAYS:
            return True
        if part == "wandb" and (WANDB_RUN.fullmatch(following) or following in WANDB_FILES):
            return True
        if part in ("outputs", "multirun") and DATE.fullmatch(following):
            return True
        if part == "lightning_logs" and (
            LIGHTNING_VERSION.fullmatch(following) or following.startswith("events.out.tfevents")
        ):
            return True
        if part == "mlruns" and MLFLOW_ENTRY.fullmatch(following):
            return True
        if part == "_build" and following in SPHINX_BUILDERS:
            return True
    return any(path.startswith(site) for site in sites)
