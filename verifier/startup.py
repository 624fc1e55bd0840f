"""What every verification needs that does not depend on the repository: the item catalog and
the probes. Loaded once per process and kept (a batch worker loads them once for all its
groups), and timed, so that the JSON ``timings`` show start-up beside the run."""

from __future__ import annotations

import time

from verifier.catalog import Catalog, load_catalog
from verifier.records import record
from verifier.registry import Registry, discover


@record(frozen=True)
class Startup:
    """What every run needs loaded once: the checked catalog and the discovered probes."""

    catalog: Catalog
    registry: Registry
    timings: dict[str, float]  # "catalog", "probe discovery": seconds this call spent


_LOADED: dict[tuple[str | None, frozenset[str] | None], tuple[Catalog, Registry]] = {}


def load_startup(catalog: str | None = None, only: set[str] | None = None) -> Startup:
    """The catalog (built-in, or the file ``catalog``) and the probes (all, or the ids in
    ``only``), loaded on the first call and reused by later calls in the same process, whose
    timings are then zero. Raises :class:`~verifier.catalog.CatalogError` for a bad catalog."""
    key = (str(catalog) if catalog is not None else None, frozenset(only) if only is not None else None)
    if key in _LOADED:
        loaded_catalog, registry = _LOADED[key]
        return Startup(loaded_catalog, registry, {"catalog": 0.0, "probe discovery": 0.0})
    start = time.perf_counter()
    loaded_catalog = load_catalog(catalog)
    middle = time.perf_counter()
    registry = discover(only=only)
    end = time.perf_counter()
    _LOADED[key] = (loaded_catalog, registry)
    return Startup(
        loaded_catalog,
        registry,
        {"catalog": round(middle - start, 4), "probe discovery": round(end - middle, 4)},
    )
