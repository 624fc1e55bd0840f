"""Work started in a background thread now and asked for later (git runs as its own processes,
so reading git facts overlaps with the rest of the run)."""

from __future__ import annotations

import threading

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Background:
    """``function(*args)`` running in a daemon thread from now on."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._outcome: list = []
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple) -> None:
        try:
            self._outcome.append((True, function(*args)))
        except BaseException as exc:  # raised again where the result is asked for
            self._outcome.append((False, exc))

    def result(self) -> Any:
        """What the function returned, waiting for it; what it raised is raised here."""
        self._thread.join()
        done, value = self._outcome[0]
        if not done:
            raise value
        return value
