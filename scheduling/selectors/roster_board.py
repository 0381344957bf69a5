"""The schedule board's reads: the people of a roster's scope with their paid time in a window
of days against their contract, filtered and sorted; their shifts (with breaks) and their
approved leave per local day; and what the filters can offer. A few queries per page,
whatever the number of people."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q

from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Queue, Team
from organisation.selectors.organisation import scope_employees
from scheduling.models import AvailabilityBlock, Roster, ShiftBreak

SORTS = ("name", "number", "hours", "under", "over")


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: `team` and `queue`, `skill` (queue ids), `contract` (weekly
    maximum minutes), `search` (name or number), `sort` (one of SORTS)."""

    team: str = ""
    queue: str = ""  # people with a shift on this queue in the window
    skill: str = ""  # people skilled for this queue
    contract: int | None = None
    search: str = ""
    sort: str = "name"


@dataclass(frozen=True)
class BoardPerson:
    employee: Employee
    paid_minutes: int | None  # in the window (None: not counted yet, roster_board_hours)
    min_minutes: int  # the contract's weekly minimum and maximum, over the window's days
    max_minutes: int

    @property
    def balance_minutes(self) -> int:
        """Above the contract's maximum (> 0), below its minimum (< 0), or inside it (0)."""
        paid = self.paid_minutes or 0
        if paid > self.max_minutes:
            return paid - self.max_minutes
        return min(0, paid - self.min_minutes)


@dataclass(frozen=True)
class BoardBreak:
    start: datetime  # local
    end: datetime
    paid: bool


@dataclass(frozen=True)
class BoardShift:
    id: Any
    employee_id: str
    day: date
    start: datetime  # local, in the site's zone
    end: datetime
    activity: str
    queue_id: str | None
    template_name: str
    pinned: bool
    breaks: tuple[BoardBreak, ...]
    on_leave: bool  # overlaps the person's approved time off

    @property
    def paid_minutes(self) -> int:
        unpaid = sum((b.end - b.start for b in self.breaks if not b.paid), timedelta(0))
        return int((self.end - self.start - unpaid).total_seconds() // 60)


def board_window(roster: Roster, first: date | None, days: int) -> tuple[date, date]:
    """The window of `days` days from `first`, inside the roster's period (the period's
    start when `first` is outside it)."""
    period_last = roster.start_date + timedelta(days=roster.days - 1)
    if first is None or not roster.start_date <= first <= period_last:
        first = roster.start_date
    return first, min(first + timedelta(days=days - 1), period_last)


# Sorts that need everyone's paid time; the others count it for the page shown only.
HOUR_SORTS = ("hours", "under", "over")


def roster_board_people(
    *,
    roster: Roster,
    first: date,
    last: date,
    filters: BoardFilters,
    ids: set[str] | None = None,
) -> list[BoardPerson]:
    """The scope's people employed in the window (or those of `ids`), filtered and sorted;
    their paid time in the window is counted here for the sorts that need it, else left
    None for roster_board_hours to count for the page shown."""
    people = _people(roster, first, last, filters)
    if ids is not None:
        people = people.filter(pk__in=ids)
    paid = _paid_minutes(roster, first, last) if filters.sort in HOUR_SORTS else None
    share = ((last - first).days + 1) / 7
    rows = [
        BoardPerson(
            employee=p,
            paid_minutes=paid.get(str(p.pk), 0) if paid is not None else None,
            min_minutes=round(p.min_weekly_minutes * share),
            max_minutes=round(p.max_weekly_minutes * share),
        )
        for p in people
    ]
    return _sorted(rows, filters.sort)


def roster_board_hours(
    *, roster: Roster, people: list[BoardPerson], first: date, last: date
) -> list[BoardPerson]:
    """The people with their paid time in the window counted (for those not counted yet)."""
    missing = [str(p.employee.pk) for p in people if p.paid_minutes is None]
    if not missing:
        return people
    paid = _paid_minutes(roster, first, last, ids=missing)
    return [
        replace(p, paid_minutes=paid.get(str(p.employee.pk), 0)) if p.paid_minutes is None else p
        for p in people
    ]


def _people(roster: Roster, first: date, last: date, filters: BoardFilters) -> Any:
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=first, last_day=last
    ).prefetch_related(None)
    if filters.team:
        people = people.filter(team_id=filters.team)
    if filters.contract is not None:
        people = people.filter(max_weekly_minutes=filters.contract)
    if filters.search.strip():
        words = filters.search.strip()
        people = people.filter(
            Q(number__icontains=words)
            | Q(user__first_name__icontains=words)
            | Q(user__last_name__icontains=words)
            | Q(user__username__icontains=words)
        )
    if filters.queue:
        working = roster.shifts.filter(
            queue_id=filters.queue, local_date__gte=first, local_date__lte=last
        ).values("employee_id")
        people = people.filter(pk__in=working)
    if filters.skill:
        skilled = Employee.queues.through.objects.filter(queue_id=filters.skill)
        people = people.filter(pk__in=skilled.values("employee_id"))
    return people


