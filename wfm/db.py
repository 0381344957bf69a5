"""Database helpers shared by the apps."""

from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

T = TypeVar("T")
DEADLOCK = "40P01"
SERIALIZATION = "40001"


def retry_on_deadlock(work: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `work` (a whole transaction) again when PostgreSQL aborts it as a deadlock victim,
    as concurrent inserts under an exclusion constraint can be; the rerun then meets the
    committed winner and fails cleanly (IntegrityError) or succeeds."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            state = getattr(exc.__cause__, "sqlstate", None)
            if state not in (DEADLOCK, SERIALIZATION) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
