"""The rest-of-day offers' API (issue 26, item 5): withdraw (the open places of a partly taken
offer; 409 once every place is taken), and create, list and accept under the API's roles."""

from datetime import date, timedelta

import pytest
from drf_spectacular.generators import SchemaGenerator

from scheduling.models import IntradayOffer, Roster
from scheduling.services.intraday_offers import offer_accept, offer_create
from tests.conftest import Org, client_for
from tests.factories.intraday import Scene, intraday_scene, local

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"


def _scene(org: Org) -> Scene:
    return intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)


def _offer(org: Org, scene: Scene, kind: str, start: int, end: int, slots: int = 1):
    return offer_create(
        kind=kind,
        queue=scene.queue,
        team=org.team_a,
        start=local(DAY, start, 0, TZ),
        end=local(DAY, end, 0, TZ),
        slots=slots,
        expires_at=local(DAY, start, 0, TZ) - timedelta(minutes=10),
        user=org.manager_a,
        now=scene.now,
    )


def _operation(path: str, method: str) -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["paths"][path][method]


def test_withdrawing_a_partly_taken_offer_withdraws_its_open_places(org: Org) -> None:
    """The decision: a supervisor may withdraw the remaining places of a partly taken offer,
    what was accepted stands; 409 only once every place is taken. The schema says so."""
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 16, slots=2)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    answer = client_for(org.manager_a).post(f"/api/v1/intraday/offers/{offer.pk}/withdraw")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["taken"], answer.json()["slots"]) == (
        "cancelled",
        1,
        2,
    )
    assert Roster.objects.get(status="published").version == 2  # the acceptance stands
    full = _offer(org, scene, "vto", 15, 16)
    offer_accept(offer=full, employee=org.op_a2, user=org.op_a2.user, now=scene.now)
    refused = client_for(org.manager_a).post(f"/api/v1/intraday/offers/{full.pk}/withdraw")
    assert (refused.status_code, refused.json()["code"]) == (409, "offer_withdraw_accepted")
    assert IntradayOffer.objects.get(pk=full.pk).status == "filled"
    described = _operation("/api/v1/intraday/offers/{id}/withdraw", "post")["description"]
    assert "remaining places are withdrawn and what was accepted stands" in described
    assert "once every place is taken" in described
