"""Reads for rosters: who may see what, and the solver's input built from the database
(staffing, contracts, templates, availability, pinned shifts, state carried in).

Solver time is wall-clock minutes from the period's first local midnight (local_grid); shift
instants come back through the site's time zone, so a 22:00-06:00 shift is 7 h of real time
on the spring-forward night and 9 h on the autumn one.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from organisation.local_grid import local_day_bounds, wall_minute
from organisation.models import Employee as EmployeeRow
from organisation.models import Queue, Site, Team
from organisation.roles import Role, user_roles
from organisation.selectors.organisation import (
    User,
    scope_employees,
    site_list_managed,
    team_list_managed,
)
from scheduling.coverage import phone_periods
from scheduling.errors import RosterNoOperators, RosterNoStaffing, RosterNoTemplates
from scheduling.models import (
    Activity,
    AvailabilityBlock,
    Roster,
    Shift,
    ShiftBreak,
    ShiftTemplate,
    StaffingRequirement,
)
from scheduling.rules import Violation
from scheduling.solver.model import (
    Assignment,
    Break,
    BreakRule,
    CarriedState,
    Contract,
    Employee,
    IntervalDemand,
    Pin,
    Problem,
    Request,
    Weights,
)
from scheduling.solver.model import ShiftTemplate as SolverTemplate

# Objective weights: an agent-interval left uncovered costs more than the paid minutes of a
# whole shift at the team's average rate, so cover comes first and cost second.
UNDER_COVER_WEIGHT = 1000
PREFER_OFF_WEIGHT = 200
# Fairness terms (weekends, nights, late shifts spread evenly) tie everyone together, so the
# engine can no longer grow a first roster one person at a time; on call-centre sizes that
# costs the first roster tens of seconds. They stay off here until the engine copes.
CARRY_LOOKBACK_DAYS = 14


# --- Visibility ----------------------------------------------------------------------------


def roster_list_visible(*, user: User) -> QuerySet[Roster]:
    """Managers: rosters of their teams and sites; operators: published rosters that include
    their team; payroll and admin: all."""
    rosters = Roster.objects.select_related("site", "team")
    roles = user_roles(user)
    if Role.ADMIN in roles or Role.PAYROLL in roles:
        return rosters
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= Q(team__in=team_list_managed(user=user)) | Q(
            team__isnull=True, site__in=site_list_managed(user=user)
        )
    employee = getattr(user, "employee", None)
    if employee is not None:
        scope |= Q(status=Roster.Status.PUBLISHED) & (
            Q(team_id=employee.team_id) | Q(team__isnull=True, site_id=employee.team.site_id)
        )
    return rosters.filter(scope)


def roster_is_managed(*, user: User, roster: Roster) -> bool:
    """Managers of the roster's team; for a site roster, of every team at the site."""
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return True
    if Role.MANAGER not in roles:
        return False
    managed = team_list_managed(user=user)
    if roster.team_id is not None:
        return managed.filter(pk=roster.team_id).exists()
    return not Team.objects.filter(site_id=roster.site_id).exclude(pk__in=managed).exists()


def scope_key(*, site: Site, team: Team | None) -> str:
    return f"team:{team.pk}" if team is not None else f"site:{site.pk}"


def roster_line(*, roster: Roster) -> QuerySet[Roster]:
    """Every version of the roster's line (same scope and period start)."""
    return Roster.objects.filter(scope_key=roster.scope_key, start_date=roster.start_date)


def shifts_of(*, roster: Roster) -> QuerySet[Shift]:
    return (
        roster.shifts.select_related("employee__user", "queue", "template")
        .prefetch_related("breaks")
        .order_by("start", "employee__number")
    )


def shifts_for_rules(*, roster: Roster) -> QuerySet[Shift]:
    """The roster's shifts with only what the rules check and the cover count read
    (roster_edits.shift_assignments): a 500 x 28 roster's 10,000 shifts load in a fraction of
    the time of shifts_of, which brings each person and user along."""
    breaks = ShiftBreak.objects.only("shift_id", "start", "end", "paid")
    return (
        roster.shifts.select_related("template")
        .only(
            "roster",  # the related manager sets it on every row
            "start",
            "end",
            "employee",
            "queue",
            "activity",
            "template",
            "template__queue_id",
            "template__activity",
        )
        .prefetch_related(Prefetch("breaks", queryset=breaks))
        .order_by("start", "employee_id")
    )


