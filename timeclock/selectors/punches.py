"""Reads of the time clock: device health, effective punches after corrections, an
operator's clock status for the kiosk, and correction requests scoped to the asking user
(operators their own, managers their teams', admins all; anything else is a 404)."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from organisation.models import Employee
from organisation.roles import Role, user_roles
from organisation.selectors.organisation import User, team_list_managed
from scheduling.models import Roster, Shift
from timeclock.models import CorrectionRequest, Device, Punch, PunchCorrection

MAX_GAPS = 100


def device_seq_gaps(*, device: Device) -> list[list[int]]:
    """[first missing, last missing] runs in the device's sequence numbers (R2.6)."""
    seqs = (
        device.punches.exclude(device_seq__isnull=True)
        .order_by("device_seq")
        .values_list("device_seq", flat=True)
        .distinct()
    )
    gaps: list[list[int]] = []
    previous: int | None = None
    for seq in seqs.iterator():
        if previous is not None and seq > previous + 1:
            gaps.append([previous + 1, seq - 1])
            if len(gaps) >= MAX_GAPS:
                break
        previous = seq
    return gaps


def effective_punches(
    *, employee: Employee, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Raw punches and added ones in [start, end), each with its effective time after the
    corrections (a void removes it, a move sets a time; the latest correction wins)."""
    punches = list(
        Punch.objects.filter(employee=employee, occurred_at__gte=start, occurred_at__lt=end)
    )
    corrections = list(
        PunchCorrection.objects.filter(employee=employee)
        .filter(punch__in=punches)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    added = list(
        PunchCorrection.objects.filter(
            employee=employee, action="add", occurred_at__gte=start, occurred_at__lt=end
        ).select_related("actor")
    )
    by_punch: dict[int, list[PunchCorrection]] = {}
    for c in corrections:
        by_punch.setdefault(c.punch_id or 0, []).append(c)
    rows = []
    for p in punches:
        effective: datetime | None = p.occurred_at
        voided = False
        for c in by_punch.get(p.pk, []):
            if c.action == PunchCorrection.Action.VOID:
                voided, effective = True, None
            elif c.action == PunchCorrection.Action.MOVE:
                voided, effective = False, c.occurred_at
        rows.append(
            {
                "punch": p.pk,
                "correction": None,
                "kind": p.kind,
                "raw_at": p.occurred_at,
                "effective_at": effective,
                "voided": voided,
                "source": p.source,
                "review_reason": p.review_reason,
                "corrections": [_brief(c) for c in by_punch.get(p.pk, [])],
            }
        )
    for c in added:
        rows.append(
            {
                "punch": None,
                "correction": c.pk,
                "kind": c.kind,
                "raw_at": None,
                "effective_at": c.occurred_at,
                "voided": False,
                "source": "correction",
                "review_reason": "",
                "corrections": [_brief(c)],
            }
        )
    rows.sort(key=lambda r: r["effective_at"] or r["raw_at"])
    return rows


def _brief(c: PunchCorrection) -> dict[str, Any]:
    return {
        "id": c.pk,
        "action": c.action,
        "occurred_at": c.occurred_at.isoformat() if c.occurred_at else None,
        "reason": c.reason,
        "actor": c.actor.get_username(),
        "created_at": c.created_at.isoformat(),
    }


def clock_status(*, employee: Employee, now: datetime | None = None) -> dict[str, Any]:
    """What a kiosk shows: the current or next published shift, lateness so far, last punch."""
    now = now or timezone.now()
    shift = (
        Shift.objects.filter(
            employee=employee,
            state=Roster.Status.PUBLISHED,
            end__gt=now,
            start__lt=now + timedelta(hours=24),
        )
        .order_by("start")
        .first()
    )
    last = Punch.objects.filter(employee=employee).order_by("-occurred_at", "-id").first()
    late = None
    if shift is not None and shift.start < now:
        came_in = Punch.objects.filter(
            employee=employee,
            kind=Punch.Kind.IN,
            occurred_at__gte=shift.start - timedelta(hours=2),
            occurred_at__lt=now,
        ).exists()
        late = None if came_in else int((now - shift.start).total_seconds() // 60)
    return {
        "employee_number": employee.number,
        "name": employee.full_name,
        "next_shift_start": shift.start if shift else None,
        "next_shift_end": shift.end if shift else None,
        "late_minutes": late,
        "last_punch": last.kind if last else None,
    }


_REQUEST_RELATED = ("employee__user", "employee__team__site", "punch", "decided_by")


def correction_request_list_visible(*, user: User) -> QuerySet[CorrectionRequest]:
    rows = CorrectionRequest.objects.select_related(*_REQUEST_RELATED)
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return rows
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= Q(employee__team__in=team_list_managed(user=user))
    if user.is_authenticated:
        scope |= Q(employee__user=user)
    return rows.filter(scope)


def correction_request_approvals(*, user: User) -> QuerySet[CorrectionRequest]:
    """Pending requests of the manager's teams, oldest first; the manager's own are left to
    another manager."""
    return (
        CorrectionRequest.objects.select_related(*_REQUEST_RELATED)
        .filter(
            employee__team__in=team_list_managed(user=user),
            status=CorrectionRequest.Status.PENDING,
        )
        .exclude(employee__user=user)
        .order_by("created_at", "pk")
    )


def my_correction_requests(*, employee: Employee) -> QuerySet[CorrectionRequest]:
    return (
        CorrectionRequest.objects.filter(employee=employee)
        .select_related(*_REQUEST_RELATED)
        .order_by("-created_at", "pk")
    )
