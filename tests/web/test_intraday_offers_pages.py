"""Rest-of-day offers in the pages (issue 26, item 5): a manager posts VTO from the intraday
page, operators see it on /me/offers/ and the first to accept gets it; English and Dutch."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from scheduling.models import IntradayOffer, Roster
from tests.conftest import Org
from tests.factories.intraday import Scene, intraday_scene, today_at

pytestmark = pytest.mark.django_db


def _tomorrow(org: Org) -> Scene:
    """A scene for the site's tomorrow, so the offer's times lie ahead whenever this runs."""
    day = today_at(org.team_a) + timedelta(days=1)
    return intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=day)


def _post_vto(org: Org, login, scene: Scene):
    at = quote(scene.now.isoformat())
    return login(org.manager_a).post(
        reverse("web:intraday-offer"),
        {
            "queue": str(scene.queue.pk),
            "day": scene.day.isoformat(),
            "kind": "vto",
            "team": str(org.team_a.pk),
            "start": "14:00",
            "end": "16:00",
            "slots": "1",
            "expires_minutes": "10",
            "next": f"/manager/intraday/?at={at}",
        },
        follow=True,
    )


def test_a_manager_posts_vto_and_the_first_operator_takes_it(org: Org, login) -> None:
    scene = _tomorrow(org)
    posted = _post_vto(org, login, scene)
    assert "The offer is posted" in posted.content.decode()
    assert "0 of 1 taken" in posted.content.decode()
    offer = IntradayOffer.objects.get()
    first, second = login(org.op_a1.user), login(org.op_a2.user)
    page = first.get(reverse("web:my-offers")).content.decode()
    assert "Voluntary time off" in page
    assert "14:00\u201316:00" in page  # its window: from 14:00 until 16:00
    taken = first.post(reverse("web:my-offer-accept", args=[offer.pk]), follow=True)
    assert "It is yours" in taken.content.decode()
    refused = second.post(reverse("web:my-offer-accept", args=[offer.pk]), follow=True)
    assert "Someone else took this offer first." in refused.content.decode()
    assert Roster.objects.get(status="published").version == 2
    assert "roster version 2" in first.get(reverse("web:my-offers")).content.decode()


def test_the_offers_page_in_dutch(org: Org, login) -> None:
    scene = _tomorrow(org)
    _post_vto(org, login, scene)
    page = login(org.op_a1.user, language="nl").get(reverse("web:my-offers")).content.decode()
    for dutch in ("Aanbiedingen", "Vrijwillig vrij", "Accepteren"):
        assert dutch in page, dutch


def test_an_incomplete_offer_is_refused_and_nothing_is_posted(org: Org, login) -> None:
    scene = _tomorrow(org)
    response = login(org.manager_a).post(
        reverse("web:intraday-offer"),
        {"queue": str(scene.queue.pk), "day": scene.day.isoformat(), "kind": "vto"},
        follow=True,
    )
    assert "The offer is incomplete" in response.content.decode()
    assert not IntradayOffer.objects.exists()
