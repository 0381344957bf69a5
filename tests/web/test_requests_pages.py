"""Request pages: an operator offers, accepts and withdraws swaps and asks for time off; a
manager decides them in one queue. Forms show their errors in place; refusals are shown in
the reader's language; other people's requests answer 404; CSRF is enforced."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling.models import ShiftSwap, TimeOffRequest
from tests.conftest import Org
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org: Org, commits: None) -> Published:
    return published_make(team=org.team_a, people=[org.op_a1, org.op_a2])


def test_an_operator_offers_a_swap_the_colleague_accepts_a_manager_approves(
    org: Org, pub: Published, login: Any
) -> None:
    monday, tuesday = pub.shift(org.op_a1, 0), pub.shift(org.op_a2, 1)
    me = login(org.op_a1.user)
    page = me.get(reverse("web:swaps")).content.decode()
    assert "Offer one of my shifts" in page
    sent = me.post(
        reverse("web:swaps"),
        {"shift": monday.pk, "kind": "swap", "counterpart_shift": tuesday.pk, "note": "please"},
        follow=True,
    )
    assert "Your request was sent." in sent.content.decode()
    swap = ShiftSwap.objects.get()
    colleague = login(org.op_a2.user)
    assert "please" in colleague.get(reverse("web:swaps")).content.decode()
    colleague.post(reverse("web:swap-action", args=[swap.pk, "accept"]))
    assert ShiftSwap.objects.get().status == "accepted"
    manager = login(org.manager_a)
    queue = manager.get(reverse("web:approvals")).content.decode()
    assert org.op_a1.full_name in queue
    done = manager.post(
        reverse("web:decide", args=["swap", swap.pk, "approve"]), {"reason": "ok"}, follow=True
    )
    assert "Approved" in done.content.decode()
    assert ShiftSwap.objects.get().status == "approved"


def test_offer_form_shows_errors_in_place_and_refusals_in_dutch(
    org: Org, pub: Published, login: Any
) -> None:
    monday = pub.shift(org.op_a1, 0)
    me = login(org.op_a1.user)
    missing = me.post(reverse("web:swaps"), {"shift": monday.pk, "kind": "give_away"})
    assert "Pick the colleague to give the shift to." in missing.content.decode()
    assert 'id="id_counterpart_error"' in missing.content.decode()
    assert not ShiftSwap.objects.exists()
    dutch = login(org.op_a1.user, language="nl")
    dutch.post(reverse("web:swaps"), {"shift": monday.pk, "kind": "open"})
    again = dutch.post(reverse("web:swaps"), {"shift": monday.pk, "kind": "open"}, follow=True)
    assert "al deel van een open verzoek" in again.content.decode()
    assert ShiftSwap.objects.count() == 1


def test_time_off_request_and_manager_decision(org: Org, login: Any) -> None:
    day = timezone.now().date() + timedelta(days=10)
    me = login(org.op_a1.user)
    backwards = me.post(
        reverse("web:time-off"), {"first_day": day, "last_day": day - timedelta(days=1)}
    )
    assert "The last day comes before the first." in backwards.content.decode()
    me.post(reverse("web:time-off"), {"first_day": day, "last_day": day, "reason": "move"})
    request = TimeOffRequest.objects.get()
    manager = login(org.manager_a)
    assert "move" in manager.get(reverse("web:approvals")).content.decode()
    manager.post(reverse("web:decide", args=["time_off", request.pk, "approve"]))
    assert TimeOffRequest.objects.get().status == "approved"
    page = me.get(reverse("web:time-off")).content.decode()
    assert "Approved" in page


def test_other_peoples_requests_answer_404_and_operators_cannot_decide(
    org: Org, pub: Published, login: Any
) -> None:
    monday = pub.shift(org.op_a1, 0)
    login(org.op_a1.user).post(
        reverse("web:swaps"), {"shift": monday.pk, "kind": "give_away", "counterpart": org.op_a2.pk}
    )
    swap = ShiftSwap.objects.get()
    outsider = login(org.op_b1.user)
    assert outsider.post(reverse("web:swap-action", args=[swap.pk, "accept"])).status_code == 404
    operator = login(org.op_a2.user)
    assert operator.get(reverse("web:approvals")).status_code == 403
    decide = reverse("web:decide", args=["swap", swap.pk, "approve"])
    assert operator.post(decide).status_code == 403
    assert login(org.manager_b).post(decide).status_code == 404
    assert ShiftSwap.objects.get().status == "pending"


def test_request_forms_need_the_csrf_token(org: Org, pub: Published, login: Any) -> None:
    monday = pub.shift(org.op_a1, 0)
    strict = login(org.op_a1.user, csrf=True)
    response = strict.post(reverse("web:swaps"), {"shift": monday.pk, "kind": "open"})
    assert response.status_code == 403
    assert not ShiftSwap.objects.exists()
