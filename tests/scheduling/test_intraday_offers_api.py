"""The rest-of-day offers' API (issue 26, item 5): withdraw (the open places of a partly taken
offer; 409 once every place is taken), and create, list and accept under the API's roles."""

from datetime import date, timedelta

import pytest
from drf_spectacular.generators import SchemaGenerator

from organisation.models import Notice
from scheduling.models import IntradayOffer, Roster
from scheduling.services.intraday_offers import offer_accept, offer_create
from tests.conftest import Org, client_for
from tests.factories.intraday import Scene, intraday_scene, local, today_at

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


def _tomorrow(org: Org) -> Scene:
    day = today_at(org.team_a) + timedelta(days=1)  # the offer's times lie ahead
    return intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=day)


def _body(org: Org, scene: Scene, **changes: object) -> dict:
    tz = org.team_a.site.timezone
    body = {
        "kind": "vto",
        "queue": str(scene.queue.pk),
        "team": str(org.team_a.pk),
        "start": local(scene.day, 14, 0, tz).isoformat(),
        "end": local(scene.day, 15, 0, tz).isoformat(),
        "slots": 1,
        "expires_at": local(scene.day, 13, 50, tz).isoformat(),
    }
    return {**body, **changes}


URL = "/api/v1/intraday/offers"


def test_a_manager_posts_an_offer_and_the_operator_takes_it_through_the_api(org: Org) -> None:
    scene = _tomorrow(org)
    manager = client_for(org.manager_a)
    posted = manager.post(URL, _body(org, scene), format="json")
    assert posted.status_code == 201, posted.json()
    offer = posted.json()
    assert (offer["kind"], offer["slots"], offer["taken"], offer["status"]) == ("vto", 1, 0, "open")
    assert Notice.objects.filter(event_key=f"intraday_offer:{offer['id']}").count() == 2
    listed = manager.get(URL).json()
    assert [o["id"] for o in listed["results"]] == [offer["id"]]
    assert client_for(org.manager_b).get(URL).json()["results"] == []
    mine = client_for(org.op_a1.user).get(URL).json()
    assert [o["id"] for o in mine["results"]] == [offer["id"]]
    assert client_for(org.op_b1.user).get(URL).json()["results"] == []
    accept = f"{URL}/{offer['id']}/accept"
    assert client_for(org.op_b1.user).post(accept).status_code == 404  # another team's
    assert client_for(org.manager_a).post(accept).status_code == 403  # operators take offers
    taken = client_for(org.op_a1.user).post(accept)
    assert taken.status_code == 201, taken.json()
    assert taken.json()["roster_version"] == 2
    late = client_for(org.op_a2.user).post(accept)
    assert (late.status_code, late.json()["code"]) == (409, "offer_taken")
    assert set(late.json()) == {"code", "message", "extra"}
    assert client_for(org.op_a2.user).get(URL).json()["results"] == []
    assert manager.get(URL, {"status": "filled"}).json()["results"][0]["taken"] == 1


def test_the_api_refuses_a_bad_offer_with_its_code_and_writes_nothing(org: Org) -> None:
    scene = _tomorrow(org)
    tz = org.team_a.site.timezone
    manager = client_for(org.manager_a)
    backwards = manager.post(
        URL, _body(org, scene, end=local(scene.day, 13, 0, tz).isoformat()), format="json"
    )
    assert (backwards.status_code, backwards.json()["code"]) == (400, "offer_bad_window")
    too_long = manager.post(
        URL,
        _body(org, scene, end=local(scene.day + timedelta(days=2), 15, 0, tz).isoformat()),
        format="json",
    )
    assert (too_long.status_code, too_long.json()["code"]) == (400, "offer_bad_window")
    other_team = manager.post(URL, _body(org, scene, team=str(org.team_b.pk)), format="json")
    assert other_team.status_code == 400
    assert "team" in other_team.json()["extra"]["fields"]
    no_slots = manager.post(URL, _body(org, scene, slots=0), format="json")
    assert no_slots.status_code == 400
    unknown = manager.post(URL, _body(org, scene, taken=3), format="json")
    assert unknown.status_code == 400
    assert client_for(org.op_a1.user).post(URL, _body(org, scene), format="json").status_code == 403
    assert not IntradayOffer.objects.exists()


def test_the_offer_operations_are_documented(org: Org) -> None:
    for path, method in (
        ("/api/v1/intraday/offers", "get"),
        ("/api/v1/intraday/offers", "post"),
        ("/api/v1/intraday/offers/{id}/accept", "post"),
    ):
        operation = _operation(path, method)
        assert operation["tags"] == ["intraday"]
        assert {"400", "403", "404"} <= set(operation["responses"]), (path, method)
