"""Correction requests: an operator asks, a manager of the team approves (the correction is
written as the manager's, and the timesheet follows) or rejects, the operator may cancel;
bad asks are refused with a code and write nothing; only the team's managers decide, never
for their own punches; the database refuses requests of the wrong shape or state."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.errors import DomainError
from organisation.models import AuditEvent, Employee, Notice
from organisation.roles import Role, role_group
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.punches import past_shift, punch_make
from timeclock.models import CorrectionRequest, Punch, PunchCorrection
from timeclock.selectors import correction_requests as selectors
from timeclock.selectors.timesheets import employee_timesheets
from timeclock.services.correction_requests import (
    MAX_PENDING,
    CorrectionAsk,
    correction_request_approve,
    correction_request_cancel,
    correction_request_create,
    correction_request_reject,
)

pytestmark = pytest.mark.django_db


def ask(employee: Employee, user: Any = None, **fields: Any) -> CorrectionRequest:
    fields.setdefault("reason", "Forgot to clock out")
    return correction_request_create(
        employee=employee, ask=CorrectionAsk(**fields), user=user or employee.user
    )


def sheet(employee: Employee, shift: Any) -> Any:
    """The timesheet row of `shift`, judged now."""
    (row,) = employee_timesheets(
        employees=[employee], site=employee.team.site, first=shift.local_date, last=shift.local_date
    )[str(employee.pk)].shifts
    return row


@pytest.fixture
def worked(org: Org) -> tuple[Any, Punch]:
    """op_a1's shift two days ago: clocked in two minutes early, never clocked out."""
    shift = past_shift(employee=org.op_a1)
    punch_in = punch_make(employee=org.op_a1, kind="in", at=shift.start - timedelta(minutes=2))
    return shift, punch_in


def test_a_missing_clock_out_asked_for_and_approved_completes_the_shift(
    org: Org, worked: tuple[Any, Punch]
) -> None:
    shift, _ = worked
    assert sheet(org.op_a1, shift).exceptions == ("missing_out",)
    request = ask(org.op_a1, action="add", kind="out", occurred_at=shift.end + timedelta(minutes=3))
    assert request.status == "pending"
    assert list(selectors.correction_request_approvals(user=org.manager_a)) == [request]
    assert list(selectors.correction_request_approvals(user=org.manager_b)) == []
    assert Notice.objects.filter(
        recipient=org.manager_a, event_key=f"correction_request:{request.pk}:pending"
    ).exists()

    done = correction_request_approve(request=request, approver=org.manager_a, reason="ok")
    assert done.status == "approved"
    assert done.decided_by == org.manager_a
    correction = PunchCorrection.objects.get()
    assert done.correction == correction
    assert (correction.action, correction.kind) == ("add", "out")
    assert correction.occurred_at == shift.end + timedelta(minutes=3)
    assert correction.actor == org.manager_a
    assert correction.reason.startswith(f"Requested by {org.op_a1.full_name}")
    assert '"Forgot to clock out"' in correction.reason
    row = sheet(org.op_a1, shift)
    assert row.exceptions == ()
    assert row.clock_out == shift.end + timedelta(minutes=3)
    assert row.worked_seconds == 8 * 3600 + 3 * 60
    audited = AuditEvent.objects.filter(
        object_type__in=["correction_request", "punch_correction"]
    ).order_by("id")
    assert [(e.action, e.actor) for e in audited] == [
        ("correction_requested", "op_a1"),
        ("punch_add", "manager_a"),
        ("correction_request_approved", "manager_a"),
    ]
    assert Notice.objects.filter(
        recipient=org.op_a1.user, event_key=f"correction_request:{request.pk}:approved"
    ).exists()
    assert list(selectors.correction_request_approvals(user=org.manager_a)) == []


def test_a_moved_punch_counts_at_the_asked_time_and_the_punch_row_stays(org: Org) -> None:
    shift = past_shift(employee=org.op_a1)
    late_in = punch_make(employee=org.op_a1, kind="in", at=shift.start + timedelta(minutes=20))
    punch_make(employee=org.op_a1, kind="out", at=shift.end)
    assert sheet(org.op_a1, shift).exceptions == ("late",)
    request = ask(
        org.op_a1,
        action="move",
        punch=late_in,
        occurred_at=shift.start - timedelta(minutes=1),
        reason="The terminal was down; I was at my desk at 08:59",
    )
    assert request.kind == "in", "a move takes the punch's kind"
    correction_request_approve(request=request, approver=org.manager_a)
    assert sheet(org.op_a1, shift).exceptions == ()
    late_in.refresh_from_db()
    assert late_in.occurred_at == shift.start + timedelta(minutes=20)


