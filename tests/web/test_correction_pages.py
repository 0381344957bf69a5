"""Correction pages: an operator asks from their timesheet for a missing punch (or a punch
moved) in the site's local time, across DST too, sees the request's state and may withdraw
it; a manager approves or rejects it in the approvals queue (a rejection needs a note).
Errors show beside their fields, in Dutch too; other people's rows and requests answer
404, operators deciding 403; CSRF is enforced."""

import types
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories.punches import past_shift, punch_make
from timeclock.models import CorrectionRequest, PunchCorrection
from timeclock.services import correction_requests

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def page_of(shift: Any) -> str:
    return f"{reverse('web:correction')}?shift={shift.pk}&day={shift.local_date}"


def add_form(day: date, at: str, reason: str = "Forgot to clock out", **extra: Any) -> dict:
    return {
        "what": "add",
        "add-kind": "out",
        "add-day": str(day),
        "add-time": at,
        "add-reason": reason,
        **extra,
    }


@pytest.fixture
def forgot(org: Org) -> Any:
    """op_a1 worked 09:00-17:00 two days ago, clocked in, never out."""
    shift = past_shift(employee=org.op_a1)
    punch_make(employee=org.op_a1, kind="in", at=shift.start)
    return shift


def test_ask_for_the_missing_clock_out_and_the_manager_approves(
    org: Org, forgot: Any, login: Any
) -> None:
    me = login(org.op_a1.user)
    sheet = me.get(reverse("web:timesheet")).content.decode()
    assert "Ask for a correction" in sheet
    assert f"shift={forgot.pk}&amp;day={forgot.local_date}" in sheet
    form = me.get(page_of(forgot)).content.decode()
    assert "Add a missing punch" in form
    assert 'value="17:00"' in form, "the scheduled end, in local time"
    fragment = me.get(page_of(forgot) + "&part=form").content.decode()
    assert fragment.startswith('<tr class="correction-row">')
    assert "<html" not in fragment

    sent = me.post(page_of(forgot), add_form(forgot.local_date, "17:05"), follow=True)
    assert "Your correction request was sent." in sent.content.decode()
    request = CorrectionRequest.objects.get()
    local_end = datetime.combine(forgot.local_date, datetime.min.time(), AMSTERDAM)
    assert request.occurred_at == local_end.replace(hour=17, minute=5)
    assert "Pending" in me.get(reverse("web:timesheet")).content.decode()

    manager = login(org.manager_a)
    queue = manager.get(reverse("web:approvals")).content.decode()
    assert "Punch corrections" in queue
    assert org.op_a1.full_name in queue
    assert "Forgot to clock out" in queue
    reject = reverse("web:decide", args=["correction", request.pk, "reject"])
    blank = manager.post(reject, {"reason": " "})
    assert blank.status_code == 200
    assert f'id="note-{request.pk}-error"' in blank.content.decode()
    assert "Say why: the operator is told." in blank.content.decode()
    assert CorrectionRequest.objects.get().status == "pending"
    approve = reverse("web:decide", args=["correction", request.pk, "approve"])
    done = manager.post(approve, {"reason": ""}, follow=True)
    assert "Approved: the correction is recorded." in done.content.decode()
    assert CorrectionRequest.objects.get().status == "approved"
    assert PunchCorrection.objects.get().actor == org.manager_a
    after = me.get(reverse("web:timesheet")).content.decode()
    assert "Missing clock-out" not in after
    assert ">17:05<" in after
    assert "Approved" in after


def test_a_late_punch_can_be_asked_to_move(org: Org, login: Any) -> None:
    shift = past_shift(employee=org.op_a1)
    late = punch_make(employee=org.op_a1, kind="in", at=shift.start + timedelta(minutes=25))
    punch_make(employee=org.op_a1, kind="out", at=shift.end)
    me = login(org.op_a1.user)
    assert "Ask to move a punch" in me.get(reverse("web:timesheet")).content.decode()
    page = me.get(page_of(shift)).content.decode()
    assert "Move a punch" in page
    assert "09:25" in page, "the punch to pick, at its local time"
    form = {
        "what": "move",
        "move-punch": late.pk,
        "move-day": str(shift.local_date),
        "move-time": "08:58",
        "move-reason": "The terminal froze",
    }
    assert me.post(page_of(shift), form).status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.action, request.punch, request.kind) == ("move", late, "in")


