"""Timesheets from the database: an employee's published shifts, effective punches and
approved time off as attendance input; the rows of a timesheet and attendance points."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Max, Min, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Site
from scheduling.models import AvailabilityBlock, Roster, Shift, ShiftBreak
from timeclock.attendance import (
    AttendanceRules,
    PunchEvent,
    ScheduledBreak,
    ScheduledShift,
    Timesheet,
    attendance,
)
from timeclock.models import Punch, PunchCorrection
from timeclock.points import PointsStatus, points_status
from timeclock.selectors.pay_policies import pay_policy_row_for, pay_policy_rows_in_effect

WINDOW = timedelta(hours=4)


def employee_timesheets(
    *,
    employees: list[Employee],
    site: Site,
    first: date,
    last: date,
    now: datetime | None = None,
    site_rosters_only: bool = False,
) -> dict[str, Timesheet]:
    """Each employee's timesheet for the shifts starting on local days first..last (in bulk:
    a fixed number of queries whatever the head count); shifts still to come by `now` are not
    absent yet. `site_rosters_only`: only the rows of the site's rosters' shifts (a pay
    period of the site pays those; someone who moved to another site is paid there for the
    rest). Punches are matched against all of a person's shifts first, whichever site's
    roster they are on: another site's shift left out of the matching would hand its punches
    to a shift of this one (paid twice).

    A shift belongs to the day (and so the pay period) it starts on, and its punches are
    matched up to its end plus the window, across the edge of first..last: a Sunday 22:00 -
    Monday 06:00 shift on a period's last day keeps its Monday clock-out. The shifts of the
    day before and the day after take part in the matching only, so that a punch of theirs
    is never taken for one of these shifts; their rows are left out."""
    now = now or timezone.now()
    start, end = local_day_bounds(first_day=first, last_day=last, timezone=site.timezone)
    ids = [e.pk for e in employees]
    shifts = _shift_rows(ids, first - timedelta(days=1), last + timedelta(days=1))
    by_employee: dict[str, list[ScheduledShift]] = defaultdict(list)
    inside: set[str] = set()
    reach_start = min([start, *(s[3] for s in shifts)])
    reach_end = max([end, *(s[4] for s in shifts)])
    off = _time_off(ids, reach_start, reach_end)
    breaks = _break_rows(ids, first - timedelta(days=1), last + timedelta(days=1)) if shifts else {}
    for pk, origin, employee_id, shift_start, shift_end, local_date, site_id in shifts:
        key = str(employee_id)
        blocks = off.get(key)
        scheduled = ScheduledShift(
            id=str(origin or pk),
            start=shift_start,
            end=shift_end,
            breaks=breaks.get(pk, ()),
            excused=blocks is not None
            and any(a <= shift_start and shift_end <= b for a, b in blocks),
        )
        by_employee[key].append(scheduled)
        if first <= local_date <= last and (not site_rosters_only or site_id == site.pk):
            inside.add(scheduled.id)
    # In no order: attendance sorts each person's punches itself.
    punches = _effective_punches(ids, reach_start - WINDOW, reach_end + WINDOW, in_order=False)
    rules = attendance_rules_resolve(employees=employees, on=first)
    sheets = {}
    for e in employees:
        key = str(e.pk)
        sheet = attendance(by_employee.get(key, []), punches.get(key, []), rules[key], now=now)
        sheets[key] = Timesheet(
            shifts=tuple(row for row in sheet.shifts if row.shift.id in inside),
            unscheduled=tuple(u for u in sheet.unscheduled if start <= u.start < end),
        )
    return sheets


def punch_reach(*, site: Site, first: date, last: date) -> tuple[datetime, datetime]:
    """The instants between which a punch can belong to a shift of the site's rosters
    starting on first..last (someone's who moved to another site since too): the local days,
    stretched to the shifts' own ends, plus the window."""
    start, end = local_day_bounds(first_day=first, last_day=last, timezone=site.timezone)
    span = Shift.objects.filter(
        roster__site=site,
        state=Roster.Status.PUBLISHED,
        local_date__gte=first,
        local_date__lte=last,
    ).aggregate(first_start=Min("start"), last_end=Max("end"))
    start = min(start, span["first_start"] or start)
    end = max(end, span["last_end"] or end)
    return start - WINDOW, end + WINDOW


def _published(ids: list[Any], first: date, last: date) -> Any:
    return Shift.objects.filter(
        employee_id__in=ids,
        state=Roster.Status.PUBLISHED,
        local_date__gte=first,
        local_date__lte=last,
    )


def _shift_rows(ids: list[Any], first: date, last: date) -> list[tuple[Any, ...]]:
    """(id, origin, employee, start, end, local day, roster's site) of the published shifts,
    in no order (attendance sorts each person's): plain rows, no model instances (10,000
    people x a month is 220,000 shifts, which sorted on the server spilled to disk)."""
    rows = instant_rows(
        _published(ids, first, last).order_by(),
        ["id", "origin", "employee_id", "start", "end", "local_date", "roster__site_id"],
        instants={"start", "end"},
        texts={"id", "origin", "employee_id"},
    )
    at = Instants()
    return [(a, b, c, at[d], at[e], f, g) for a, b, c, d, e, f, g in rows]


def _break_rows(ids: list[Any], first: date, last: date) -> dict[Any, tuple[ScheduledBreak, ...]]:
    """The breaks of those shifts, per shift in the order they start (then by id), in one
    query; sorted here, a shift's few at a time (a site's month sorted on the server spilled
    to disk)."""
    found: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    shifts = _published(ids, first, last)
    rows = ShiftBreak.objects.filter(shift__in=shifts).order_by()
    names = ["shift_id", "start", "id", "end", "paid"]
    read = instant_rows(rows, names, instants={"start", "end"}, texts={"shift_id"})
    for shift_id, start, pk, end, paid in read:
        found[shift_id].append((start, pk, end, paid))
    at = Instants()
    return {
        k: tuple(
            ScheduledBreak(at[start], at[end], paid)
            for start, _, end, paid in (sorted(v) if len(v) > 1 else v)
        )
        for k, v in found.items()
    }


def instant_rows(
    queryset: QuerySet[Any],
    names: list[str],
    *,
    instants: set[str],
    texts: Collection[str] = (),
) -> Any:
    """`values_list(*names)`, the `instants` among them read on PostgreSQL as their UTC
    wall time in ISO text with "+00:00" (exact to the microsecond), which `instant` turns
    into aware UTC datetimes (datetime.fromisoformat): psycopg's own parsing was most of
    reading a month of 10,000 people's punches and shifts, and integer microseconds
    (EXTRACT's numeric) cost the server three times a plain read; the `texts` (ids) read
    there as their text, which is what str() of the UUID or integer gives, without making
    one per row. Elsewhere as the backend gives them."""
    if connection.vendor != "postgresql":
        return queryset.values_list(*names)
    table = queryset.model._meta.db_table

    def column(name: str) -> str:
        return f'"{table}"."{queryset.model._meta.get_field(name).column}"'  # type: ignore[union-attr]

    read = {
        f"_at_{name}": RawSQL(f"({column(name)} AT TIME ZONE 'UTC')::text || '+00:00'", [])
        for name in instants
    } | {f"_tx_{name}": RawSQL(f"{column(name)}::text", []) for name in texts}
    fields = [f"_at_{n}" if n in instants else f"_tx_{n}" if n in texts else n for n in names]
    return queryset.annotate(**read).values_list(*fields)


def instant(value: Any) -> Any:
    """An instant of `instant_rows`: its ISO text, or already a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


class Instants(dict[Any, Any]):
    """`instant` of each value, made once: a site's shifts and breaks start and end at a few
    thousand instants (and share the datetimes)."""

    def __missing__(self, value: Any) -> Any:
        made = self[value] = instant(value)
        return made


def attendance_rules_resolve(*, employees: list[Employee], on: date) -> dict[str, AttendanceRules]:
    """Each employee's attendance rules: the lateness grace of their team's pay policy in
    effect on the local day `on`, else their site's, else the default (one query)."""
    found = pay_policy_rows_in_effect(
        site_ids={e.team.site_id for e in employees},
        team_ids={e.team_id for e in employees},
        on=on,
    )
    default = AttendanceRules()
    rules = {}
    for e in employees:
        row = pay_policy_row_for(found, site_id=e.team.site_id, team_id=e.team_id)
        grace = row.grace_minutes if row is not None else default.grace_minutes
        rules[str(e.pk)] = replace(default, grace_minutes=grace)
    return rules


def _time_off(ids: list[Any], start: Any, end: Any) -> dict[str, list[tuple[Any, Any]]]:
    blocks: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
    rows = AvailabilityBlock.objects.filter(
        employee_id__in=ids, kind=AvailabilityBlock.Kind.TIME_OFF, start__lt=end, end__gt=start
    ).values_list("employee_id", "start", "end")
    for employee_id, a, b in rows:
        blocks[str(employee_id)].append((a, b))
    return blocks


def _effective_punches(
    ids: list[Any], start: Any, end: Any, *, in_order: bool = True
) -> dict[str, list[PunchEvent]]:
    """Punches at their corrected time, moved or voided by corrections, plus added ones; in
    the order they happened (occurred_at, id), or in none when not `in_order` (a site's
    month sorted on the server for nothing spills to disk)."""
    moves: dict[str, Any] = {}
    voided: set[str] = set()
    corrections = PunchCorrection.objects.filter(employee_id__in=ids).order_by("created_at", "id")
    added: dict[str, list[PunchEvent]] = defaultdict(list)
    for c in corrections.filter(punch__isnull=False):
        punch = str(c.punch_id)
        if c.action == PunchCorrection.Action.VOID:
            voided.add(punch)
            moves.pop(punch, None)
        elif c.action == PunchCorrection.Action.MOVE:
            voided.discard(punch)
            moves[punch] = c.occurred_at
    for c in corrections.filter(
        action=PunchCorrection.Action.ADD, occurred_at__gte=start, occurred_at__lt=end
    ):
        added[str(c.employee_id)].append(PunchEvent(f"c{c.pk}", c.kind, c.occurred_at))  # type: ignore[arg-type]
    punches = Punch.objects.filter(
        employee_id__in=ids, corrected_at__gte=start, corrected_at__lt=end
    )
    rows = instant_rows(
        punches if in_order else punches.order_by(),
        ["id", "employee_id", "kind", "corrected_at"],
        instants={"corrected_at"},
        texts={"id", "employee_id"},
    )
    by_employee: dict[Any, list[PunchEvent]] = defaultdict(list)
    parse = datetime.fromisoformat  # `instant`, inlined: a site's month is a million rows
    for pk, employee_id, kind, at in rows:
        key = str(pk)
        if key in voided:
            continue
        when = moves.get(key) or (parse(at) if isinstance(at, str) else at)
        by_employee[employee_id].append(PunchEvent(key, kind, when))
    found: dict[str, list[PunchEvent]] = defaultdict(list)
    found.update((str(employee_id), events) for employee_id, events in by_employee.items())
    for key, extra in added.items():
        found[key].extend(extra)
    return found


def timesheet_row_list(*, employee: Employee, first: date, last: date) -> list[dict[str, Any]]:
    return timesheet_get(employee=employee, first=first, last=last)[0]


UNSCHEDULED = "unscheduled:"  # + the first punch's id: the row key of punches with no shift


def timesheet_get(
    *, employee: Employee, first: date, last: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The shift rows of local days first..last, and the punches that fall in no shift's
    window (paired in -> out) as rows of their own: the operator sees them and can ask for a
    correction; they are in no shift, so not in the worked total or pay."""
    site = employee.team.site
    zone = ZoneInfo(site.timezone)
    sheet = employee_timesheets(employees=[employee], site=site, first=first, last=last)[
        str(employee.pk)
    ]
    rows = [
        {
            "shift": row.shift.id,
            "work_date": row.shift.start.astimezone(zone).date(),
            "scheduled_start": row.shift.start,
            "scheduled_end": row.shift.end,
            "clock_in": row.clock_in,
            "clock_out": row.clock_out,
            "worked_minutes": row.worked_seconds // 60,
            "unpaid_break_minutes": row.unpaid_break_seconds // 60,
            "late_minutes": row.late_minutes,
            "early_leave_minutes": row.early_leave_minutes,
            "exceptions": list(row.exceptions),
            # The punches the row was made of (not the added ones), for asking to move one.
            "punches": [int(p) for p in row.punch_ids if p.isdigit()],
        }
        for row in sheet.shifts
    ]
    ids = [int(p) for u in sheet.unscheduled for p in u.punch_ids if p.isdigit()]
    kinds = dict(Punch.objects.filter(pk__in=ids).values_list("pk", "kind")) if ids else {}
    unscheduled = []
    for work in sheet.unscheduled:
        punches = [int(p) for p in work.punch_ids if p.isdigit()]
        lone_out = len(work.punch_ids) == 1 and kinds.get(punches[0] if punches else 0) == "out"
        clock_in = None if lone_out else work.start
        clock_out = work.start if lone_out else work.end
        unscheduled.append(
            {
                "shift": f"{UNSCHEDULED}{work.punch_ids[0]}",
                "work_date": work.start.astimezone(zone).date(),
                "scheduled_start": work.start,
                "scheduled_end": work.end or work.start,
                "clock_in": clock_in,
                "clock_out": clock_out,
                "worked_minutes": int((clock_out - clock_in).total_seconds() // 60)
                if clock_in and clock_out
                else 0,
                "exceptions": [],
                "punches": punches,
                "unscheduled": True,
            }
        )
    return rows, unscheduled


def points_get(*, employee: Employee, on: date) -> PointsStatus:
    window = timedelta(days=90)
    rows = timesheet_row_list(employee=employee, first=on - window, last=on)
    incidents = [
        (row["work_date"], kind)
        for row in rows
        for kind in ("late", "absent")
        if kind in row["exceptions"]
    ]
    return points_status(incidents, on=on)
