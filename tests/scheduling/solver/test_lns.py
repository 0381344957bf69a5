"""Large-neighbourhood search outside deterministic mode: two steps at once, one worker each,
with results recorded (and progress reported) in the calling thread."""

import random
import threading

import pytest

from scheduling.rules import check
from scheduling.solver import lns
from scheduling.solver.lns import Rates
from scheduling.solver.model import Contract, HeadcountDemand, Request
from scheduling.solver.solve import SolveOptions, solve
from tests.scheduling.solver.helpers import DAY, LATE, cover, problem, staff


def tight_problem():  # type: ignore[no-untyped-def]
    demand = cover(21, "D", 4) + tuple(HeadcountDemand(d, "L", 3, 100, 1) for d in range(21))
    requests = tuple(Request(f"e{e}", (e * 5) % 21, on=False, weight=3) for e in range(10))
    contract = Contract(
        max_consecutive_days=5,
        min_consecutive_days=2,
        min_consecutive_days_off=2,
        max_weekends=2,
        min_minutes_total=12 * 480,
        max_minutes_total=15 * 480,
        min_rest_minutes=0,
    )
    return problem(
        days=21, templates=(DAY, LATE), headcount_demand=demand, requests=requests,
        employees=staff(10, contract), forbidden_transitions=frozenset({("L", "D")}),
    )  # fmt: skip


def test_parallel_steps_keep_every_rule_and_report_from_the_calling_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = tight_problem()
    ran: list[int] = []
    parallel = lns._improve_in_parallel
    monkeypatch.setattr(lns, "_improve_in_parallel", lambda s, t: ran.append(t) or parallel(s, t))
    threads: set[int] = set()
    objectives: list[float] = []

    def progress(seconds: float, objective: float, bound: float) -> None:
        threads.add(threading.get_ident())
        objectives.append(objective)

    solution = solve(p, SolveOptions(time_limit_seconds=4, num_workers=2), progress=progress)
    assert ran == [2]
    assert check(p, solution.assignments) == []
    assert threads == {threading.get_ident()}
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == solution.objective
    assert sum(solution.terms.values()) == solution.objective


def test_kinds_are_each_tried_once_then_drawn_by_recent_gain_per_second() -> None:
    rates = Rates(3)
    rng = random.Random(0)
    for kind in range(3):
        assert rates.draw(rng) == kind
        rates.update(kind, gain=100.0 if kind == 1 else 0.0, seconds=1.0)
    draws = [rates.draw(rng) for _ in range(1000)]
    assert draws.count(1) > 600
    assert draws.count(0) > 50  # every kind keeps a share
    assert draws.count(2) > 50
