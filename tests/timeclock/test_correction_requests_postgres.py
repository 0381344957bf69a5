"""Correction requests under real concurrency on PostgreSQL: two managers approving one
request, and an approval racing the operator's cancel, end in one outcome and at most one
correction; approvals of different requests at once all land, with the audit chain intact."""

import os
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from organisation.audit import audit_first_bad
from organisation.models import AuditEvent, Employee
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.punches import punch_make
from tests.races import race
from timeclock.errors import CorrectionRequestWrongState
from timeclock.models import CorrectionRequest, PunchCorrection
from timeclock.services.correction_requests import (
    CorrectionAsk,
    correction_request_approve,
    correction_request_cancel,
    correction_request_create,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

# As the swap races (R3.2); WFM_RACE_ITERATIONS lowers it for a quick local run.
ITERATIONS = int(os.environ.get("WFM_RACE_ITERATIONS", "200"))


def asked(employee: Employee, n: int, punch: Any = None) -> CorrectionRequest:
    """The n-th request of the run: alternately a missing clock-out and a move of `punch`,
    each at its own time so that none repeats a pending one."""
    at = timezone.now() - timedelta(days=2) + timedelta(seconds=n)
    if punch is not None and n % 2:
        ask = CorrectionAsk(action="move", punch=punch, occurred_at=at, reason=f"race {n}")
    else:
        ask = CorrectionAsk(action="add", kind="out", occurred_at=at, reason=f"race {n}")
    return correction_request_create(employee=employee, ask=ask, user=employee.user)


def approvals_audited(request: CorrectionRequest) -> int:
    return AuditEvent.objects.filter(
        object_id=str(request.pk), action="correction_request_approved"
    ).count()


def test_two_managers_approving_one_request_write_one_correction(org: Org) -> None:
    punch = punch_make(employee=org.op_a1, kind="in", at=timezone.now() - timedelta(days=3))
    for n in range(ITERATIONS):
        request = asked(org.op_a1, n, punch)
        results = race(
            lambda r=request: correction_request_approve(request=r, approver=org.manager_a),
            lambda r=request: correction_request_approve(request=r, approver=org.admin),
        )
        wins = [r for r in results if isinstance(r, CorrectionRequest)]
        losses = [r for r in results if isinstance(r, CorrectionRequestWrongState)]
        assert (len(wins), len(losses)) == (1, 1), results
        row = CorrectionRequest.objects.get(pk=request.pk)
        assert row.status == "approved"
        assert row.correction_id == wins[0].correction_id
        assert approvals_audited(request) == 1
        assert PunchCorrection.objects.count() == n + 1, "one correction per request"
    assert audit_first_bad() is None


def test_an_approval_racing_the_cancel_has_one_outcome(org: Org) -> None:
    punch = punch_make(employee=org.op_a1, kind="in", at=timezone.now() - timedelta(days=3))
    seen: Counter[str] = Counter()
    for n in range(ITERATIONS):
        request = asked(org.op_a1, n, punch)
        results = race(
            lambda r=request: correction_request_approve(request=r, approver=org.manager_a),
            lambda r=request: correction_request_cancel(request=r, employee=org.op_a1),
        )
        assert sum(isinstance(r, CorrectionRequest) for r in results) == 1, results
        assert sum(isinstance(r, CorrectionRequestWrongState) for r in results) == 1, results
        row = CorrectionRequest.objects.get(pk=request.pk)
        linked = PunchCorrection.objects.filter(request=row).count()
        assert (row.status, linked) in {("approved", 1), ("cancelled", 0)}, (row.status, linked)
        seen[row.status] += 1
    assert PunchCorrection.objects.count() == seen["approved"]
    assert sum(seen.values()) == ITERATIONS
    assert audit_first_bad() is None


def test_approvals_of_different_requests_at_once_all_land_in_one_audit_chain(org: Org) -> None:
    people = [org.op_a1, org.op_a2, *(employee_make(team=org.team_a) for _ in range(2))]
    rounds = max(10, ITERATIONS // 10)
    for n in range(rounds):
        requests = [asked(person, n) for person in people]
        results = race(
            *(
                lambda r=r, m=m: correction_request_approve(request=r, approver=m)
                for r, m in zip(requests, [org.manager_a, org.admin] * 2, strict=True)
            )
        )
        assert all(isinstance(r, CorrectionRequest) for r in results), results
    assert PunchCorrection.objects.count() == rounds * len(people)
    assert audit_first_bad() is None, "concurrent audited transactions forked the chain"
