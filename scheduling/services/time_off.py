"""Time-off requests: an operator asks for whole local days, a manager approves or rejects.

A team allows a number of operators off per local day (its policy, or a day's own limit).
An approval that does not fit waits in line (waitlisted) and is granted automatically, first
come first served, as soon as a cancellation or a raised limit makes room. Granted time off
is an availability block: the solver plans around it and pay excuses the absence. Every
decision locks the team's row, so concurrent approvals never exceed a day's limit.
"""

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from organisation.errors import InvalidInput, NotPermitted
from organisation.jobs import task_enqueue_on_commit
from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Team
from organisation.selectors.organisation import team_list_managed
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from scheduling.errors import (
    TimeOffInPast,
    TimeOffOverlaps,
    TimeOffOwnRequest,
    TimeOffStarted,
    TimeOffTooLong,
    TimeOffWrongState,
    TooManyOpenRequests,
)
from scheduling.models import AvailabilityBlock, TimeOffCapacity, TimeOffRequest
from scheduling.services.request_policies import request_policy

Status = TimeOffRequest.Status
OPEN = (Status.PENDING, Status.WAITLISTED)
HOLDING = (Status.PENDING, Status.WAITLISTED, Status.APPROVED)
MAX_DAYS = 60


def _today(employee: Employee, now: datetime) -> date:
    return now.astimezone(ZoneInfo(employee.team.site.timezone)).date()


@transaction.atomic
def time_off_request(
    *,
    employee: Employee,
    first_day: date,
    last_day: date,
    reason: str,
    user: AbstractBaseUser,
    now: datetime | None = None,
) -> TimeOffRequest:
    now = now or timezone.now()
    if last_day < first_day:
        raise InvalidInput("The last day comes before the first.", extra={"fields": ["last_day"]})
    if first_day < _today(employee, now):
        raise TimeOffInPast()
    if (last_day - first_day).days + 1 > MAX_DAYS:
        raise TimeOffTooLong()
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    mine = TimeOffRequest.objects.filter(employee=employee, status__in=HOLDING)
    if mine.filter(first_day__lte=last_day, last_day__gte=first_day).exists():
        raise TimeOffOverlaps()
    policy = request_policy(employee.team_id)
    if mine.filter(status__in=OPEN).count() >= policy.max_open_requests:
        raise TooManyOpenRequests(extra={"limit": policy.max_open_requests})
    request = TimeOffRequest.objects.create(
        employee=employee,
        team_id=employee.team_id,
        first_day=first_day,
        last_day=last_day,
        reason=reason,
        created_at=now,
    )
    notice_many(
        recipients=list(employee.team.managers.all()),
        event_key=f"time_off:{request.pk}:pending",
        message=Message(
            f"Time off to decide: {employee.full_name}",
            f"{employee.full_name} asks for {_span(request)} off. {reason}".strip(),
            Sentence.of(
                "time_off_to_decide", name=employee.full_name, day=first_day, last=last_day
            ),
        ),
    )
    return request


def _locked(request: TimeOffRequest) -> TimeOffRequest:
    Team.objects.select_for_update().filter(pk=request.team_id).first()
    return (
        TimeOffRequest.objects.select_for_update(of=("self",))
        .select_related("employee__user", "employee__team__site", "team")
        .get(pk=request.pk)
    )


def _may_decide(request: TimeOffRequest, user: AbstractBaseUser) -> None:
    if not team_list_managed(user=user).filter(pk=request.team_id).exists():
        raise NotPermitted()
    if request.employee.user_id == user.pk:
        raise TimeOffOwnRequest()


