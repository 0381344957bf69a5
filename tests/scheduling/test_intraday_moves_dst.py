"""Rest-of-day moves on the days the clocks change (issue 26, item 5): the day's intervals are
instants, so the two 02:00-03:00 hours of the autumn day are told apart (a break moves from
the first to the second) and the spring day has 46 half hours, none in the skipped hour."""

from datetime import UTC, date, datetime, timedelta

import pytest

from organisation.local_grid import local_day_bounds, local_grid_instants
from organisation.models import Employee, Team
from scheduling.models import ForecastRun, Shift, ShiftBreak, StaffingRequirement
from scheduling.selectors.intraday_moves import BreakMovePlan, break_moves_plan
from scheduling.services.intraday_moves import intraday_break_move
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.intraday import published_roster
from timeclock.selectors.intraday import intraday_day

pytestmark = pytest.mark.django_db
TZ = "Europe/Amsterdam"
AUTUMN = date(2026, 10, 25)  # 25 hours: 02:00-03:00 twice (CEST, then CET)
SPRING = date(2026, 3, 29)  # 23 hours: 02:00-03:00 skipped


def _night(org: Org, day: date, *, hours: int, break_at: datetime) -> tuple[Team, Shift]:
    """Two operators on the phone from local midnight for `hours` real hours; the first has
    a 30-minute break at `break_at`."""
    team = org.team_a
    queue = queue_make(site=team.site, name="Night")
    roster = published_roster(team=team, day=day)
    midnight = local_day_bounds(first_day=day, last_day=day, timezone=TZ)[0]
    people: list[Employee] = [org.op_a1, org.op_a2]
    shifts = []
    for person in people:
        person.queues.add(queue)
        shifts.append(
            Shift.objects.create(
                roster=roster,
                employee=person,
                queue=queue,
                start=midnight,
                end=midnight + timedelta(hours=hours),
                local_date=day,
                state=roster.status,
            )
        )
    ShiftBreak.objects.create(shift=shifts[0], start=break_at, end=break_at + timedelta(minutes=30))
    return team, shifts[0]


def _plan(
    org: Org, day: date, now: datetime, required: dict[int, int], scheduled: dict[int, int]
) -> BreakMovePlan:
    """The moves for the day's half hours (by index from local midnight, as time runs): 2
    required and 2 scheduled on the night shift's, but where the maps say."""
    midnight, end = local_day_bounds(first_day=day, last_day=day, timezone=TZ)
    count = int((end - midnight).total_seconds()) // 1800
    intervals = [
        (midnight + timedelta(minutes=30 * t), required.get(t, 2), scheduled.get(t, 2))
        for t in range(count)
    ]
    queue = Shift.objects.first().queue  # type: ignore[union-attr]
    return break_moves_plan(
        queue=queue, now=now, interval_minutes=30, intervals=intervals, user=org.manager_a
    )


def utc(hour: int, minute: int = 0, day: date = AUTUMN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_a_break_moves_from_the_first_02_00_to_the_second_on_the_autumn_day(org: Org) -> None:
    # 02:00 CEST is 00:00 UTC, 02:00 CET 01:00 UTC: half hours 4 and 6 of the day.
    first, second = utc(0), utc(1)
    _, shift = _night(org, AUTUMN, hours=7, break_at=first)  # 00:00-06:00 local, 7 h
    now = utc(22, 30, AUTUMN - timedelta(days=1))  # 00:30 local
    plan = _plan(org, AUTUMN, now, required={6: 1}, scheduled={4: 1})
    assert len(plan.plan.moves) == 1
    (move,) = plan.moves
    assert (move.break_start, move.new_start) == (first, second)
    assert [(g.period, g.before, g.after) for g in move.move.gaps] == [(4, -1, 0), (6, 1, 0)]
    assert plan.period_start(6) == second
    assert (plan.plan.under_before, plan.plan.under_after) == (1, 0)
    new = intraday_break_move(
        shift=shift, break_start=first, new_start=second, user=org.manager_a, now=now
    )
    moved = new.shifts.get(employee=org.op_a1).breaks.get()
    assert (moved.start, moved.end) == (second, second + timedelta(minutes=30))


def test_the_spring_day_has_46_half_hours_and_none_in_the_skipped_hour(org: Org) -> None:
    # 01:00 CET is 00:00 UTC; 03:00 CEST, the next half hour after 01:30, 01:00 UTC: index 4.
    day = SPRING
    _night(org, day, hours=5, break_at=utc(0, 0, day))  # 00:00-06:00 local, 5 h
    now = utc(23, 30, day - timedelta(days=1))  # 00:30 local
    plan = _plan(org, day, now, required={4: 1}, scheduled={2: 1})
    assert len(plan.plan.moves) == 1
    (move,) = plan.moves
    assert (move.break_start, move.new_start) == (utc(0, 0, day), utc(1, 0, day))
    assert [(g.period, g.before, g.after) for g in move.move.gaps] == [(2, -1, 0), (4, 1, 0)]
    assert plan.period_start(4) == utc(1, 0, day)


def test_the_intraday_page_counts_each_02_00_hour_of_the_autumn_day_apart(org: Org) -> None:
    """The cover the moves start from: the break in the first 02:00 half hour leaves one
    agent there, and two in the second."""
    _night(org, AUTUMN, hours=7, break_at=utc(0))
    queue = Shift.objects.get(employee=org.op_a1).queue
    assert queue is not None
    run = ForecastRun.objects.create(
        queue=queue,
        start_date=AUTUMN,
        days=1,
        interval_minutes=30,
        method_requested="test",
        method_used="test",
        history_last_day=AUTUMN - timedelta(days=1),
    )
    instants = local_grid_instants(first_day=AUTUMN, days=1, interval_minutes=30, timezone=TZ)
    StaffingRequirement.objects.bulk_create(
        StaffingRequirement(
            queue=queue,
            forecast_run=run,
            interval_start=i.start,
            interval_minutes=30,
            forecast_calls=10.0,
            calls=10.0,
            aht_seconds=180,
            agents=2,
            scheduled_agents=2,
            service_level=0.8,
            asa_seconds=10,
            occupancy=0.8,
        )
        for i in instants
    )
    day = intraday_day(queue=queue, now=utc(22, 30, AUTUMN - timedelta(days=1)))
    cover = {i.start: i.scheduled for i in day.intervals}
    assert len(day.intervals) == 50
    assert (cover[utc(0)], cover[utc(1)]) == (1, 2)  # 02:00 CEST, 02:00 CET
    assert cover[utc(4, 30)] == 2  # 05:30 CET, the shift's last half hour
    assert cover[utc(5)] == 0
