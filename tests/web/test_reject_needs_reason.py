"""Rejecting a swap or an open-shift request needs a reason (browser walk-through: an open
post was rejected on /manager/approvals/ with the reason empty, although every decision
carries one and the operator is told why). The page shows the refusal beside the reason field
in the reader's language and nothing changes; the API and the service refuse with the code
decision_reason_required."""

from typing import Any

import pytest
from django.urls import reverse

from scheduling.errors import DecisionReasonRequired
from scheduling.models import ShiftSwap
from scheduling.services import swaps
from tests.conftest import Org, client_for
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org: Org, commits: None) -> Published:
    return published_make(team=org.team_a, people=[org.op_a1, org.op_a2])


def _open_post(org: Org, pub: Published) -> ShiftSwap:
    me = client_for(org.op_a1.user)
    made = me.post(
        "/api/v1/swaps", {"shift": str(pub.shift(org.op_a1, 0).pk), "kind": "open"}, format="json"
    )
    assert made.status_code == 201, made.json()
    return ShiftSwap.objects.get(pk=made.json()["id"])


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Say why: the operator is told."),
        ("nl", "Zeg waarom: de medewerker krijgt het te zien."),
    ],
)
def test_the_page_refuses_an_open_post_rejected_without_a_reason(
    org: Org, pub: Published, login: Any, language: str, sentence: str
) -> None:
    post = _open_post(org, pub)
    manager = login(org.manager_a, language=language)
    queue = manager.get(reverse("web:approvals")).content.decode()
    assert f'id="reason-{post.pk}"' in queue
    refused = manager.post(reverse("web:decide", args=["swap", post.pk, "reject"]), {"reason": " "})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert sentence in page
    assert f'id="reason-{post.pk}-error"' in page
    post.refresh_from_db()
    assert post.status == ShiftSwap.Status.PENDING
    done = manager.post(
        reverse("web:decide", args=["swap", post.pk, "reject"]), {"reason": "cover is thin"}
    )
    assert done.status_code == 302
    post.refresh_from_db()
    assert post.status == ShiftSwap.Status.REJECTED
    assert post.decision_reason == "cover is thin"


def test_the_api_and_the_service_refuse_a_rejection_without_a_reason(
    org: Org, pub: Published
) -> None:
    post = _open_post(org, pub)
    answer = client_for(org.manager_a).post(
        f"/api/v1/swaps/{post.pk}/reject", {"reason": ""}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "decision_reason_required"
    with pytest.raises(DecisionReasonRequired):
        swaps.swap_reject(swap=post, approver=org.manager_a, reason="  ")
    post.refresh_from_db()
    assert post.status == ShiftSwap.Status.PENDING
    assert (
        client_for(org.manager_a)
        .post(f"/api/v1/swaps/{post.pk}/reject", {"reason": "no"}, format="json")
        .json()["status"]
        == "rejected"
    )
