"""Rest-of-day offers (issue 26, item 5): VTO and overtime offered to a team's eligible
operators, first come first served, checked by the rules, each acceptance published as a new
roster version; refusals with stable codes and nothing half-written."""

from datetime import date, timedelta

import pytest

from organisation.models import Notice
from scheduling.errors import (
    OfferAlreadyAccepted,
    OfferBadWindow,
    OfferBreaksRules,
    OfferExpired,
    OfferNotEligible,
    OfferTaken,
    OfferWithdrawAccepted,
)
from scheduling.models import IntradayOffer, IntradayOfferAcceptance, Roster, Shift
from scheduling.selectors.intraday_offers import offer_eligible, offers_open_for
from scheduling.services.intraday_offers import offer_accept, offer_create, offer_withdraw
from scheduling.services.roster_publish import roster_publish
from scheduling.services.roster_versions import roster_revise
from tests.conftest import Org
from tests.factories import employee_make
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


def _published() -> Roster:
    return Roster.objects.get(status=Roster.Status.PUBLISHED)


def test_vto_goes_to_the_first_taker_and_is_published_as_a_new_version(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 16)
    eligible = {e.pk for e in offer_eligible(offer=offer, now=scene.now)}
    assert eligible == {org.op_a1.pk, org.op_a2.pk}
    told = set(
        Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {org.op_a1.user_id, org.op_a2.user_id}
    taken = offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    published = _published()
    assert published.version == 2
    assert taken.roster == published
    mine = published.shifts.get(employee=org.op_a1)
    assert mine.end == local(DAY, 14, 0, TZ)
    assert published.shifts.get(employee=org.op_a2).end == local(DAY, 16, 0, TZ)
    offer.refresh_from_db()
    assert (offer.taken, offer.status) == (1, "filled")
    with pytest.raises(OfferTaken):
        offer_accept(offer=offer, employee=org.op_a2, user=org.op_a2.user, now=scene.now)
    with pytest.raises(OfferAlreadyAccepted):
        offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    assert _published().version == 2  # nothing more written


def test_overtime_adds_a_shift_for_a_free_skilled_operator(org: Org) -> None:
    scene = _scene(org)
    extra = employee_make(team=org.team_a, username="op_a3")
    extra.queues.add(scene.queue)
    offer = _offer(org, scene, "overtime", 16, 18, slots=2)
    assert extra.pk in {e.pk for e in offer_eligible(offer=offer, now=scene.now)}
    offer_accept(offer=offer, employee=extra, user=extra.user, now=scene.now)
    added = _published().shifts.get(employee=extra)
    assert (added.start, added.end) == (local(DAY, 16, 0, TZ), local(DAY, 18, 0, TZ))
    offer.refresh_from_db()
    assert (offer.taken, offer.status) == (1, "open")


def test_overtime_that_leaves_too_little_rest_is_refused_by_the_rules(org: Org) -> None:
    scene = _scene(org)
    extra = employee_make(team=org.team_a, username="op_a3")
    extra.queues.add(scene.queue)
    early = local(DAY + timedelta(days=1), 6, 0, TZ)
    Shift.objects.create(
        roster=scene.roster,
        employee=extra,
        queue=scene.queue,
        start=early,
        end=early + timedelta(hours=8),
        local_date=DAY + timedelta(days=1),
        state=scene.roster.status,
    )
    offer = _offer(org, scene, "overtime", 20, 23)  # 7 h before the next day's 06:00
    with pytest.raises(OfferBreaksRules) as caught:
        offer_accept(offer=offer, employee=extra, user=extra.user, now=scene.now)
    assert caught.value.code == "offer_breaks_rules"
    assert caught.value.extra["violations"][0]["rule"] == "min_rest"
    assert _published().version == 1
    assert not IntradayOfferAcceptance.objects.exists()
    offer.refresh_from_db()
    assert offer.taken == 0


def test_an_offer_after_its_expiry_or_for_someone_else_is_refused(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 16)
    later = local(DAY, 13, 55, TZ)
    with pytest.raises(OfferExpired):
        offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=later)
    with pytest.raises(OfferNotEligible):
        offer_accept(offer=offer, employee=org.op_b1, user=org.op_b1.user, now=scene.now)
    assert Roster.objects.count() == 1
    assert Shift.objects.filter(end=local(DAY, 14, 0, TZ)).count() == 0


def test_an_offer_window_in_the_past_is_refused(org: Org) -> None:
    scene = _scene(org)
    with pytest.raises(OfferBadWindow):
        _offer(org, scene, "vto", 11, 12)
    assert not IntradayOffer.objects.exists()


def test_overtime_right_after_the_shift_makes_the_shift_longer(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "overtime", 16, 17)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    mine = list(_published().shifts.filter(employee=org.op_a1))
    assert [(s.start, s.end) for s in mine] == [(local(DAY, 8, 0, TZ), local(DAY, 17, 0, TZ))]


def test_the_beat_task_expires_open_offers_past_their_time(org: Org) -> None:
    """celery beat's scheduling.offers_expire (every 5 min): an offer past its expiry leaves
    the open list; one still to expire stays."""
    from django.conf import settings

    from scheduling.tasks import offers_expire

    scene = _scene(org)
    early = _offer(org, scene, "vto", 14, 16)  # expires 13:50 local on DAY
    late = _offer(org, scene, "vto", 16, 17)
    assert settings.CELERY_BEAT_SCHEDULE["offers-expire"]["task"] == "scheduling.offers_expire"
    assert offers_expire.name == "scheduling.offers_expire"
    from scheduling.services.intraday_offers import offers_expire as expire_at

    assert expire_at(now=local(DAY, 14, 0, TZ)) == 1
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, late.status) == ("expired", "open")


