"""Demo stage "requests": on Amsterdam's published roster, two operators swap shifts, one
gives a shift away through the open-shift board, and two ask for the same day off next week
where the team allows one (the second waits in line). Every step goes through the services,
at the demo's clock, with their checks."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import permutations
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.errors import DomainError
from organisation.models import Employee, Team
from scheduling.models import RequestPolicy, Roster, Shift, ShiftSwap, TimeOffRequest
from scheduling.selectors.requests import open_board
from scheduling.services import swaps, time_off

SITE = "Amsterdam"
MAX_TRIES = 40


@dataclass(frozen=True)
class DemoRequests:
    swap: str
    open_shift: str
    time_off: tuple[str, ...]
    roster_version: int


def demo_requests_stage(*, start: date, now: datetime) -> DemoRequests:
    roster = Roster.objects.get(
        site__name=SITE, team=None, start_date=start, status=Roster.Status.PUBLISHED
    )
    team = (
        Team.objects.filter(site=roster.site, employees__shifts__roster=roster)
        .order_by("name")
        .first()
    )
    if team is None:
        raise RuntimeError(f"nobody works in {SITE}'s published roster")
    manager = team.managers.order_by("username").first()
    if manager is None:
        raise RuntimeError(f"{team.name} has no manager to approve requests")
    swap = _direct_swap(roster, team, manager, now)
    given = _open_shift(roster, team, manager, now)
    days_off = _time_off(team, manager, start + timedelta(days=9), now)
    latest = Roster.objects.get(scope_key=roster.scope_key, start_date=start, status="published")
    return DemoRequests(swap, given, days_off, latest.version)


def _shifts(roster: Roster, team: Team) -> list[Shift]:
    return list(
        roster.shifts.filter(employee__team=team)
        .select_related("employee__user", "roster__site", "queue")
        .order_by("start", "employee__number")
    )


def _label(shift: Shift) -> str:
    local = shift.start.astimezone(ZoneInfo(shift.roster.site.timezone))
    return f"{shift.employee.full_name} {local:%a %H:%M}"


def _attempt(work: Callable[[], ShiftSwap]) -> ShiftSwap | None:
    """Run a request; None when its checks refuse it (the demo then tries another pair)."""
    try:
        with transaction.atomic():
            return work()
    except DomainError:
        return None


def _direct_swap(roster: Roster, team: Team, manager: AbstractBaseUser, now: datetime) -> str:
    shifts = _shifts(roster, team)
    days = {(s.employee_id, s.local_date) for s in shifts}
    tries = 0
    for mine, theirs in permutations(shifts, 2):
        if (
            (mine.employee_id, theirs.local_date) in days
            or (theirs.employee_id, mine.local_date) in days
            or mine.end - mine.start != theirs.end - theirs.start
        ):
            continue
        tries += 1
        if tries > MAX_TRIES:
            break
        ask = swaps.SwapAsk(kind="swap", shift=mine, counterpart_shift=theirs)
        swap = _attempt(
            lambda a=ask, m=mine, t=theirs: swaps.swap_accept(
                swap=swaps.swap_request(requester=m.employee, ask=a, user=m.employee.user, now=now),
                employee=t.employee,
                user=t.employee.user,
                now=now,
            )
        )
        if swap is not None:
            swaps.swap_approve(swap=swap, approver=manager, reason="demo", now=now)
            return f"{_label(mine)} <-> {_label(theirs)}: approved by {manager}"
    return "no pair of shifts could be swapped under the rules"


def _open_shift(roster: Roster, team: Team, manager: AbstractBaseUser, now: datetime) -> str:
    """The week is fully booked, so the board is for voluntary overtime: the team lets a
    pick-up take someone up to a day and 8 h past their weekly maximum, and the giver below
    their minimum. The least booked colleagues free that day are asked first."""
    RequestPolicy.objects.update_or_create(
        team=team,
        defaults={
            "trade_overtime_minutes": 480,
            "trade_extra_days": 1,
            "voluntary_below_minimum": True,
        },
    )
    published = Roster.objects.get(
        scope_key=roster.scope_key, start_date=roster.start_date, status="published"
    )
    shifts = _shifts(published, team)
    booked = Counter(s.employee_id for s in shifts)
    tries = 0
    for shift in reversed(shifts):
        busy = {s.employee_id for s in shifts if s.local_date == shift.local_date}
        free = sorted(
            (e for e in Employee.objects.filter(team=team) if e.pk not in busy),
            key=lambda e: (booked[e.pk], e.number),
        )
        if not free:
            continue
        ask = swaps.SwapAsk(kind="open", shift=shift, note="family matter")
        post = swaps.swap_request(
            requester=shift.employee, ask=ask, user=shift.employee.user, now=now
        )
        for colleague in free[:3]:
            tries += 1
            if not open_board(employee=colleague, now=now).filter(pk=post.pk).exists():
                continue
            taken = _attempt(
                lambda c=colleague, p=post: swaps.swap_accept(
                    swap=p, employee=c, user=c.user, now=now
                )
            )
            if taken is not None:
                swaps.swap_approve(swap=taken, approver=manager, reason="demo", now=now)
                return f"{_label(shift)} posted, picked up by {colleague.full_name}, approved"
        swaps.swap_cancel(swap=post, employee=shift.employee, user=shift.employee.user, now=now)
        if tries >= MAX_TRIES:
            break
    return "no open shift found a taker"


def _time_off(team: Team, manager: AbstractBaseUser, day: date, now: datetime) -> tuple[str, ...]:
    RequestPolicy.objects.update_or_create(team=team, defaults={"time_off_max_per_day": 1})
    lines = []
    for person in Employee.objects.filter(team=team).order_by("number")[:2]:
        request = TimeOffRequest.objects.filter(
            employee=person, first_day=day, status__in=time_off.HOLDING
        ).first()
        if request is None:
            request = time_off.time_off_request(
                employee=person,
                first_day=day,
                last_day=day,
                reason="demo",
                user=person.user,
                now=now,
            )
        if request.status == TimeOffRequest.Status.PENDING:
            request = time_off.time_off_approve(request=request, approver=manager, now=now)
        lines.append(f"{person.full_name} off on {day:%a %d %b}: {request.status}")
    return tuple(lines)
