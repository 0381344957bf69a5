"""The payroll review of a period: per employee the totals payroll checks before closing
(regular and overtime hours, premiums, fines, adjustments, gross) and the exceptions still
open, filtered and one page at a time, with the totals of everyone the filters keep.

A closed period reads only its frozen lines, summed in the database (the people paid in it,
leavers and people moved since included, under the names frozen at the close). An open one
works out the pay of the people the filters keep in one bulk pass (a fixed number of queries
whatever the head count): the totals need all of them; only the page is shown."""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, Lower

from organisation.models import Employee
from organisation.sentences import Sentence
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.pay import PayCode
from timeclock.selectors.across_sites import MOVED_SITE, across_sites
from timeclock.selectors.pay import paid_here, pay_lines_build
from timeclock.selectors.periods import period_people
from timeclock.selectors.timesheets import employee_timesheets

ZERO = Decimal(0)
PER_PAGE = 100
NO_TEAM = "none"  # the team filter's "no team of this site"


# The review's money columns: every pay code in exactly one, so that a row's columns add up
# to its gross (a test holds every PayCode to it). Regular, overtime and training show their
# hours as well.
COLUMNS = {
    PayCode.REGULAR: "regular",
    PayCode.OVERTIME: "overtime",
    PayCode.TRAINING: "training",
    PayCode.NIGHT_PREMIUM: "premiums",
    PayCode.EVENING_PREMIUM: "premiums",
    PayCode.WEEKEND_PREMIUM: "premiums",
    PayCode.SATURDAY_PREMIUM: "premiums",
    PayCode.SUNDAY_PREMIUM: "premiums",
    PayCode.HOLIDAY_PREMIUM: "premiums",
    PayCode.MENTORING_PREMIUM: "premiums",
    PayCode.LATENESS_PENALTY: "fines",
    PayCode.ABSENCE_PENALTY: "fines",
    PayCode.ADJUSTMENT: "adjustments",
}
HOURS_COLUMNS = ("regular", "overtime", "training")


