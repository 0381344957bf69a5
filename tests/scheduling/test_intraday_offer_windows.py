"""Rest-of-day offers, review fixes (issue 26, item 5): VTO gives exactly its window off (a
split shift when the window is inside the shift), contiguous overtime is one working period,
and who is offered is who the acceptance's rules check lets take it."""

from datetime import date, timedelta

import pytest

from organisation.models import Notice
from scheduling.errors import OfferAfterVto, OfferBreaksRules
from scheduling.models import IntradayOffer, Roster, Shift, ShiftBreak
from scheduling.selectors.intraday_offers import offer_eligible, offers_open_for
from scheduling.selectors.roster_rules import roster_violations
from scheduling.services.intraday_offers import offer_accept, offer_create
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.intraday import Scene, intraday_scene, local

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"


def _scene(org: Org) -> Scene:
    return intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY)


def _offer(org, scene, kind, start, end, *, now=None, slots=1, start_minute=0, end_minute=0):
    now = now or scene.now
    begin = local(DAY, start, start_minute, TZ)
    return offer_create(
        kind=kind,
        queue=scene.queue,
        team=org.team_a,
        start=begin,
        end=local(DAY, end, end_minute, TZ),
        slots=slots,
        expires_at=begin - timedelta(minutes=5),
        user=org.manager_a,
        now=now,
    )


def _published() -> Roster:
    return Roster.objects.get(status=Roster.Status.PUBLISHED)


def _spans(roster: Roster, person) -> list[tuple]:
    return [
        (s.start, s.end, [(b.start, b.end) for b in s.breaks.order_by("start")])
        for s in roster.shifts.filter(employee=person).order_by("start")
    ]


def test_vto_inside_a_shift_gives_exactly_that_window_off(org: Org) -> None:
    """08:00-16:00, VTO 14:00-15:00: 08:00-14:00 (lunch kept) and 15:00-16:00, version 2."""
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 15)
    taken = offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    published = _published()
    assert (published.version, taken.roster) == (2, published)
    lunch = [(local(DAY, 12, 0, TZ), local(DAY, 12, 30, TZ))]
    assert _spans(published, org.op_a1) == [
        (local(DAY, 8, 0, TZ), local(DAY, 14, 0, TZ), lunch),
        (local(DAY, 15, 0, TZ), local(DAY, 16, 0, TZ), []),
    ]
    assert _spans(published, org.op_a2) == [(local(DAY, 8, 0, TZ), local(DAY, 16, 0, TZ), lunch)]
    changes = published.changes.filter(reason__endswith="accepted")
    assert sorted(c.action for c in changes) == ["added", "revised"]
    # The roster's own check reads the two parts as two shifts: what it finds on them is
    # kept on the change for the audit, as every waived finding is (tests/wfm/test_demo.py
    # checks it with templates: the 1 h "rest" between the parts).
    recorded = {(v["rule"], v["employee"]) for c in changes for v in c.violations}
    found = {(v.rule, v.employee) for v in roster_violations(published)}
    mine = {f for f in found if f[1] == str(org.op_a1.pk)}
    assert mine
    assert mine <= recorded


def test_vto_removes_the_breaks_inside_its_window_and_keeps_the_others(org: Org) -> None:
    """Posted at 09:00: VTO 11:30-13:00 takes the 12:00 lunch with it; a 14:30 break stays, on
    the part after the window."""
    scene = _scene(org)
    shift = scene.roster.shifts.get(employee=org.op_a1)
    ShiftBreak.objects.create(
        shift=shift, start=local(DAY, 14, 30, TZ), end=local(DAY, 14, 45, TZ), paid=True
    )
    nine = local(DAY, 9, 0, TZ)
    offer = _offer(org, scene, "vto", 11, 13, now=nine, start_minute=30)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=nine)
    assert _spans(_published(), org.op_a1) == [
        (local(DAY, 8, 0, TZ), local(DAY, 11, 30, TZ), []),
        (
            local(DAY, 13, 0, TZ),
            local(DAY, 16, 0, TZ),
            [(local(DAY, 14, 30, TZ), local(DAY, 14, 45, TZ))],
        ),
    ]


def test_vto_to_the_end_of_the_shift_cuts_its_end(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene, "vto", 15, 18)
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    assert [(s, e) for s, e, _ in _spans(_published(), org.op_a1)] == [
        (local(DAY, 8, 0, TZ), local(DAY, 15, 0, TZ))
    ]


