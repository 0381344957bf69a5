"""Database helpers shared by the apps."""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

T = TypeVar("T")
DEADLOCK = "40P01"
SERIALIZATION = "40001"
BACKOFF_SECONDS = 0.02
BACKOFF_CAP_SECONDS = 1.0


def retry_on_deadlock(
    work: Callable[[], T],
    *,
    attempts: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `work` (a whole transaction) again when PostgreSQL aborts it as a deadlock victim,
    as concurrent inserts under an exclusion constraint can be; the rerun then meets the
    committed winner and fails cleanly (IntegrityError) or succeeds.

    Before each rerun the victim waits a random time of up to 20 ms x 2^attempt (at most 1 s).
    Rerunning at once livelocks under contention: each victim re-inserts straight away, waits
    on another uncommitted insert and closes a new cycle, so nobody commits; twenty overlapping
    inserts on a loaded machine used up twenty attempts each that way."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            state = getattr(exc.__cause__, "sqlstate", None)
            if state not in (DEADLOCK, SERIALIZATION) or attempt == attempts - 1:
                raise
        sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_SECONDS * 2**attempt)))
    raise AssertionError("unreachable")