def my_shifts(*, employee: EmployeeRow, start: datetime, end: datetime) -> QuerySet[Shift]:
    """The employee's published shifts starting in [start, end)."""
    return (
        Shift.objects.filter(
            employee=employee, state=Roster.Status.PUBLISHED, start__gte=start, start__lt=end
        )
        .select_related("queue", "roster__site")
        .prefetch_related("breaks")
        .order_by("start")
    )


# --- Solver input --------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterInput:
    """The solver's problem and the maps back from its string ids to rows."""

    problem: Problem
    site: Site
    team: Team | None
    first_day: date
    timezone: str
    employees: dict[str, EmployeeRow]
    templates: dict[str, ShiftTemplate]  # solver template id -> row
    template_queues: dict[str, Queue | None]  # solver template id -> queue worked
    queues: dict[str, Queue]
    pinned_shifts: tuple[Shift, ...] = ()

    def local_start(self, day: int, period: int) -> str:
        """The wall-clock start of an interval of the horizon, ISO to the minute."""
        minutes = (day * self.problem.periods_per_day + period) * self.problem.interval_minutes
        wall = datetime.combine(self.first_day, time()) + timedelta(minutes=minutes)
        return wall.isoformat(timespec="minutes")

    def violation_json(self, violation: Violation) -> dict[str, Any]:
        """A rule violation with whom and which local day it concerns, for people to read."""
        person = self.employees.get(violation.employee or "")
        day = violation.day
        return violation.as_json() | {
            "name": person.full_name if person else None,
            "number": person.number if person else None,
            "date": (self.first_day + timedelta(days=day)).isoformat() if day is not None else None,
        }


def roster_problem_build(
    *,
    site: Site,
    team: Team | None,
    first_day: date,
    days: int,
    now: datetime,
    base: Roster | None = None,
    exclude_line: str | None = None,
    inactive_templates: bool = False,
    only: set[str] | None = None,
) -> RosterInput:
    """The solver input for a team (or site) and period. `base` is a draft or published
    version whose pinned shifts, and shifts already started, are kept as they are.
    `inactive_templates`: for checking existing shifts, whose template may have been retired
    since (the solver only plans with active ones). `only`: just these employees (by id),
    for checking the people an edit or a trade touches."""
    last_day = first_day + timedelta(days=days - 1)
    tz = site.timezone
    people = list(scope_employees(site=site, team=team, first_day=first_day, last_day=last_day))
    if only is not None:
        people = [p for p in people if str(p.pk) in only]
    if not people:
        raise RosterNoOperators()
    queues = {str(q.pk): q for person in people for q in person.queues.all()}
    template_rows = list(
        ShiftTemplate.objects.filter(site=site)
        if inactive_templates
        else ShiftTemplate.objects.filter(site=site, is_active=True)
    )
    if not template_rows:
        raise RosterNoTemplates()
    templates, template_queues = _solver_templates(template_rows, queues)
    staffing = _staffing(site, list(queues.values()), first_day, last_day)
    if not staffing:
        raise RosterNoStaffing(extra={"queues": sorted(q.name for q in queues.values())})
    interval_minutes = min(row.interval_minutes for row in staffing)
    key = exclude_line or ""
    other_cover = _published_cover(
        site, queues, first_day, last_day, interval_minutes, exclude_scope=key
    )
    demand = _interval_demand(staffing, first_day, days, interval_minutes, tz, other_cover)
    pinned = _pinned(base, now)
    blocks = _availability(people, first_day, last_day, tz)
    carried = _carried(people, first_day, tz)
    mean_rate = sum(p.hourly_rate for p in people) / len(people)
    employees = tuple(
        _employee(person, templates, first_day, last_day, blocks[str(person.pk)], carried)
        for person in people
    )
    # Paid cost relative to the mean rate: about one unit per paid minute.
    employees = tuple(
        replace(e, cost_per_hour=float(p.hourly_rate / mean_rate) if mean_rate else 1.0)
        for e, p in zip(employees, people, strict=True)
    )
    problem = Problem(
        days=days,
        first_weekday=first_day.weekday(),
        interval_minutes=interval_minutes,
        templates=tuple(templates.values()),
        employees=employees,
        interval_demand=demand,
        requests=_prefer_off(blocks, days),
        pins=tuple(_pin(shift, first_day, tz) for shift in pinned),
        weights=Weights(paid_minute=1),
        min_runs_exempt_at_borders=True,
    )
    return RosterInput(
        problem=problem,
        site=site,
        team=team,
        first_day=first_day,
        timezone=tz,
        employees={str(p.pk): p for p in people},
        templates=_rows_by_id(templates, template_rows),
        template_queues=template_queues,
        queues=queues,
        pinned_shifts=tuple(pinned),
    )


