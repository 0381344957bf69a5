"""Who could take a shift, best first: skilled for its queue, free at the time, available (no
leave or unavailability), with room under their weekly contract, and the rules clean once
they have it (scheduling/rules.py, the same check the edit will make)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from organisation.models import Employee
from organisation.selectors.organisation import scope_employees
from scheduling.models import AvailabilityBlock, Roster, Shift, ShiftBreak
from scheduling.rules import check
from scheduling.selectors.roster_rules import roster_rules_input, shift_assignments

# The rules are checked for this many of the best placed people (a site roster has hundreds).
RULE_CHECKED = 12


@dataclass(frozen=True)
class Candidate:
    employee: Employee
    skilled: bool  # for the shift's queue (always, for other activities)
    free: bool  # no shift of theirs overlaps
    available: bool  # no approved leave or unavailability over the shift
    week_minutes: int  # paid minutes in the shift's Monday-Sunday week, before taking it
    max_week_minutes: int
    violations: tuple[dict[str, Any], ...] | None  # what taking it breaks; None: not checked

    @property
    def room_minutes(self) -> int:
        return self.max_week_minutes - self.week_minutes

    @property
    def fits(self) -> bool:
        return self.skilled and self.free and self.available and self.violations == ()

    def rank(self, shift_minutes: int) -> tuple[int, ...]:
        return (
            not self.skilled,
            not self.free,
            not self.available,
            self.violations is None,
            len(self.violations or ()),
            self.room_minutes < shift_minutes,  # would go over the contract
            -self.room_minutes,
        )


def shift_candidates(*, shift: Shift, now: datetime, limit: int = 8) -> list[Candidate]:
    """The people of the shift's roster scope who could take it instead of its person, best
    first (see Candidate.rank); the rules are checked for the RULE_CHECKED best placed."""
    roster: Roster = shift.roster
    last_day = roster.start_date + timedelta(days=roster.days - 1)
    people = [
        p
        for p in scope_employees(
            site=roster.site,
            team=roster.team,
            first_day=shift.local_date,
            last_day=shift.local_date,
        )
        if p.pk != shift.employee_id
    ]
    ids = [p.pk for p in people]
    busy = set(
        roster.shifts.filter(
            employee_id__in=ids, start__lt=shift.end, end__gt=shift.start
        ).values_list("employee_id", flat=True)
    )
    away = set(
        AvailabilityBlock.objects.filter(
            employee_id__in=ids,
            kind__in=[AvailabilityBlock.Kind.TIME_OFF, AvailabilityBlock.Kind.UNAVAILABLE],
            start__lt=shift.end,
            end__gt=shift.start,
        ).values_list("employee_id", flat=True)
    )
    monday = shift.local_date - timedelta(days=shift.local_date.weekday())
    week = (max(monday, roster.start_date), min(monday + timedelta(days=6), last_day))
    worked = _week_minutes(roster, ids, week)
    found = [
        Candidate(
            employee=p,
            skilled=shift.queue_id is None or any(q.pk == shift.queue_id for q in p.queues.all()),
            free=p.pk not in busy,
            available=p.pk not in away,
            week_minutes=worked.get(p.pk, 0),
            max_week_minutes=p.max_weekly_minutes,
            violations=None,
        )
        for p in people
    ]
    minutes = _paid(shift)
    found.sort(key=lambda c: c.rank(minutes))
    checked = _with_rules(roster, shift, found[:RULE_CHECKED], now)
    return sorted(checked + found[RULE_CHECKED:], key=lambda c: c.rank(minutes))[:limit]


def _paid(shift: Shift) -> int:
    unpaid = sum((b.end - b.start for b in shift.breaks.all() if not b.paid), timedelta(0))
    return int((shift.end - shift.start - unpaid).total_seconds() // 60)


def _week_minutes(roster: Roster, ids: list[Any], week: tuple[Any, Any]) -> dict[Any, int]:
    span = {"local_date__gte": week[0], "local_date__lte": week[1]}
    minutes: dict[Any, int] = defaultdict(int)
    owner = {}
    for pk, who, start, end in roster.shifts.filter(employee_id__in=ids, **span).values_list(
        "pk", "employee_id", "start", "end"
    ):
        owner[pk] = who
        minutes[who] += int((end - start).total_seconds() // 60)
    for shift_id, start, end in ShiftBreak.objects.filter(
        shift_id__in=list(owner), paid=False
    ).values_list("shift_id", "start", "end"):
        minutes[owner[shift_id]] -= int((end - start).total_seconds() // 60)
    return minutes


def _with_rules(
    roster: Roster, shift: Shift, candidates: list[Candidate], now: datetime
) -> list[Candidate]:
    """The candidates with the violations taking the shift would bring them, each checked on
    a problem of their own (the rules of one person never depend on another's shifts)."""
    if not candidates:
        return []
    ids = {str(c.employee.pk) for c in candidates}
    built = roster_rules_input(roster, now=now, only=ids, demand=False)
    theirs: dict[str, list[Shift]] = defaultdict(list)
    rows = roster.shifts.filter(employee_id__in=ids).select_related("template")
    for s in rows.prefetch_related("breaks"):
        theirs[str(s.employee_id)].append(s)
    moved = shift_assignments(built, [shift])[0]
    by_id = {e.id: e for e in built.problem.employees}
    result = []
    for c in candidates:
        who = str(c.employee.pk)
        if who not in by_id:  # not employed that day: not a candidate at all
            continue
        own = replace(
            built.problem,
            employees=(by_id[who],),
            pins=tuple(p for p in built.problem.pins if p.employee == who),
        )
        before = shift_assignments(built, theirs[who])
        new = Counter(check(own, [*before, replace(moved, employee=who)])) - Counter(
            check(own, before)
        )
        result.append(replace(c, violations=tuple(built.violation_json(v) for v in new.elements())))
    return result