def test_a_voided_punch_no_longer_counts(org: Org) -> None:
    shift = past_shift(employee=org.op_a1)
    punch_make(employee=org.op_a1, kind="in", at=shift.start)
    stray = punch_make(employee=org.op_a1, kind="out", at=shift.start + timedelta(hours=2))
    punch_make(employee=org.op_a1, kind="out", at=shift.end)
    assert "extra_punches" in sheet(org.op_a1, shift).exceptions
    request = ask(org.op_a1, action="void", punch=stray, reason="Tapped out by mistake")
    correction_request_approve(request=request, approver=org.admin)
    assert sheet(org.op_a1, shift).exceptions == ()
    assert PunchCorrection.objects.get().action == "void"


def test_a_rejection_needs_a_reason_and_changes_no_punch(
    org: Org, worked: tuple[Any, Punch]
) -> None:
    shift, _ = worked
    request = ask(org.op_a1, action="add", kind="out", occurred_at=shift.end)
    with pytest.raises(DomainError) as refused:
        correction_request_reject(request=request, approver=org.manager_a, reason="  ")
    assert refused.value.code == "invalid_input"
    assert CorrectionRequest.objects.get().status == "pending"
    done = correction_request_reject(
        request=request, approver=org.manager_a, reason="You left at 16:00, see the camera log"
    )
    assert (done.status, done.decision_reason) == (
        "rejected",
        "You left at 16:00, see the camera log",
    )
    assert not PunchCorrection.objects.exists()
    assert sheet(org.op_a1, shift).exceptions == ("missing_out",)
    notice = Notice.objects.get(recipient=org.op_a1.user)
    assert notice.event_key == f"correction_request:{request.pk}:rejected"
    assert "camera log" in notice.body


def test_the_operator_cancels_while_pending_and_a_decided_request_stays_decided(
    org: Org, worked: tuple[Any, Punch]
) -> None:
    shift, _ = worked
    request = ask(org.op_a1, action="add", kind="out", occurred_at=shift.end)
    with pytest.raises(DomainError) as other:
        correction_request_cancel(request=request, employee=org.op_a2)
    assert other.value.code == "permission_denied"
    cancelled = correction_request_cancel(request=request, employee=org.op_a1)
    assert cancelled.status == "cancelled"
    assert cancelled.decided_at is not None
    for decide in (correction_request_approve, correction_request_reject):
        with pytest.raises(DomainError) as late:
            decide(request=request, approver=org.manager_a, reason="too late")
        assert late.value.code == "correction_request_wrong_state"
    assert not PunchCorrection.objects.exists()
    again = ask(org.op_a1, action="add", kind="out", occurred_at=shift.end)
    correction_request_approve(request=again, approver=org.manager_a)
    with pytest.raises(DomainError) as twice:
        correction_request_approve(request=again, approver=org.admin)
    assert twice.value.code == "correction_request_wrong_state"
    with pytest.raises(DomainError) as withdrawn:
        correction_request_cancel(request=again, employee=org.op_a1)
    assert withdrawn.value.code == "correction_request_wrong_state"
    assert PunchCorrection.objects.count() == 1
    assert CorrectionRequest.objects.get(pk=again.pk).correction is not None


def _bad_asks(org: Org, shift: Any, punch_in: Punch) -> dict[str, tuple[str, dict[str, Any]]]:
    now = timezone.now()
    theirs = punch_make(employee=org.op_a2, kind="in", at=shift.start)
    ancient = punch_make(employee=org.op_a1, kind="in", at=now - timedelta(days=40))
    return {
        "future": (
            "correction_in_future",
            {"action": "add", "kind": "out", "occurred_at": now + timedelta(minutes=5)},
        ),
        "too old": (
            "correction_too_old",
            {"action": "add", "kind": "out", "occurred_at": now - timedelta(days=32)},
        ),
        "punch too old": (
            "correction_too_old",
            {"action": "move", "punch": ancient, "occurred_at": shift.start},
        ),
        "not theirs": ("punch_not_yours", {"action": "void", "punch": theirs}),
        "no reason": (
            "invalid_input",
            {"action": "add", "kind": "out", "occurred_at": shift.end, "reason": "   "},
        ),
        "add without kind": ("invalid_input", {"action": "add", "occurred_at": shift.end}),
        "add with a punch": (
            "invalid_input",
            {"action": "add", "kind": "out", "occurred_at": shift.end, "punch": punch_in},
        ),
        "move without time": ("invalid_input", {"action": "move", "punch": punch_in}),
        "void with time": (
            "invalid_input",
            {"action": "void", "punch": punch_in, "occurred_at": shift.end},
        ),
        "unknown action": ("invalid_input", {"action": "delete", "punch": punch_in}),
    }


@pytest.mark.parametrize(
    "case",
    [
        "future",
        "too old",
        "punch too old",
        "not theirs",
        "no reason",
        "add without kind",
        "add with a punch",
        "move without time",
        "void with time",
        "unknown action",
    ],
)
def test_bad_asks_are_refused_with_a_code_and_write_nothing(
    org: Org, worked: tuple[Any, Punch], case: str
) -> None:
    shift, punch_in = worked
    code, fields = _bad_asks(org, shift, punch_in)[case]
    audited = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        ask(org.op_a1, **fields)
    assert refused.value.code == code
    assert not CorrectionRequest.objects.exists()
    assert AuditEvent.objects.count() == audited
    assert not Notice.objects.exists()


