"""A queue's staffing requirement by local day and interval for the planning pages, and the
what-if: the same intervals recomputed under another service goal, handle time, volume,
shrinkage or patience, without saving anything."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from organisation.models import Queue
from scheduling.erlang import IntervalRequirement, ServiceGoal, interval_requirement
from scheduling.errors import ErlangInputError, ImpossibleServiceGoal
from scheduling.selectors.forecasting import staffing_list


@dataclass(frozen=True)
class Scenario:
    """What the requirement is computed for. Shares are fractions (0.8 = 80 %)."""

    service_level_target: Decimal
    service_level_seconds: int
    max_occupancy: Decimal
    shrinkage: Decimal
    volume_factor: Decimal = Decimal(1)
    aht_seconds: int | None = None  # None: each interval's forecast handle time
    patience_seconds: int | None = None  # None: Erlang C; seconds: Erlang A

    def goal(self) -> ServiceGoal:
        return service_goal(
            target=self.service_level_target,
            answer_seconds=self.service_level_seconds,
            max_occupancy=self.max_occupancy,
        )


def service_goal(*, target: Decimal, answer_seconds: int, max_occupancy: Decimal) -> ServiceGoal:
    """The Erlang goal of a queue's settings; impossible ones are the service's refusal."""
    try:
        return ServiceGoal(
            target=float(target),
            answer_seconds=float(answer_seconds),
            max_occupancy=float(max_occupancy),
        )
    except ErlangInputError as exc:
        raise ImpossibleServiceGoal(str(exc)) from exc


def queue_scenario(*, queue: Queue) -> Scenario:
    """The queue's own settings: what its stored requirement was computed for."""
    return Scenario(
        service_level_target=queue.service_level_target,
        service_level_seconds=queue.service_level_seconds,
        max_occupancy=queue.max_occupancy,
        shrinkage=queue.shrinkage,
        patience_seconds=queue.patience_seconds,
    )


@dataclass(frozen=True)
class StaffingRow:
    start: datetime  # local, in the site's zone
    minutes: int
    calls: float
    aht_seconds: float
    agents: int
    scheduled_agents: int
    service_level: float
    asa_seconds: float
    occupancy: float
    abandon_rate: float


@dataclass(frozen=True)
class StaffingDay:
    day: date
    calls: float
    peak_agents: int
    peak_scheduled: int
    scheduled_hours: float  # agent-hours to schedule
    service_level: float | None  # weighted by calls; None on a day without calls


@dataclass(frozen=True)
class StaffingView:
    days: list[StaffingDay]
    rows: dict[date, list[StaffingRow]]


FIELDS = (
    "interval_start",
    "interval_minutes",
    "calls",
    "aht_seconds",
    "agents",
    "scheduled_agents",
    "service_level",
    "asa_seconds",
    "occupancy",
    "abandon_rate",
)


def staffing_view(*, queue: Queue, first_day: date, last_day: date) -> StaffingView:
    """The stored requirement of the local days, interval by interval, with a summary per
    day. One query, whatever the length of the range."""
    zone = ZoneInfo(queue.site.timezone)
    rows: dict[date, list[StaffingRow]] = {}
    for values in staffing_list(queue=queue, first_day=first_day, last_day=last_day).values_list(
        *FIELDS
    ):
        row = StaffingRow(values[0].astimezone(zone), *values[1:])
        rows.setdefault(row.start.date(), []).append(row)
    return StaffingView(days=[_day(day, found) for day, found in rows.items()], rows=rows)


def _day(day: date, rows: list[StaffingRow]) -> StaffingDay:
    calls = sum(r.calls for r in rows)
    return StaffingDay(
        day=day,
        calls=calls,
        peak_agents=max(r.agents for r in rows),
        peak_scheduled=max(r.scheduled_agents for r in rows),
        scheduled_hours=sum(r.scheduled_agents * r.minutes for r in rows) / 60,
        service_level=sum(r.service_level * r.calls for r in rows) / calls if calls else None,
    )


def requirement(*, row: StaffingRow, scenario: Scenario, goal: ServiceGoal) -> StaffingRow:
    """One interval under a scenario: its calls times the volume factor, the scenario's
    handle time (or the interval's own), Erlang C or A, then shrinkage."""
    calls = row.calls * float(scenario.volume_factor)
    aht = float(scenario.aht_seconds) if scenario.aht_seconds else row.aht_seconds
    need: IntervalRequirement = interval_requirement(
        calls=calls,
        aht_seconds=aht,
        interval_minutes=row.minutes,
        goal=goal,
        shrinkage=str(scenario.shrinkage),
        patience_seconds=scenario.patience_seconds,
    )
    return replace(
        row,
        calls=calls,
        aht_seconds=aht,
        agents=need.agents,
        scheduled_agents=need.scheduled_agents,
        service_level=need.metrics.service_level,
        asa_seconds=need.metrics.asa_seconds,
        occupancy=need.metrics.occupancy,
        abandon_rate=need.metrics.probability_abandon,
    )


def staffing_what_if(*, rows: list[StaffingRow], scenario: Scenario) -> list[StaffingRow]:
    """The rows recomputed under the scenario (nothing saved); intervals with the same calls
    and handle time are computed once."""
    goal = scenario.goal()
    done: dict[tuple[float, float, int], StaffingRow] = {}
    result = []
    for row in rows:
        key = (row.calls, row.aht_seconds, row.minutes)
        if key not in done:
            done[key] = requirement(row=row, scenario=scenario, goal=goal)
        result.append(replace(done[key], start=row.start))
    return result