def _late_operator(org: Org, scene: Scene, start: int, end: int):
    person = employee_make(team=org.team_a, username="op_late")
    person.queues.add(scene.queue)
    Shift.objects.create(
        roster=scene.roster,
        employee=person,
        queue=scene.queue,
        start=local(DAY, start, 0, TZ),
        end=local(DAY, end, 0, TZ),
        local_date=DAY,
        state=scene.roster.status,
    )
    return person


def test_overtime_right_before_a_shift_starts_it_earlier_not_refused_for_rest(org: Org) -> None:
    """17:00-21:00, overtime 15:00-17:00: one working period 15:00-21:00 (not a shift with
    0 h of rest before the next)."""
    scene = _scene(org)
    person = _late_operator(org, scene, 17, 21)
    offer = _offer(org, scene, "overtime", 15, 17)
    assert person.pk in {e.pk for e in offer_eligible(offer=offer, now=scene.now)}
    offer_accept(offer=offer, employee=person, user=person.user, now=scene.now)
    assert [(s, e) for s, e, _ in _spans(_published(), person)] == [
        (local(DAY, 15, 0, TZ), local(DAY, 21, 0, TZ))
    ]


def _early_next_day(org: Org, scene: Scene):
    person = employee_make(team=org.team_a, username="op_early")
    person.queues.add(scene.queue)
    early = local(DAY + timedelta(days=1), 6, 0, TZ)
    Shift.objects.create(
        roster=scene.roster,
        employee=person,
        queue=scene.queue,
        start=early,
        end=early + timedelta(hours=8),
        local_date=DAY + timedelta(days=1),
        state=scene.roster.status,
    )
    return person


def test_an_operator_the_rest_rule_refuses_is_neither_offered_nor_told(org: Org) -> None:
    scene = _scene(org)
    person = _early_next_day(org, scene)
    offer = _offer(org, scene, "overtime", 20, 23)  # 7 h before the next day's 06:00
    assert person.pk not in {e.pk for e in offer_eligible(offer=offer, now=scene.now)}
    told = Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}")
    assert not told.filter(recipient=person.user).exists()
    assert offers_open_for(employee=person, now=scene.now) == []
    with pytest.raises(OfferBreaksRules) as refused:
        offer_accept(offer=offer, employee=person, user=person.user, now=scene.now)
    violation = refused.value.extra["violations"][0]
    assert violation["rule"] == "min_rest"
    assert violation["message"] == "7 h of rest before this shift, 11 h required"


def test_an_operator_over_the_weekly_maximum_is_not_offered_overtime(org: Org) -> None:
    scene = _scene(org)
    person = employee_make(team=org.team_a, username="op_full")
    person.queues.add(scene.queue)
    person.min_weekly_minutes = 0
    person.max_weekly_minutes = 8 * 60
    person.save(update_fields=["min_weekly_minutes", "max_weekly_minutes"])
    Shift.objects.create(
        roster=scene.roster,
        employee=person,
        queue=scene.queue,
        start=local(DAY, 8, 0, TZ),
        end=local(DAY, 16, 0, TZ),
        local_date=DAY,
        state=scene.roster.status,
    )
    offer = _offer(org, scene, "overtime", 16, 18)
    assert person.pk not in {e.pk for e in offer_eligible(offer=offer, now=scene.now)}
    with pytest.raises(OfferBreaksRules) as refused:
        offer_accept(offer=offer, employee=person, user=person.user, now=scene.now)
    assert refused.value.extra["violations"][0]["rule"] == "max_minutes_per_week"


def test_who_took_vto_is_not_offered_overtime_the_same_day(org: Org) -> None:
    scene = _scene(org)
    vto = _offer(org, scene, "vto", 14, 15)
    offer_accept(offer=vto, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    overtime = _offer(org, scene, "overtime", 16, 18, slots=2)
    eligible = {e.pk for e in offer_eligible(offer=overtime, now=scene.now)}
    assert (org.op_a1.pk in eligible, org.op_a2.pk in eligible) == (False, True)
    with pytest.raises(OfferAfterVto):
        offer_accept(offer=overtime, employee=org.op_a1, user=org.op_a1.user, now=scene.now)
    assert IntradayOffer.objects.get(pk=overtime.pk).taken == 0


def test_an_expired_offer_s_notices_go(org: Org) -> None:
    from scheduling.services.intraday_offers import offers_expire

    scene = _scene(org)
    offer = _offer(org, scene, "vto", 14, 15)
    assert Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").count() == 2
    assert offers_expire(now=local(DAY, 14, 0, TZ)) == 1
    assert not Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").exists()
