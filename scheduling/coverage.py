"""Cover of a roster against interval demand, and demand no template can ever cover.

Pure: works on the solver's problem dataclasses and assignments (wall-clock minutes from the
period's first local midnight), so the review, the edit checks and the request validation
count cover the same way.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scheduling.solver.model import Assignment, Problem, ShiftTemplate


@dataclass(frozen=True)
class IntervalCover:
    queue: str
    day: int
    period: int
    required: int
    scheduled: int

    @property
    def under(self) -> int:
        return max(0, self.required - self.scheduled)

    @property
    def over(self) -> int:
        return max(0, self.scheduled - self.required)


def phone_periods(assignment: Assignment, interval_minutes: int) -> list[int]:
    """Periods of the horizon (day * periods_per_day + period) the assignment is on the phone
    for: any part of a period counts, breaks excluded."""
    if assignment.activity != "phone":
        return []
    off = {
        t
        for b in assignment.breaks
        for t in range(
            b.start_minute // interval_minutes,
            -(-(b.start_minute + b.length_minutes) // interval_minutes),
        )
    }
    first = assignment.start_minute // interval_minutes
    last = -(-assignment.end_minute // interval_minutes)
    return [t for t in range(first, last) if t not in off]


def interval_cover(problem: Problem, assignments: Sequence[Assignment]) -> list[IntervalCover]:
    """Required and scheduled agents per queue and interval, every interval of the horizon
    where either is non-zero, in (queue, day, period) order."""
    periods = problem.periods_per_day
    scheduled: dict[tuple[str, int], int] = defaultdict(int)
    for a in assignments:
        if a.queue is None:
            continue
        for t in phone_periods(a, problem.interval_minutes):
            scheduled[(a.queue, t)] += 1
    rows = []
    for demand in sorted(problem.interval_demand, key=lambda d: d.queue):
        for day, row in enumerate(demand.required):
            for period, required in enumerate(row):
                got = scheduled.get((demand.queue, day * periods + period), 0)
                if required or got:
                    rows.append(IntervalCover(demand.queue, day, period, required, got))
    return rows


def cover_totals(cells: Iterable[tuple[int, int]], interval_minutes: int) -> dict[str, int | float]:
    """The review's totals of (required, scheduled) agents per interval: the intervals where
    either is non-zero, the agent-intervals short and over, the agent-hours required and
    scheduled, and the share of the intervals fully covered. Each interval is one as time
    runs (the autumn change day's repeated hour counts twice, on the board's time line)."""
    busy = [(r, s) for r, s in cells if r or s]
    hours = interval_minutes / 60
    full = sum(s >= r for r, s in busy)
    return {
        "intervals": len(busy),
        "under_agent_intervals": sum(max(0, r - s) for r, s in busy),
        "over_agent_intervals": sum(max(0, s - r) for r, s in busy),
        "required_agent_hours": round(sum(r for r, _s in busy) * hours, 2),
        "scheduled_agent_hours": round(sum(s for _r, s in busy) * hours, 2),
        "intervals_fully_covered_pct": round(100 * full / len(busy), 2) if busy else 100.0,
    }


def uncoverable(problem: Problem) -> list[tuple[str, int, int]]:
    """(queue, day, period) with agents required that no template can put anyone on."""
    periods = problem.periods_per_day
    reachable: dict[str | None, set[int]] = defaultdict(set)
    for template in problem.templates:
        if template.activity == "phone":
            reachable[template.queue] |= _template_periods(problem, template)
    missing = []
    for demand in problem.interval_demand:
        can = reachable.get(demand.queue, set()) | reachable.get(None, set())
        for day, row in enumerate(demand.required):
            for period, required in enumerate(row):
                if required > 0 and day * periods + period not in can:
                    missing.append((demand.queue, day, period))
    return missing


def _template_periods(problem: Problem, template: ShiftTemplate) -> set[int]:
    """Every horizon period some start and length of the template covers (breaks ignored:
    their placement moves)."""
    step = max(template.start_step_minutes, 1)
    longest = max(template.lengths_minutes)
    covered: set[int] = set()
    for day in range(problem.days):
        if problem.weekday(day) not in template.weekdays:
            continue
        for start in range(template.earliest_start_minute, template.latest_start_minute + 1, step):
            first = (day * 1440 + start) // problem.interval_minutes
            last = -(-(day * 1440 + start + longest) // problem.interval_minutes)
            covered.update(range(first, last))
    return covered