def test_a_manager_withdraws_an_open_offer_and_its_notices_go(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 16)
    assert Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").count() == 2
    withdrawn = offer_withdraw(offer=offer, user=org.manager_a)
    assert withdrawn.status == IntradayOffer.Status.CANCELLED
    assert not Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").exists()
    assert offers_open_for(employee=org.op_a1, now=scene.now) == []
    assert offer_withdraw(offer=offer, user=org.manager_a).status == "cancelled"  # again: same
    with pytest.raises(OfferTaken):
        offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    assert _published().version == 1


def test_the_open_places_of_a_partly_taken_offer_are_withdrawn(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 16, slots=2)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    withdrawn = offer_withdraw(offer=offer, user=org.manager_a)
    assert (withdrawn.status, withdrawn.taken, withdrawn.slots) == ("cancelled", 1, 2)
    # The accepted change stays published; nobody else can take the place left.
    assert _published().version == 2
    assert IntradayOfferAcceptance.objects.filter(offer=offer, employee=org.op_a1).exists()
    assert not Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").exists()
    with pytest.raises(OfferTaken):
        offer_accept(offer=offer, employee=org.op_a2, user=org.op_a2.user, now=scene.now)
    assert _published().version == 2


def test_an_offer_whose_every_place_is_taken_cannot_be_withdrawn(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 16)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    with pytest.raises(OfferWithdrawAccepted) as refused:
        offer_withdraw(offer=offer, user=org.manager_a)
    assert refused.value.code == "offer_withdraw_accepted"
    offer.refresh_from_db()
    assert (offer.status, offer.taken) == ("filled", 1)


def test_an_expired_offer_is_not_withdrawn(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "overtime", 16, 17)
    IntradayOffer.objects.filter(pk=offer.pk).update(status=IntradayOffer.Status.EXPIRED)
    with pytest.raises(OfferExpired):
        offer_withdraw(offer=offer, user=org.manager_a)


def test_the_offer_notice_carries_a_sentence_for_the_reader_s_language(org: Org) -> None:
    scene = _scene(org)
    vto = _offer(org, scene, "vto", 14, 16)
    overtime = _offer(org, scene, "overtime", 16, 17)
    one = Notice.objects.filter(event_key=f"intraday_offer:{vto.pk}").first()
    two = Notice.objects.filter(event_key=f"intraday_offer:{overtime.pk}").first()
    assert one is not None
    assert two is not None
    assert one.sentence["code"] == "vto_window_offered"
    assert one.sentence["values"]["start"] == "14:00:00"
    assert one.sentence["values"]["end"] == "16:00:00"
    assert two.sentence["code"] == "overtime_offered"
    assert two.sentence["values"]["end"] == "17:00:00"
    assert one.subject.startswith("Voluntary time off offered on Retail")


@pytest.mark.parametrize(
    ("kind", "start", "end", "extra"),
    [("vto", 14, 16, False), ("overtime", 16, 17, False), ("overtime", 17, 19, True)],
    ids=["vto", "overtime-longer", "overtime-own-shift"],
)
def test_publishing_a_draft_branched_before_an_acceptance_keeps_it(
    org: Org, kind: str, start: int, end: int, extra: bool
) -> None:
    """A manager's open draft, branched before an operator took the offer, gets the change too
    (as an approved swap's), so publishing it afterwards does not undo the acceptance."""
    scene = _scene(org)
    person = org.op_a1
    if extra:  # free then: the overtime is a shift of its own
        person = employee_make(team=org.team_a, username="op_a3")
        person.queues.add(scene.queue)
    draft = roster_revise(roster=scene.roster, user=org.manager_a)
    offer = _offer(org, scene, kind, start, end)
    offer_accept(offer=offer, employee=person, user=person.user, now=scene.now)
    draft.refresh_from_db()
    assert draft.status == Roster.Status.DRAFT
    assert draft.version > _published().version
    roster_publish(roster=draft, user=org.manager_a, now=scene.now)
    assert _published().pk == draft.pk
    shifts = [(s.start, s.end) for s in _published().shifts.filter(employee=person)]
    if kind == "vto":
        assert shifts == [(local(DAY, 8, 0, TZ), local(DAY, 14, 0, TZ))]
    elif extra:
        assert shifts == [(local(DAY, 17, 0, TZ), local(DAY, 19, 0, TZ))]
    else:
        assert shifts == [(local(DAY, 8, 0, TZ), local(DAY, 17, 0, TZ))]


def test_a_draft_that_changed_the_shift_keeps_its_version_with_a_note(org: Org) -> None:
    """As for swaps: where the manager's draft changed the shift itself, the draft keeps the
    manager's version and says the acceptance was not applied there."""
    scene = _scene(org)
    draft = roster_revise(roster=scene.roster, user=org.manager_a)
    draft.shifts.filter(employee=org.op_a1).delete()
    offer = _offer(org, scene, "vto", 14, 16)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    assert _published().shifts.get(employee=org.op_a1).end == local(DAY, 14, 0, TZ)
    note = draft.changes.get(
        reason__endswith="not applied here, the shift was changed in this draft"
    )
    assert note.after["not_applied"]