def test_errors_show_beside_their_fields_in_english_and_dutch(
    org: Org, forgot: Any, login: Any
) -> None:
    me = login(org.op_a1.user)
    no_reason = me.post(page_of(forgot), add_form(forgot.local_date, "17:05", reason=" "))
    assert 'id="id_add-reason_error"' in no_reason.content.decode()
    skipped = me.post(page_of(forgot), add_form(date(2026, 3, 29), "02:30")).content.decode()
    assert 'id="id_add-time_error"' in skipped
    assert "This time does not exist that day" in skipped
    ahead = forgot.local_date + timedelta(days=40)
    future = me.post(page_of(forgot), add_form(ahead, "17:00")).content.decode()
    assert "That time has not come yet." in future
    assert 'id="id_add-time_error"' in future
    assert not CorrectionRequest.objects.exists()
    dutch = login(org.op_a1.user, language="nl")
    old = dutch.post(page_of(forgot), add_form(forgot.local_date - timedelta(days=40), "17:00"))
    assert "31 dagen" in old.content.decode()
    dutch.post(page_of(forgot), add_form(forgot.local_date, "17:05"))
    again = dutch.post(page_of(forgot), add_form(forgot.local_date, "17:05")).content.decode()
    assert "Je hebt deze correctie al gevraagd" in again
    assert CorrectionRequest.objects.count() == 1


def test_the_repeated_autumn_hour_asks_which_one_and_pay_follows_the_answer(
    org: Org, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A night from Saturday 24 October 2026 22:00 across the clocks going back; the operator
    left at 02:30 the second time, so worked 5 h 30 of real time, not 4 h 30."""
    night = past_shift(employee=org.op_a1, day=date(2026, 10, 24), hour=22)
    punch_make(employee=org.op_a1, kind="in", at=night.start)
    # The request is judged on the Monday after (inside the 31 days), whatever today is.
    monday = datetime(2026, 10, 26, 9, tzinfo=UTC)
    monkeypatch.setattr(correction_requests, "timezone", types.SimpleNamespace(now=lambda: monday))
    me = login(org.op_a1.user)
    form = add_form(date(2026, 10, 25), "02:30", reason="Left after the migration checks")
    ambiguous = me.post(page_of(night), form).content.decode()
    assert 'id="id_add-fold_error"' in ambiguous
    assert 'type="radio" name="add-fold"' in ambiguous
    assert me.post(page_of(night), {**form, "add-fold": "1"}).status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.occurred_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    manager = login(org.manager_a)
    manager.post(reverse("web:decide", args=["correction", request.pk, "approve"]))
    sheet = me.get(f"{reverse('web:timesheet')}?week=2026-10-19").content.decode()
    assert ">5:30<" in sheet
    assert "Missing clock-out" not in sheet


def test_the_operator_withdraws_a_pending_request(org: Org, forgot: Any, login: Any) -> None:
    me = login(org.op_a1.user)
    me.post(page_of(forgot), add_form(forgot.local_date, "17:05"))
    request = CorrectionRequest.objects.get()
    withdrawn = me.post(reverse("web:correction-cancel", args=[request.pk]), follow=True)
    assert "Your correction request was withdrawn." in withdrawn.content.decode()
    assert CorrectionRequest.objects.get().status == "cancelled"
    again = me.post(reverse("web:correction-cancel", args=[request.pk]), follow=True)
    assert "The request has already been decided or withdrawn." in again.content.decode()


def test_other_peoples_rows_and_requests_answer_404_and_operators_cannot_decide(
    org: Org, forgot: Any, login: Any
) -> None:
    login(org.op_a1.user).post(page_of(forgot), add_form(forgot.local_date, "17:05"))
    request = CorrectionRequest.objects.get()
    colleague = login(org.op_a2.user)
    assert colleague.get(page_of(forgot)).status_code == 404
    assert colleague.post(page_of(forgot), add_form(forgot.local_date, "17:10")).status_code == 404
    assert colleague.post(reverse("web:correction-cancel", args=[request.pk])).status_code == 404
    approve = reverse("web:decide", args=["correction", request.pk, "approve"])
    assert colleague.get(reverse("web:approvals")).status_code == 403
    assert colleague.post(approve).status_code == 403
    assert login(org.op_a1.user).post(approve).status_code == 403
    assert login(org.manager_b).post(approve).status_code == 404
    assert (
        org.op_a1.full_name
        not in login(org.manager_b).get(reverse("web:approvals")).content.decode()
    )
    assert CorrectionRequest.objects.get().status == "pending"
    assert CorrectionRequest.objects.count() == 1


def test_correction_forms_need_the_csrf_token(org: Org, forgot: Any, login: Any) -> None:
    strict = login(org.op_a1.user, csrf=True)
    response = strict.post(page_of(forgot), add_form(forgot.local_date, "17:05"))
    assert response.status_code == 403
    assert not CorrectionRequest.objects.exists()