def _rows_by_id(
    templates: dict[str, SolverTemplate], rows: list[ShiftTemplate]
) -> dict[str, ShiftTemplate]:
    by_pk = {str(row.pk): row for row in rows}
    return {tid: by_pk[tid.split("@")[0]] for tid in templates}


def solver_template_id(template: ShiftTemplate, queue_id: Any | None) -> str:
    """A phone template without a queue is worked on any queue: one solver template each."""
    if template.queue_id is None and template.activity == Activity.PHONE and queue_id is not None:
        return f"{template.pk}@{queue_id}"
    return str(template.pk)


def _solver_templates(
    rows: list[ShiftTemplate], queues: dict[str, Queue]
) -> tuple[dict[str, SolverTemplate], dict[str, Queue | None]]:
    templates: dict[str, SolverTemplate] = {}
    worked: dict[str, Queue | None] = {}
    for row in rows:
        if row.queue_id is None and row.activity == Activity.PHONE:
            targets: list[Queue | None] = list(queues.values())
        elif row.queue_id is not None and str(row.queue_id) not in queues:
            continue  # nobody in scope works its queue
        else:
            targets = [row.queue]
        for queue in targets:
            tid = solver_template_id(row, queue.pk if queue else None)
            templates[tid] = _solver_template(tid, row, queue)
            worked[tid] = queue
    return templates, worked


def _solver_template(tid: str, row: ShiftTemplate, queue: Queue | None) -> SolverTemplate:
    earliest = row.earliest_start.hour * 60 + row.earliest_start.minute
    latest = row.latest_start.hour * 60 + row.latest_start.minute
    longest = max(row.lengths_minutes)
    return SolverTemplate(
        id=tid,
        earliest_start_minute=earliest,
        latest_start_minute=latest,
        lengths_minutes=tuple(sorted(row.lengths_minutes)),
        start_step_minutes=row.start_step_minutes,
        weekdays=frozenset(row.weekdays),
        queue=str(queue.pk) if queue is not None else None,
        activity=row.activity,
        breaks=tuple(
            BreakRule(
                length_minutes=b["length_minutes"],
                earliest_offset_minutes=b["earliest_offset_minutes"],
                latest_offset_minutes=b["latest_offset_minutes"],
                paid=bool(b.get("paid", False)),
            )
            for b in row.breaks
        ),
        # Night: any start from 20:00 or before 05:00; late: can run past 21:00.
        is_night=latest >= 20 * 60 or earliest < 5 * 60,
        is_late=latest + longest > 21 * 60,
    )


def _staffing(
    site: Site, queues: list[Queue], first_day: date, last_day: date
) -> list[StaffingRequirement]:
    start, end = local_day_bounds(first_day=first_day, last_day=last_day, timezone=site.timezone)
    return list(
        StaffingRequirement.objects.filter(
            queue__in=queues, interval_start__gte=start, interval_start__lt=end
        ).only("queue_id", "interval_start", "interval_minutes", "scheduled_agents")
    )