def test_an_operator_asks_only_for_themself(org: Org, worked: tuple[Any, Punch]) -> None:
    shift, _ = worked
    with pytest.raises(DomainError) as refused:
        ask(org.op_a1, user=org.op_a2.user, action="add", kind="out", occurred_at=shift.end)
    assert refused.value.code == "permission_denied"
    assert not CorrectionRequest.objects.exists()


def test_the_same_ask_twice_is_refused_until_the_first_is_decided(
    org: Org, worked: tuple[Any, Punch]
) -> None:
    shift, punch_in = worked
    first = ask(org.op_a1, action="add", kind="out", occurred_at=shift.end)
    moved = ask(org.op_a1, action="move", punch=punch_in, occurred_at=shift.start)
    repeats = [
        {"action": "add", "kind": "out", "occurred_at": shift.end},
        {"action": "void", "punch": punch_in},  # the punch already has a pending ask
        {"action": "add", "kind": "in", "occurred_at": shift.start},  # = the move's result
    ]
    for fields in repeats:
        with pytest.raises(DomainError) as refused:
            ask(org.op_a1, **fields)
        assert refused.value.code == "correction_already_requested", fields
    assert CorrectionRequest.objects.count() == 2
    correction_request_reject(request=first, approver=org.manager_a, reason="no")
    correction_request_cancel(request=moved, employee=org.op_a1)
    for fields in repeats[:2]:
        ask(org.op_a1, **fields)
    assert CorrectionRequest.objects.filter(status="pending").count() == 2


def test_at_most_ten_pending_requests_per_operator(org: Org) -> None:
    start = timezone.now() - timedelta(days=3)
    for n in range(MAX_PENDING):
        ask(org.op_a1, action="add", kind="in", occurred_at=start + timedelta(minutes=n))
    with pytest.raises(DomainError) as refused:
        ask(org.op_a1, action="add", kind="in", occurred_at=start + timedelta(hours=1))
    assert refused.value.code == "too_many_correction_requests"
    assert refused.value.extra == {"limit": MAX_PENDING}
    assert CorrectionRequest.objects.count() == MAX_PENDING
    ask(org.op_a2, action="add", kind="in", occurred_at=start)  # a colleague is not limited


def test_only_a_manager_of_the_team_decides_and_never_their_own(
    org: Org, worked: tuple[Any, Punch]
) -> None:
    shift, _ = worked
    request = ask(org.op_a1, action="add", kind="out", occurred_at=shift.end)
    for user in (org.manager_b, org.op_a2.user, org.payroll):
        with pytest.raises(DomainError) as refused:
            correction_request_approve(request=request, approver=user)
        assert refused.value.code == "permission_denied"
    lead = employee_make(team=org.team_a, username="lead_a")
    lead.user.groups.add(role_group(Role.MANAGER))
    org.team_a.managers.add(lead.user)
    own_shift = past_shift(employee=lead, day=shift.local_date - timedelta(days=1))
    own = ask(lead, action="add", kind="out", occurred_at=own_shift.end)
    assert request in selectors.correction_request_approvals(user=lead.user)
    assert own not in selectors.correction_request_approvals(user=lead.user)
    with pytest.raises(DomainError) as self_approval:
        correction_request_approve(request=own, approver=lead.user)
    assert self_approval.value.code == "correction_own_request"
    correction_request_approve(request=own, approver=org.manager_a)
    assert not CorrectionRequest.objects.filter(pk=request.pk, status="approved").exists()


def _refused(**update: Any) -> bool:
    try:
        with transaction.atomic():
            CorrectionRequest.objects.filter().update(**update)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_requests_of_the_wrong_shape_or_state(
    org: Org, worked: tuple[Any, Punch]
) -> None:
    shift, punch_in = worked
    ask(org.op_a1, action="add", kind="out", occurred_at=shift.end)
    now = timezone.now()
    assert _refused(status="approved", decided_at=now, decided_by=org.manager_a)  # no correction
    assert _refused(status="rejected")  # no decision time nor manager
    assert _refused(status="cancelled", decided_at=now, decided_by=org.manager_a)
    assert _refused(decided_at=now)  # pending with a decision time
    assert _refused(punch=punch_in)  # an add names no punch
    assert _refused(action="move", occurred_at=None, punch=punch_in)
    assert _refused(reason="")
    assert not _refused(decision_reason="still pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(
            employee=org.op_a1,
            action="add",
            kind="out",
            occurred_at=shift.end,
            reason="the same again",
            created_at=now,
        )
    CorrectionRequest.objects.create(
        employee=org.op_a1, action="void", punch=punch_in, kind="in", reason="x", created_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(
            employee=org.op_a1,
            action="move",
            punch=punch_in,
            kind="in",
            occurred_at=shift.start,
            reason="y",
            created_at=now,
        )
