"""Reads of punches: an employee's punches with their effective times after corrections, and
an operator's clock status for the kiosk."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from organisation.models import Employee
from scheduling.models import Roster, Shift
from timeclock.models import Punch, PunchCorrection


def punch_list_effective(
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
    rows = [_punch_row(p, by_punch.get(p.pk, [])) for p in punches]
    rows += [_added_row(c) for c in added]
    rows.sort(key=lambda r: r["effective_at"] or r["raw_at"])
    return rows


def _punch_row(p: Punch, corrections: list[PunchCorrection]) -> dict[str, Any]:
    effective: datetime | None = p.occurred_at
    voided = False
    for c in corrections:
        if c.action == PunchCorrection.Action.VOID:
            voided, effective = True, None
        elif c.action == PunchCorrection.Action.MOVE:
            voided, effective = False, c.occurred_at
    return {
        "punch": p.pk,
        "correction": None,
        "kind": p.kind,
        "raw_at": p.occurred_at,
        "effective_at": effective,
        "voided": voided,
        "source": p.source,
        "review_reason": p.review_reason,
        "corrections": [_brief(c) for c in corrections],
    }


def _added_row(c: PunchCorrection) -> dict[str, Any]:
    return {
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


def _brief(c: PunchCorrection) -> dict[str, Any]:
    return {
        "id": c.pk,
        "action": c.action,
        "occurred_at": c.occurred_at.isoformat() if c.occurred_at else None,
        "reason": c.reason,
        "actor": c.actor.get_username(),
        "created_at": c.created_at.isoformat(),
    }


def clock_status_get(*, employee: Employee, now: datetime | None = None) -> dict[str, Any]:
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