def _sorted(rows: list[BoardPerson], sort: str) -> list[BoardPerson]:
    def name(row: BoardPerson) -> tuple[str, str]:
        return (row.employee.full_name.casefold(), row.employee.number)

    if sort == "number":
        return sorted(rows, key=lambda r: r.employee.number)
    if sort == "hours":
        return sorted(rows, key=lambda r: (-(r.paid_minutes or 0), name(r)))
    if sort == "under":
        return sorted(rows, key=lambda r: (r.balance_minutes, name(r)))
    if sort == "over":
        return sorted(rows, key=lambda r: (-r.balance_minutes, name(r)))
    return sorted(rows, key=name)


def _paid_minutes(
    roster: Roster, first: date, last: date, ids: list[str] | None = None
) -> dict[str, int]:
    """Paid minutes per person (everyone, or `ids`) over the roster's shifts starting in the
    window: two queries of plain tuples."""
    in_window: dict[str, Any] = {"local_date__gte": first, "local_date__lte": last}
    if ids is not None:
        in_window["employee_id__in"] = ids
    paid: dict[str, int] = defaultdict(int)
    owner: dict[Any, str] = {}
    for pk, employee_id, start, end in roster.shifts.filter(**in_window).values_list(
        "pk", "employee_id", "start", "end"
    ):
        owner[pk] = str(employee_id)
        paid[str(employee_id)] += int((end - start).total_seconds() // 60)
    unpaid = ShiftBreak.objects.filter(
        shift__roster=roster, paid=False, **{f"shift__{k}": v for k, v in in_window.items()}
    ).values_list("shift_id", "start", "end")
    for shift_id, start, end in unpaid:
        paid[owner[shift_id]] -= int((end - start).total_seconds() // 60)
    return dict(paid)


def roster_board_shifts(
    *, roster: Roster, people: list[str], first: date, last: date
) -> dict[tuple[str, date], list[BoardShift]]:
    """The shifts of `people` (ids) starting in the window, by person and local day, in
    local time, each marked when it overlaps the person's approved time off."""
    zone = ZoneInfo(roster.site.timezone)
    breaks = ShiftBreak.objects.only("shift_id", "start", "end", "paid").order_by("start")
    rows = (
        roster.shifts.filter(employee_id__in=people, local_date__gte=first, local_date__lte=last)
        .select_related("template")
        .only(
            "id",
            "roster_id",
            "employee_id",
            "start",
            "end",
            "activity",
            "queue_id",
            "local_date",
            "pinned",
            "template__name",
        )
        .prefetch_related(Prefetch("breaks", queryset=breaks))
        .order_by("start")
    )
    leave = _time_off_spans(people, first, last + timedelta(days=1), roster.site.timezone)
    found: dict[tuple[str, date], list[BoardShift]] = defaultdict(list)
    for s in rows:
        who = str(s.employee_id)
        found[(who, s.local_date)].append(
            BoardShift(
                id=s.pk,
                employee_id=who,
                day=s.local_date,
                start=s.start.astimezone(zone),
                end=s.end.astimezone(zone),
                activity=s.activity,
                queue_id=str(s.queue_id) if s.queue_id else None,
                template_name=s.template.name if s.template else "",
                pinned=s.pinned,
                breaks=tuple(
                    BoardBreak(b.start.astimezone(zone), b.end.astimezone(zone), b.paid)
                    for b in s.breaks.all()
                ),
                on_leave=any(a < s.end and s.start < b for a, b in leave.get(who, ())),
            )
        )
    return found


def _time_off_spans(
    people: list[str], first: date, last: date, tz: str
) -> dict[str, list[tuple[datetime, datetime]]]:
    start, end = local_day_bounds(first_day=first, last_day=last, timezone=tz)
    spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for who, a, b in AvailabilityBlock.objects.filter(
        employee_id__in=people,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start__lt=end,
        end__gt=start,
    ).values_list("employee_id", "start", "end"):
        spans[str(who)].append((a, b))
    return spans


@dataclass(frozen=True)
class BoardOptions:
    teams: list[Team]
    queues: list[Queue]
    contracts: list[int]  # weekly maximum minutes


def roster_board_options(*, roster: Roster) -> BoardOptions:
    """The teams, queues and weekly contracts of the roster's scope, for the filters."""
    last = roster.start_date + timedelta(days=roster.days - 1)
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=roster.start_date, last_day=last
    )
    teams = list(Team.objects.filter(pk__in=people.values("team_id")).order_by("name"))
    queues = list(
        Queue.objects.filter(site_id=roster.site_id, employees__in=people.values("pk"))
        .distinct()
        .order_by("name")
    )
    contracts = sorted(
        set(people.values_list("max_weekly_minutes", flat=True).order_by()), reverse=True
    )
    return BoardOptions(teams, queues, contracts)