def _interval_demand(
    staffing: list[StaffingRequirement],
    first_day: date,
    days: int,
    interval_minutes: int,
    tz: str,
    other_cover: dict[tuple[str, int], int],
) -> tuple[IntervalDemand, ...]:
    """Agents to schedule per queue, local day and period, net of other rosters' published
    cover. A staffing interval longer than the grid fills every grid period it spans; the
    repeated autumn hour keeps the larger need."""
    periods = 1440 // interval_minutes
    required: dict[str, list[list[int]]] = {}
    for row in staffing:
        grid = required.setdefault(str(row.queue_id), [[0] * periods for _ in range(days)])
        minute = wall_minute(instant=row.interval_start, first_day=first_day, timezone=tz)
        for k in range(max(1, row.interval_minutes // interval_minutes)):
            t = minute // interval_minutes + k
            d, p = divmod(t, periods)
            if 0 <= d < days:
                grid[d][p] = max(grid[d][p], row.scheduled_agents)
    demands = []
    for queue_id, grid in sorted(required.items()):
        for d, row_ in enumerate(grid):
            for p, need in enumerate(row_):
                row_[p] = max(0, need - other_cover.get((queue_id, d * periods + p), 0))
        demands.append(
            IntervalDemand(
                queue=queue_id,
                required=tuple(tuple(r) for r in grid),
                under_weight=UNDER_COVER_WEIGHT,
                over_weight=0,
            )
        )
    return tuple(demands)


def _published_cover(
    site: Site,
    queues: dict[str, Queue],
    first_day: date,
    last_day: date,
    interval_minutes: int,
    *,
    exclude_scope: str,
) -> dict[tuple[str, int], int]:
    """Phone cover per (queue, period of the horizon) from other lines' published shifts."""
    start, end = local_day_bounds(first_day=first_day, last_day=last_day, timezone=site.timezone)
    shifts = (
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            queue_id__in=list(queues),
            activity=Activity.PHONE,
            start__lt=end,
            end__gt=start,
        )
        .exclude(roster__scope_key=exclude_scope)
        .prefetch_related("breaks")
    )
    return phone_cover(
        shifts, first_day=first_day, interval_minutes=interval_minutes, tz=site.timezone
    )


def phone_cover(
    shifts: Iterable[Shift], *, first_day: date, interval_minutes: int, tz: str
) -> dict[tuple[str, int], int]:
    """Agents on the phone per (queue id, period index from first_day) on the wall-clock axis,
    breaks excluded; a period counts when the shift covers any of it."""
    cover: dict[tuple[str, int], int] = defaultdict(int)
    for shift in shifts:
        if shift.queue_id is None:
            continue
        start = wall_minute(instant=shift.start, first_day=first_day, timezone=tz)
        end = wall_minute(instant=shift.end, first_day=first_day, timezone=tz)
        breaks = tuple(
            Break(
                start_minute=(
                    b_start := wall_minute(instant=b.start, first_day=first_day, timezone=tz)
                ),
                length_minutes=wall_minute(instant=b.end, first_day=first_day, timezone=tz)
                - b_start,
                paid=b.paid,
            )
            for b in shift.breaks.all()
        )
        assignment = Assignment(
            employee=str(shift.employee_id),
            day=start // 1440,
            template="",
            start_minute=start,
            length_minutes=end - start,
            breaks=breaks,
            queue=str(shift.queue_id),
            activity=shift.activity,
        )
        for t in phone_periods(assignment, interval_minutes):
            cover[(str(shift.queue_id), t)] += 1
    return cover


def _pinned(base: Roster | None, now: datetime) -> list[Shift]:
    if base is None:
        return []
    return list(
        base.shifts.filter(Q(pinned=True) | Q(start__lt=now))
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )


def _pin(shift: Shift, first_day: date, tz: str) -> Pin:
    start = wall_minute(instant=shift.start, first_day=first_day, timezone=tz)
    end = wall_minute(instant=shift.end, first_day=first_day, timezone=tz)
    template = shift.template
    tid = solver_template_id(template, shift.queue_id) if template is not None else "manual"
    return Pin(
        employee=str(shift.employee_id),
        day=start // 1440,
        template=tid,
        start_minute=start,
        length_minutes=end - start,
    )


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
