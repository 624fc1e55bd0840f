"""Work started in the background gives its result, or raises its error, where it is asked for."""

from __future__ import annotations

import threading

import pytest

from verifier.repo.background import Background


def test_the_result_waits_for_the_work_and_an_error_is_raised_where_asked():
    release = threading.Event()
    job = Background(lambda a, b: release.wait(5) and a + b, 2, 3)
    release.set()
    assert job.result() == 5 and job.result() == 5

    def failing():
        raise LookupError("no such commit")

    failed = Background(failing)  # nothing is raised here
    with pytest.raises(LookupError, match="no such commit"):
        failed.result()
