"""The people side of the solver's input: each employee's contract, skills, templates, days
off and availability, the state carried in from published shifts, and requests to be off."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from organisation.local_grid import local_day_bounds, wall_minute
from organisation.models import Employee as EmployeeRow
from scheduling.models import Activity, AvailabilityBlock, Roster, Shift
from scheduling.solver.model import CarriedState, Contract, Employee, Request
from scheduling.solver.model import ShiftTemplate as SolverTemplate

PREFER_OFF_WEIGHT = 200
CARRY_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class RosterPeople:
    employees: tuple[Employee, ...]
    requests: tuple[Request, ...]  # days the people would rather have off


def roster_people_build(
    *,
    people: list[EmployeeRow],
    templates: dict[str, SolverTemplate],
    first_day: date,
    days: int,
    tz: str,
) -> RosterPeople:
    """The solver's employees for the period, with their cost per hour relative to the mean
    rate (about one unit per paid minute)."""
    last_day = first_day + timedelta(days=days - 1)
    blocks = _availability(people, first_day, last_day, tz)
    carried = _carried(people, first_day, tz)
    mean_rate = sum(p.hourly_rate for p in people) / len(people)
    employees = tuple(
        _employee(person, templates, first_day, last_day, blocks[str(person.pk)], carried)
        for person in people
    )
    employees = tuple(
        replace(e, cost_per_hour=float(p.hourly_rate / mean_rate) if mean_rate else 1.0)
        for e, p in zip(employees, people, strict=True)
    )
    return RosterPeople(employees=employees, requests=_prefer_off(blocks, days))


@dataclass
class _Blocks:
    days_off: set[int] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)
    prefer_off: set[int] = field(default_factory=set)


def _availability(
    people: list[EmployeeRow], first_day: date, last_day: date, tz: str
) -> dict[str, _Blocks]:
    start, end = local_day_bounds(first_day=first_day, last_day=last_day, timezone=tz)
    blocks: dict[str, _Blocks] = {str(p.pk): _Blocks() for p in people}
    rows = AvailabilityBlock.objects.filter(employee__in=people, start__lt=end, end__gt=start)
    for row in rows:
        mine = blocks[str(row.employee_id)]
        a = wall_minute(instant=row.start, first_day=first_day, timezone=tz)
        b = wall_minute(instant=row.end, first_day=first_day, timezone=tz)
        days = range(
            max(a, 0) // 1440, (min(b, (last_day - first_day).days * 1440 + 1440) - 1) // 1440 + 1
        )
        if row.kind == AvailabilityBlock.Kind.PREFER_OFF:
            mine.prefer_off.update(days)
        elif a <= days.start * 1440 and b >= days.stop * 1440:
            mine.days_off.update(days)  # whole local days: no shift may start on them
            mine.spans.append((a, b))
        else:
            mine.spans.append((a, b))
    return blocks


def _prefer_off(blocks: dict[str, _Blocks], days: int) -> tuple[Request, ...]:
    return tuple(
        Request(employee=employee, day=d, on=False, weight=PREFER_OFF_WEIGHT)
        for employee, mine in sorted(blocks.items())
        for d in sorted(mine.prefer_off)
        if 0 <= d < days
    )


def _carried(people: list[EmployeeRow], first_day: date, tz: str) -> dict[str, CarriedState]:
    """Days worked in a row up to the day before the period, and the last shift's end, from
    published shifts."""
    start, _ = local_day_bounds(first_day=first_day, last_day=first_day, timezone=tz)
    rows = Shift.objects.filter(
        employee__in=people,
        state=Roster.Status.PUBLISHED,
        start__lt=start,
        end__gt=start - timedelta(days=CARRY_LOOKBACK_DAYS),
    ).values_list("employee_id", "local_date", "end")
    worked: dict[str, set[date]] = defaultdict(set)
    last_end: dict[str, datetime] = {}
    for employee_id, local_date, end in rows:
        key = str(employee_id)
        worked[key].add(local_date)
        last_end[key] = max(last_end.get(key, end), end)
    carried: dict[str, CarriedState] = {}
    for key in worked:
        run = 0
        while first_day - timedelta(days=run + 1) in worked[key]:
            run += 1
        end_minute = int((last_end[key] - start).total_seconds() // 60)
        carried[key] = CarriedState(
            consecutive_days_worked=run,
            consecutive_days_off=0 if run else _days_off_before(worked[key], first_day),
            last_shift_end_minute=end_minute,
        )
    return carried


def _days_off_before(worked: set[date], first_day: date) -> int:
    off = 0
    while off < CARRY_LOOKBACK_DAYS and first_day - timedelta(days=off + 1) not in worked:
        off += 1
    return off


def _employee(
    person: EmployeeRow,
    templates: dict[str, SolverTemplate],
    first_day: date,
    last_day: date,
    blocks: _Blocks,
    carried: dict[str, CarriedState],
) -> Employee:
    skills = frozenset(str(q.pk) for q in person.queues.all())
    allowed = frozenset(
        tid
        for tid, t in templates.items()
        if t.activity != Activity.PHONE or (t.queue is not None and t.queue in skills)
    )
    days_off = set(blocks.days_off)
    for d in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=d)
        if day < person.employment_start or (person.employment_end and day > person.employment_end):
            days_off.add(d)
    return Employee(
        id=str(person.pk),
        contract=Contract(
            min_minutes_per_week=_owed_minutes(person, days_off, first_day, last_day),
            max_minutes_per_week=person.max_weekly_minutes,
            max_days_per_week=person.max_days_per_week,
            max_consecutive_days=person.max_consecutive_days,
            min_rest_minutes=person.min_rest_minutes,
        ),
        skills=skills,
        templates=allowed,
        unavailable_days=frozenset(days_off),
        unavailable_spans=tuple(blocks.spans),
        carried=carried.get(str(person.pk), CarriedState()),
    )


def _owed_minutes(
    person: EmployeeRow, days_off: set[int], first_day: date, last_day: date
) -> int | None:
    """The weekly minimum, reduced in proportion to the days off in the worst week (time off
    and days outside employment are not owed)."""
    if not person.min_weekly_minutes:
        return None
    if not days_off:
        return person.min_weekly_minutes
    per_week: dict[int, int] = defaultdict(int)
    for d in days_off:
        per_week[(first_day.weekday() + d) // 7] += 1
    worst = max(per_week.values())
    return person.min_weekly_minutes * max(0, 7 - worst) // 7
