"""Swap decision reasons the system writes are shown in the reader's language (browser
walk-through: /me/swaps/ in Dutch showed 'cancelled by the requester' and 'rejected by a
manager' in English). The stored keys stay (the API shows them); rows written before, with the
old default of a rejection, read the same way; a reason a person wrote is shown as written."""

from typing import Any

import pytest
from django.urls import reverse

from scheduling.models import ShiftSwap
from tests.conftest import Org, client_for
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org: Org, commits: None) -> Published:
    return published_make(team=org.team_a, people=[org.op_a1, org.op_a2])


def _offer(org: Org, pub: Published, day: int) -> str:
    made = client_for(org.op_a1.user).post(
        "/api/v1/swaps", {"shift": str(pub.shift(org.op_a1, day).pk), "kind": "open"}, format="json"
    )
    assert made.status_code == 201, made.json()
    return str(made.json()["id"])


@pytest.mark.parametrize(
    ("language", "withdrawn", "rejected"),
    [
        ("en", "Withdrawn by the requester.", "Rejected by a manager."),
        ("nl", "Ingetrokken door de aanvrager.", "Afgewezen door een manager."),
    ],
)
def test_my_swaps_shows_the_system_reasons_in_the_readers_language(
    org: Org, pub: Published, login: Any, language: str, withdrawn: str, rejected: str
) -> None:
    cancelled = _offer(org, pub, 0)
    answer = client_for(org.op_a1.user).post(f"/api/v1/swaps/{cancelled}/cancel", {}, format="json")
    assert answer.json()["status"] == "cancelled"
    assert answer.json()["decision_reason"] == "cancelled by the requester"  # the API's key
    old = _offer(org, pub, 1)  # a row rejected before a reason was required
    ShiftSwap.objects.filter(pk=old).update(
        status="rejected", decision_reason="rejected by a manager"
    )
    written = _offer(org, pub, 2)
    client_for(org.manager_a).post(
        f"/api/v1/swaps/{written}/reject", {"reason": "cover is thin"}, format="json"
    )
    page = login(org.op_a1.user, language=language).get(reverse("web:swaps")).content.decode()
    assert withdrawn in page
    assert rejected in page
    assert "cover is thin" in page
    assert "cancelled by the requester" not in page
    assert "rejected by a manager" not in page