@transaction.atomic
def time_off_approve(
    *,
    request: TimeOffRequest,
    approver: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> TimeOffRequest:
    """Grant it if every day has room, otherwise put it on the waitlist."""
    now = now or timezone.now()
    row = _locked(request)
    _may_decide(row, approver)
    if row.status != Status.PENDING:
        raise TimeOffWrongState(extra={"status": row.status})
    row.decided_by = approver  # type: ignore[assignment]
    row.decision_reason = reason
    full = _full_days(row)
    if full:
        row.status = Status.WAITLISTED
        row.waitlisted_at = now
        row.save()
        _notify(row, f"waitlisted: no room on {', '.join(str(d) for d in full)}")
        return row
    _grant(row, now)
    return row


@transaction.atomic
def time_off_reject(
    *,
    request: TimeOffRequest,
    approver: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> TimeOffRequest:
    row = _locked(request)
    _may_decide(row, approver)
    if row.status not in OPEN:
        raise TimeOffWrongState(extra={"status": row.status})
    row.status = Status.REJECTED
    row.decided_by = approver  # type: ignore[assignment]
    row.decided_at = now or timezone.now()
    row.decision_reason = reason
    row.save()
    _notify(row, "rejected")
    return row


@transaction.atomic
def time_off_cancel(
    *, request: TimeOffRequest, employee: Employee, now: datetime | None = None
) -> TimeOffRequest:
    """The operator withdraws; granted days not yet begun are given back to the waitlist."""
    now = now or timezone.now()
    row = _locked(request)
    if row.employee_id != employee.pk:
        raise NotPermitted("Only the requester can cancel the request.")
    if row.status not in HOLDING:
        raise TimeOffWrongState(extra={"status": row.status})
    if row.status == Status.APPROVED and row.first_day <= _today(employee, now):
        raise TimeOffStarted()
    was_approved = row.status == Status.APPROVED
    row.status = Status.CANCELLED
    row.decided_at = now
    row.save()
    if row.block_id:
        AvailabilityBlock.objects.filter(pk=row.block_id).delete()
    if was_approved:
        _promote(row.team, now)
    return row


@transaction.atomic
def time_off_capacity_set(
    *, team: Team, day: date, max_off: int, now: datetime | None = None
) -> TimeOffCapacity:
    """A day's own limit; raising it grants waitlisted requests that now fit."""
    Team.objects.select_for_update().filter(pk=team.pk).first()
    capacity, _ = TimeOffCapacity.objects.update_or_create(
        team=team, day=day, defaults={"max_off": max_off}
    )
    _promote(team, now or timezone.now())
    return capacity


def _capacity(team_id: object, first: date, last: date) -> dict[date, int]:
    default = request_policy(team_id).time_off_max_per_day
    own = dict(
        TimeOffCapacity.objects.filter(team_id=team_id, day__gte=first, day__lte=last).values_list(
            "day", "max_off"
        )
    )
    return {d: own.get(d, default) for d in _days(first, last)}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _full_days(request: TimeOffRequest) -> list[date]:
    """Days of the request with no room left (approved requests of the team count)."""
    taken: Counter[date] = Counter()
    granted = TimeOffRequest.objects.filter(
        team_id=request.team_id,
        status=Status.APPROVED,
        first_day__lte=request.last_day,
        last_day__gte=request.first_day,
    ).exclude(pk=request.pk)
    for other in granted:
        taken.update(
            d
            for d in _days(other.first_day, other.last_day)
            if request.first_day <= d <= request.last_day
        )
    capacity = _capacity(request.team_id, request.first_day, request.last_day)
    return [d for d, limit in capacity.items() if taken[d] >= limit]


def _grant(row: TimeOffRequest, now: datetime) -> None:
    start, end = local_day_bounds(
        first_day=row.first_day, last_day=row.last_day, timezone=row.employee.team.site.timezone
    )
    row.block = AvailabilityBlock.objects.create(
        employee=row.employee,
        kind=AvailabilityBlock.Kind.TIME_OFF,
        start=start,
        end=end,
        reason=(row.reason or "time off")[:200],
        created_by=row.decided_by,
    )
    row.status = Status.APPROVED
    row.decided_at = now
    row.save()
    _notify(row, "approved")
    # The shifts the leave overlaps go to the open-shift board once the grant is committed.
    task_enqueue_on_commit("scheduling.time_off_cover", str(row.pk))


def _promote(team: Team, now: datetime) -> None:
    """Grant waitlisted requests that now fit, oldest first (the caller holds the team lock)."""
    waiting = (
        TimeOffRequest.objects.select_for_update(of=("self",))
        .filter(team=team, status=Status.WAITLISTED)
        .select_related("employee__user", "employee__team__site")
        .order_by("waitlisted_at", "pk")
    )
    for row in waiting:
        if not _full_days(row):
            _grant(row, now)


def _span(request: TimeOffRequest) -> str:
    if request.first_day == request.last_day:
        return f"{request.first_day:%a %d %b %Y}"
    return f"{request.first_day:%a %d %b %Y} to {request.last_day:%a %d %b %Y}"


def _notify(request: TimeOffRequest, outcome: str) -> None:
    notice_many(
        recipients=[request.employee.user],
        event_key=f"time_off:{request.pk}:{request.status}",
        message=Message(
            f"Time off {request.status}: {_span(request)}",
            f"Your time off {_span(request)} was {outcome}."
            + (f" {request.decision_reason}" if request.decision_reason else ""),
            Sentence.of(
                "time_off_decided",
                day=request.first_day,
                last=request.last_day,
                status=request.status,
            ),
        ),
    )
