"""Approved time off and the shifts it overlaps: posted on the team's open-shift board for a
colleague to pick up, the managers told, once however often it runs."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from organisation.models import Notice
from scheduling.models import ShiftSwap, TimeOffRequest
from scheduling.services.leave_cover import LEAVE_NOTE, time_off_cover_request
from scheduling.services.time_off import time_off_approve, time_off_request
from tests.conftest import Org
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _ask(employee: Any, first: date, last: date) -> TimeOffRequest:
    return time_off_request(
        employee=employee, first_day=first, last_day=last, reason="holiday", user=employee.user
    )


def test_approved_leave_posts_the_shifts_it_overlaps_and_tells_the_managers(org: Org) -> None:
    pub: Published = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    tuesday, wednesday = pub.shift(org.op_a1, 1), pub.shift(org.op_a1, 2)
    pub.shift(org.op_a1, 4)  # Friday: not on leave
    request = _ask(org.op_a1, pub.start + timedelta(days=1), pub.start + timedelta(days=2))
    time_off_approve(request=request, approver=org.manager_a)
    posts = ShiftSwap.objects.filter(kind=ShiftSwap.Kind.OPEN).order_by("shift__start")
    assert [p.shift_id for p in posts] == [tuesday.pk, wednesday.pk]
    assert {p.requester_id for p in posts} == {org.op_a1.pk}
    assert posts[0].note == LEAVE_NOTE
    notice = Notice.objects.get(recipient=org.manager_a, event_key__endswith=":cover")
    assert notice.subject == f"2 shift(s) to cover: {org.op_a1.full_name} is on leave"
    assert "Tue" in notice.body
    colleague = Notice.objects.filter(recipient=org.op_a2.user, subject__startswith="Open shift")
    assert colleague.count() == 2  # the colleague skilled for the queue hears of both


def test_posting_again_has_one_effect_and_a_started_shift_is_left(org: Org) -> None:
    pub: Published = published_make(team=org.team_a, people=[org.op_a1])
    pub.shift(org.op_a1, 0)
    request = _ask(org.op_a1, pub.start, pub.start)
    time_off_approve(request=request, approver=org.manager_a)
    again = time_off_cover_request(request=request)
    assert len(again.shifts) == 1
    assert again.posted == []  # already on the board
    assert ShiftSwap.objects.count() == 1
    assert Notice.objects.filter(event_key__endswith=":cover").count() == 1
    later = time_off_cover_request(request=request, now=timezone.now() + timedelta(days=60))
    assert later.shifts == []  # the shift has started by then: nothing to post


def test_a_request_that_is_not_approved_posts_nothing(org: Org) -> None:
    pub: Published = published_make(team=org.team_a, people=[org.op_a1])
    pub.shift(org.op_a1, 0)
    request = _ask(org.op_a1, pub.start, pub.start)
    assert time_off_cover_request(request=request).shifts == []
    assert not ShiftSwap.objects.exists()
