"""Races with real threads on PostgreSQL: the callables start together, each on its own
database connection, closed when it ends."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def race(*work: Callable[[], Any]) -> list[Any]:
    """Run the callables in threads released together; their results or exceptions."""
    barrier = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