@dataclass
class ReviewRow:
    employee_id: str
    name: str = ""
    number: str = ""
    regular_hours: Decimal = ZERO
    regular: Decimal = ZERO  # amounts, in the period's currency
    overtime_hours: Decimal = ZERO
    overtime: Decimal = ZERO
    training_hours: Decimal = ZERO
    training: Decimal = ZERO
    premiums: Decimal = ZERO
    fines: Decimal = ZERO
    adjustments: Decimal = ZERO
    other: Decimal = ZERO  # a code no column knows (none today); shown only when not zero
    gross: Decimal = ZERO
    lines: int = 0
    exceptions: list[str] = field(default_factory=list)  # open, one per shift and kind
    notes: list[Sentence] = field(default_factory=list)  # what to check (moved_site)

    def add(self, pay_code: str, hours: Decimal, amount: Decimal, lines: int = 1) -> None:
        column = COLUMNS.get(pay_code, "other")  # type: ignore[call-overload]
        setattr(self, column, getattr(self, column) + amount)
        if column in HOURS_COLUMNS:
            setattr(self, f"{column}_hours", getattr(self, f"{column}_hours") + hours)
        self.gross += amount
        self.lines += lines

    def merge(self, other: "ReviewRow") -> None:
        """Adds `other`'s figures and exceptions (the totals row)."""
        for name in (*COLUMN_NAMES, *(f"{c}_hours" for c in HOURS_COLUMNS), "gross", "lines"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.exceptions.extend(other.exceptions)


COLUMN_NAMES = (*dict.fromkeys(COLUMNS.values()), "other")


@dataclass(frozen=True)
class Review:
    rows: list[ReviewRow]  # the page's
    totals: ReviewRow  # of everyone the filters keep
    people: int
    page: int
    pages: int

    @property
    def lines(self) -> int:
        return self.totals.lines

    @property
    def open_exceptions(self) -> int:
        return len(self.totals.exceptions)


@dataclass(frozen=True)
class ReviewFilter:
    # A team of the period's site: those paid in it (a closed period: the team frozen on its
    # lines, whatever team they are in now); NO_TEAM: those paid as no team of the site.
    team: Any = None
    search: str = ""
    only_exceptions: bool = False

    @property
    def needle(self) -> str:
        """The search without control characters (PostgreSQL refuses a NUL in a string)."""
        return "".join(c for c in self.search if unicodedata.category(c) != "Cc").strip()


def payroll_review(
    *,
    period: PayPeriod,
    filters: ReviewFilter | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    adjustments: Iterable[PayLineRecord] = (),
) -> Review:
    """The paid employees of the period that `filters` keep (team, name or number, only those
    with open exceptions), page `page` of them by name, with their totals; `adjustments`: the
    unsaved adjustment lines closing an open period would book (closed: frozen already)."""
    filters = filters or ReviewFilter()
    if period.status == PayPeriod.Status.CLOSED:
        return _frozen(period, filters, page, per_page)
    return _computed(period, filters, page, per_page, list(adjustments))


def _page(page: int, per_page: int, count: int) -> tuple[int, int, int]:
    """(page, pages, offset), the page clamped into 1..pages."""
    pages = max(1, -(-count // per_page))
    page = min(max(1, page), pages)
    return page, pages, (page - 1) * per_page


def _frozen(period: PayPeriod, filters: ReviewFilter, page: int, per_page: int) -> Review:
    lines = PayLineRecord.objects.filter(period=period)
    if filters.team == NO_TEAM:
        lines = lines.filter(team__isnull=True)
    elif filters.team is not None:
        lines = lines.filter(team=filters.team)  # as frozen at the close
    if filters.needle:
        lines = lines.filter(
            Q(employee_name__icontains=filters.needle)
            | Q(employee_number__icontains=filters.needle)
        )
    if filters.only_exceptions:  # a closed period has none left open
        lines = lines.none()
    people = (
        lines.values("employee_id", "employee_name", "employee_number")
        .annotate(n=Count("id"))
        .order_by(Lower("employee_name"), "employee_number", "employee_id")
    )
    count = people.count()
    page, pages, offset = _page(page, per_page, count)
    rows = {
        str(p["employee_id"]): ReviewRow(
            str(p["employee_id"]), p["employee_name"], p["employee_number"]
        )
        for p in people[offset : offset + per_page]
    }
    for s in _sums(lines.filter(employee_id__in=list(rows)), "employee_id", "pay_code"):
        rows[str(s["employee_id"])].add(s["pay_code"], s["hours"], s["amount"], s["lines"])
    totals = ReviewRow("")
    for s in _sums(lines, "pay_code"):
        totals.add(s["pay_code"], s["hours"], s["amount"], s["lines"])
    return Review(list(rows.values()), totals, count, page, pages)


def _sums(lines: QuerySet[PayLineRecord], *keys: str) -> Any:
    return (
        lines.values(*keys)
        .annotate(hours=Sum("hours"), amount=Sum("amount"), lines=Count("id"))
        .order_by()
    )


def _computed(
    period: PayPeriod,
    filters: ReviewFilter,
    page: int,
    per_page: int,
    adjustments: list[PayLineRecord],
) -> Review:
    found = _filtered(period_people(period=period, also=_ids(adjustments)), filters, period)
    people = paid_here(found, period=period)
    if filters.team is not None:  # the team each is paid in, as the close will freeze it
        kept = {str(p.pk) for p in people if _paid_team(p) == _team_key(filters.team)}
        found = [p for p in found if str(p.pk) in kept]
        people = [p for p in people if str(p.pk) in kept]
    moved = across_sites(period=period, people=found)
    sheets = employee_timesheets(
        employees=people,
        site=period.site,
        first=period.start_date,
        last=period.end_date,
        site_rosters_only=True,
    )
    open_exceptions = {
        key: [e for row in sheet.shifts for e in row.exceptions if e != "excused"]
        + ([MOVED_SITE] if key in moved else [])
        for key, sheet in sheets.items()
    }
    if filters.only_exceptions:
        people = [p for p in people if open_exceptions[str(p.pk)]]
    lines = pay_lines_build(
        timesheets=sheets, employees=people, first=period.start_date, last=period.end_date
    )
    booked: dict[str, list[PayLineRecord]] = defaultdict(list)
    for record in adjustments:
        booked[str(record.employee_id)].append(record)
    rows = []
    for person in people:
        key = str(person.pk)
        row = ReviewRow(key, person.full_name, person.number, exceptions=open_exceptions[key])
        row.notes = [moved[key]] if key in moved else []
        for line in lines[key]:
            row.add(str(line.pay_code), line.hours, line.amount)
        for record in booked[key]:
            row.add(record.pay_code, record.hours, record.amount)
        if row.lines or row.exceptions:
            rows.append(row)
    rows.sort(key=lambda r: (r.name.lower(), r.number))
    page, pages, offset = _page(page, per_page, len(rows))
    return Review(rows[offset : offset + per_page], _total(rows), len(rows), page, pages)


def _ids(adjustments: list[PayLineRecord]) -> set[str]:
    return {str(r.employee_id) for r in adjustments}


def _paid_team(person: Employee) -> Any:
    """The team `person` is paid in (after paid_here); None for the site's unsaved stand-in."""
    return None if person.team._state.adding else person.team.pk


def _team_key(team: Any) -> Any:
    return None if team == NO_TEAM else team.pk


def _filtered(
    people: QuerySet[Employee], filters: ReviewFilter, period: PayPeriod
) -> list[Employee]:
    """The team and the search (in first and last name, user name and number) in the
    database, before any pay is worked out. Someone now at another site may be paid in a
    team of this one (its roster's): kept here, sorted out once paid_here says."""
    elsewhere = ~Q(team__site=period.site)
    if filters.team == NO_TEAM:
        people = people.filter(elsewhere)
    elif filters.team is not None:
        people = people.filter(Q(team=filters.team) | elsewhere)
    if filters.needle:
        people = people.annotate(
            _said=Concat(
                "user__first_name",
                Value(" "),
                "user__last_name",
                Value(" "),
                "user__username",
                Value(" "),
                "number",
            )
        ).filter(_said__icontains=filters.needle)
    return list(people)


def _total(rows: list[ReviewRow]) -> ReviewRow:
    total = ReviewRow("")
    for r in rows:
        total.merge(r)
    return total
