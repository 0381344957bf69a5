"""Two operators accepting the last offer at once, on PostgreSQL with real threads (issue 26,
item 5): one gets it, the other is told it was taken; one new roster version."""

from datetime import date, timedelta

import pytest

from scheduling.errors import OfferTaken
from scheduling.models import IntradayOffer, IntradayOfferAcceptance, Roster
from scheduling.services.intraday_offers import offer_accept, offer_create
from tests.conftest import Org
from tests.factories.intraday import intraday_scene, local
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]
TZ = "Europe/Amsterdam"


@pytest.mark.parametrize("round_", range(5))
def test_two_operators_taking_the_last_vto_at_once_one_gets_it(org: Org, round_: int) -> None:
    day = date(2026, 3, 2) + timedelta(days=round_)
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=day)
    offer = offer_create(
        kind="vto",
        queue=scene.queue,
        team=org.team_a,
        start=local(day, 14, 0, TZ),
        end=local(day, 16, 0, TZ),
        slots=1,
        expires_at=local(day, 13, 50, TZ),
        user=org.manager_a,
        now=scene.now,
    )
    results = race(
        *(
            lambda person=person: offer_accept(
                offer=offer, employee=person, user=person.user, now=scene.now
            )
            for person in (org.op_a1, org.op_a2)
        )
    )
    won = [r for r in results if isinstance(r, IntradayOfferAcceptance)]
    lost = [r for r in results if isinstance(r, OfferTaken)]
    assert (len(won), len(lost)) == (1, 1), results
    offer = IntradayOffer.objects.get(pk=offer.pk)
    assert (offer.taken, offer.status) == (1, "filled")
    assert IntradayOfferAcceptance.objects.count() == 1
    assert Roster.objects.filter(status=Roster.Status.PUBLISHED).get().version == 2
    published = Roster.objects.get(status=Roster.Status.PUBLISHED)
    ends = sorted(s.end for s in published.shifts.all())
    assert ends == [local(day, 14, 0, TZ), local(day, 16, 0, TZ)]
