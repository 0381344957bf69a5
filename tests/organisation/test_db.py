"""retry_on_deadlock reruns a deadlock victim and lets every other error through."""

from typing import Any

import pytest
from django.db import OperationalError

from organisation.db import retry_on_deadlock


class _Cause(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _failing(states: list[str]) -> Any:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if states:
            error = OperationalError("aborted")
            error.__cause__ = _Cause(states.pop(0))
            raise error
        return "done"

    return work, calls


def test_a_deadlock_victim_is_run_again() -> None:
    work, calls = _failing(["40P01"])
    assert retry_on_deadlock(work) == "done"
    assert len(calls) == 2


def test_a_victim_backs_off_a_random_growing_capped_time_before_each_rerun() -> None:
    waits: list[float] = []
    work, calls = _failing(["40P01", "40001"] * 4)
    assert retry_on_deadlock(work, attempts=9, sleep=waits.append) == "done"
    assert len(calls) == 9
    assert len(waits) == 8  # none before the first run, none after the last
    assert all(0 <= wait <= min(1.0, 0.02 * 2**i) for i, wait in enumerate(waits))
    assert len(set(waits)) > 1


def test_other_errors_and_endless_deadlocks_are_raised() -> None:
    work, calls = _failing(["08006"])
    with pytest.raises(OperationalError):
        retry_on_deadlock(work, sleep=pytest.fail)
    assert len(calls) == 1
    work, calls = _failing(["40P01"] * 5)
    with pytest.raises(OperationalError):
        retry_on_deadlock(work, attempts=3)
    assert len(calls) == 3
