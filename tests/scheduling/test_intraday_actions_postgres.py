"""Rest-of-day actions racing on PostgreSQL with real threads (issue 26, item 5): a withdrawal
against an acceptance of the same offer, and two managers applying the same break move."""

from datetime import date, timedelta

import pytest

from scheduling.errors import IntradayMoveStale, OfferTaken, OfferWithdrawAccepted
from scheduling.models import IntradayOffer, IntradayOfferAcceptance, Roster, RosterChange
from scheduling.services.intraday_moves import intraday_break_move
from scheduling.services.intraday_offers import offer_accept, offer_create, offer_withdraw
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.intraday import intraday_scene, local
from tests.factories.intraday_moves import break_move_scene
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]
TZ = "Europe/Amsterdam"


@pytest.mark.parametrize("round_", range(4))
def test_a_withdrawal_and_an_acceptance_at_once_leave_one_outcome(org: Org, round_: int) -> None:
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
    accepted, withdrawn = race(
        lambda: offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now),
        lambda: offer_withdraw(offer=offer, user=org.manager_a),
    )
    offer.refresh_from_db()
    versions = Roster.objects.get(status=Roster.Status.PUBLISHED).version
    if isinstance(accepted, IntradayOfferAcceptance):
        assert isinstance(withdrawn, OfferWithdrawAccepted), withdrawn
        assert (offer.status, offer.taken, versions) == ("filled", 1, 2)
    else:
        assert isinstance(accepted, OfferTaken), accepted
        assert withdrawn.status == IntradayOffer.Status.CANCELLED
        assert (offer.status, offer.taken, versions) == ("cancelled", 0, 1)
        assert not IntradayOfferAcceptance.objects.exists()


@pytest.mark.parametrize("round_", range(3))
def test_two_managers_applying_the_same_move_publish_it_once(org: Org, round_: int) -> None:
    day = date(2026, 3, 2) + timedelta(days=round_)
    third = employee_make(team=org.team_a)
    scene = break_move_scene(team=org.team_a, people=[org.op_a1, org.op_a2, third], day=day)
    move = {
        "shift": scene.shifts[0],
        "break_start": local(day, 13, 0, TZ),
        "new_start": local(day, 14, 0, TZ),
        "now": scene.now,
    }
    results = race(
        lambda: intraday_break_move(**move, user=org.manager_a),
        lambda: intraday_break_move(**move, user=org.admin),
    )
    won = [r for r in results if isinstance(r, Roster)]
    lost = [r for r in results if isinstance(r, IntradayMoveStale)]
    assert (len(won), len(lost)) == (1, 1), results
    assert Roster.objects.get(status=Roster.Status.PUBLISHED).version == 2
    assert RosterChange.objects.filter(action=RosterChange.Action.BREAK_MOVED).count() == 1
