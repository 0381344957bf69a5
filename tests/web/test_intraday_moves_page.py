"""Rest-of-day actions in the intraday page (issue 26, item 5): a manager applies proposed
break moves (one, then all) and withdraws an open offer, in the pages and the API; the offer
notice in Dutch; bad input answered, never a 500."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from organisation.models import Notice
from organisation.roles import Role
from scheduling.models import IntradayOffer, Roster
from scheduling.services.intraday_offers import offer_accept, offer_create
from tests.conftest import Org, client_for
from tests.factories import employee_make, team_make, user_make
from tests.factories.intraday import local, today_at
from tests.factories.intraday_moves import MoveScene, break_move_scene, meeting_place

pytestmark = pytest.mark.django_db


def _scene(org: Org) -> MoveScene:
    """Tomorrow, so that the breaks lie ahead whenever this runs."""
    day = today_at(org.team_a) + timedelta(days=1)
    third = employee_make(team=org.team_a)
    return break_move_scene(team=org.team_a, people=[org.op_a1, org.op_a2, third], day=day)


def _page(scene: MoveScene) -> str:
    return f"/manager/intraday/?at={quote(scene.now.isoformat())}"


def _version() -> int:
    return Roster.objects.get(status=Roster.Status.PUBLISHED).version


def test_the_page_proposes_moves_and_the_manager_applies_one_then_all(org: Org, login) -> None:
    scene = _scene(org)
    manager = login(org.manager_a)
    page = manager.get(_page(scene)).content.decode()
    assert "Move breaks, meetings and training to where the day is over-staffed" in page
    assert page.count('class="inline-form move-form"') == 3
    assert "break 13:00\u201313:30 \u2192 14:00\u201314:30" in page
    first = scene.shifts[0]
    tz = org.team_a.site.timezone
    moved = manager.post(
        reverse("web:intraday-moves"),
        {
            "queue": str(scene.queue.pk),
            "shift": str(first.pk),
            "break_start": local(scene.day, 13, 0, tz).isoformat(),
            "new_start": local(scene.day, 14, 30, tz).isoformat(),
            "next": _page(scene),
        },
        follow=True,
    )
    assert "The break is moved; the operator is told." in moved.content.decode()
    assert _version() == 2
    assert moved.content.decode().count('class="inline-form move-form"') == 2
    everything = manager.post(
        reverse("web:intraday-moves"),
        {"queue": str(scene.queue.pk), "all": "1", "at": scene.now.isoformat()},
        follow=True,
    )
    assert "2 changes published; the operators are told." in everything.content.decode()
    assert _version() == 4
    published = Roster.objects.get(status=Roster.Status.PUBLISHED)
    lunches = sorted(
        b.start.astimezone(local(scene.day, 0, 0, tz).tzinfo).strftime("%H:%M")
        for s in published.shifts.all()
        for b in s.breaks.all()
    )
    assert lunches == ["14:00", "14:00", "14:30"]
    told = Notice.objects.filter(event_key__startswith="roster:", event_key__endswith=":published")
    assert sorted(n.recipient_id for n in told) == sorted(s.employee.user_id for s in scene.shifts)


def test_a_move_with_bad_times_or_a_foreign_queue_is_answered_not_a_500(org: Org, login) -> None:
    scene = _scene(org)
    manager = login(org.manager_a)
    body = {
        "queue": str(scene.queue.pk),
        "shift": str(scene.shifts[0].pk),
        "break_start": "tomorrow",
        "new_start": "2026-01-01T10:00",
    }
    answer = manager.post(reverse("web:intraday-moves"), body, follow=True)
    assert answer.status_code == 200
    assert "UTC offset" in answer.content.decode()
    assert manager.post(reverse("web:intraday-moves"), {**body, "shift": "x"}).status_code == 404
    other = login(org.manager_b)
    assert other.post(reverse("web:intraday-moves"), body).status_code == 404
    assert _version() == 1


def _offer(org: Org, scene: MoveScene) -> IntradayOffer:
    tz = org.team_a.site.timezone
    return offer_create(
        kind="vto",
        queue=scene.queue,
        team=org.team_a,
        start=local(scene.day, 16, 0, tz),
        end=local(scene.day, 18, 0, tz),
        slots=2,
        expires_at=local(scene.day, 15, 50, tz),
        user=org.manager_a,
    )


def test_a_manager_withdraws_an_offer_and_the_operators_no_longer_see_it(org: Org, login) -> None:
    scene = _scene(org)
    offer = _offer(org, scene)
    operator = login(org.op_a1.user, language="nl")
    notices = operator.get(reverse("web:notices")).content.decode()
    assert "Vrijwillig vrij aangeboden op Claims" in notices
    assert "Claims" in operator.get(reverse("web:my-offers")).content.decode()
    manager = login(org.manager_a)
    page = manager.get(_page(scene)).content.decode()
    assert 'class="inline-form withdraw-form"' in page
    done = manager.post(
        reverse("web:intraday-offer-withdraw", args=[offer.pk]),
        {"next": _page(scene)},
        follow=True,
    )
    assert "The offer is withdrawn" in done.content.decode()
    assert 'class="inline-form withdraw-form"' not in done.content.decode()
    assert "Claims" not in operator.get(reverse("web:notices")).content.decode()
    assert "Claims" not in operator.get(reverse("web:my-offers")).content.decode()
    offer.refresh_from_db()
    assert offer.status == IntradayOffer.Status.CANCELLED


def test_a_partly_taken_offer_is_withdrawn_and_a_full_one_is_refused(org: Org, login) -> None:
    scene = _scene(org)
    offer = _offer(org, scene)  # two places
    offer_accept(offer=offer, employee=org.op_a1, user=org.op_a1.user)
    manager = login(org.manager_a, language="nl")
    page = manager.get(_page(scene)).content.decode()
    assert 'class="inline-form withdraw-form"' in page
    answer = client_for(org.manager_a).post(f"/api/v1/intraday/offers/{offer.pk}/withdraw")
    assert (answer.status_code, answer.json()["status"], answer.json()["taken"]) == (
        200,
        "cancelled",
        1,
    )
    full = _offer(org, scene)  # op_a1 goes home at 16:00 already: the two others take it
    third = scene.shifts[2].employee
    offer_accept(offer=full, employee=org.op_a2, user=org.op_a2.user)
    offer_accept(offer=full, employee=third, user=None)
    answer = client_for(org.manager_a).post(f"/api/v1/intraday/offers/{full.pk}/withdraw")
    assert answer.status_code == 409
    assert answer.json()["code"] == "offer_withdraw_accepted"
    page = manager.post(reverse("web:intraday-offer-withdraw", args=[full.pk]), follow=True)
    assert "kan niet meer worden ingetrokken" in page.content.decode()
    full.refresh_from_db()
    assert (full.status, full.taken) == (IntradayOffer.Status.FILLED, 2)


def test_the_api_withdraws_an_open_offer_of_a_managed_team_only(org: Org) -> None:
    scene = _scene(org)
    offer = _offer(org, scene)
    url = f"/api/v1/intraday/offers/{offer.pk}/withdraw"
    assert client_for(org.manager_b).post(url).status_code == 404
    assert client_for(org.op_a1.user).post(url).status_code == 403
    answer = client_for(org.manager_a).post(url)
    assert answer.status_code == 200
    assert answer.json()["status"] == "cancelled"
    assert client_for(org.manager_a).post(url).json()["status"] == "cancelled"
    assert not Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").exists()


def test_the_moves_read_in_dutch(org: Org, login) -> None:
    scene = _scene(org)
    _offer(org, scene)
    page = login(org.manager_a, language="nl").get(_page(scene)).content.decode()
    for dutch in (
        "Pauzes, overleg en training verschuiven naar waar de dag overbezet is",
        "Alles verschuiven",
        "Intrekken",
    ):
        assert dutch in page, dutch
    assert "pauze 13:00\u201313:30 \u2192 14:00\u201314:30" in page


def test_the_manager_moves_a_placed_meeting_from_the_page(org: Org, login) -> None:
    scene = _scene(org)
    meeting_place(scene, [org.op_a1, org.op_a2])
    manager = login(org.manager_a, language="nl")
    page = manager.get(_page(scene)).content.decode()
    assert page.count('class="inline-form session-move-form"') == 1
    assert "Team huddle" in page
    assert "overleg of training 12:30\u201313:00 \u2192 14:" in page
    tz = org.team_a.site.timezone

    def move(start: str, new_start: str):  # type: ignore[no-untyped-def]
        body = {
            "queue": str(scene.queue.pk),
            "roster": str(scene.roster.pk),
            "session": f"meeting:{scene.roster.placed.first().meeting_id}",
            "break_start": start,
            "new_start": new_start,
            "next": _page(scene),
        }
        return manager.post(reverse("web:intraday-moves"), body, follow=True)

    moved = move(local(scene.day, 12, 30, tz).isoformat(), local(scene.day, 14, 0, tz).isoformat())
    assert "Het overleg of de training is verschoven" in moved.content.decode()
    late = move(
        local(scene.day, 14, 0, tz).isoformat(),
        local(scene.day + timedelta(days=1), 23, 30, tz).isoformat(),
    )
    assert late.status_code == 200
    assert "Een verschuiving blijft binnen haar dag" in late.content.decode()
    # A time past the product's dates is refused as such (c0a2a8e), not worked with.
    far = move(local(scene.day, 14, 0, tz).isoformat(), "9999-12-31T23:30-01:00")
    assert "Geef een datum van 1970-01-01 tot en met 2099-12-31." in far.content.decode()
    assert 'class="inline-form session-move-form"' not in moved.content.decode()
    published = Roster.objects.get(status=Roster.Status.PUBLISHED)
    assert published.version == 2
    assert {p.start for p in published.placed.all()} == {local(scene.day, 14, 0, tz)}


def test_a_roster_whose_people_left_the_team_proposes_nothing_and_the_page_stays_up(
    org: Org, login
) -> None:
    scene = _scene(org)
    for shift in scene.shifts:
        shift.employee.team = org.team_b
        shift.employee.save(update_fields=["team"])
    page = login(org.manager_a).get(_page(scene))
    assert page.status_code == 200
    assert 'class="inline-form move-form"' not in page.content.decode()


def test_a_manager_of_another_team_at_the_site_neither_sees_nor_makes_the_moves(
    org: Org, login
) -> None:
    scene = _scene(org)
    meeting_place(scene, [org.op_a1, org.op_a2])
    manager_c = user_make(role=Role.MANAGER, username="manager_c")
    team_make(site=org.team_a.site, name="Team C", managers=[manager_c])
    other = login(manager_c)
    page = other.get(_page(scene)).content.decode()
    assert "Claims" in page  # the site's queue, with its figures
    assert 'class="inline-form move-form"' not in page
    assert 'class="inline-form session-move-form"' not in page
    tz = org.team_a.site.timezone
    queue = str(scene.queue.pk)
    brk = {
        "queue": queue,
        "shift": str(scene.shifts[2].pk),
        "break_start": local(scene.day, 13, 0, tz).isoformat(),
        "new_start": local(scene.day, 14, 0, tz).isoformat(),
    }
    assert other.post(reverse("web:intraday-moves"), brk).status_code == 404
    session = {
        "queue": queue,
        "roster": str(scene.roster.pk),
        "session": f"meeting:{scene.roster.placed.first().meeting_id}",
        "break_start": local(scene.day, 12, 30, tz).isoformat(),
        "new_start": local(scene.day, 14, 0, tz).isoformat(),
    }
    assert other.post(reverse("web:intraday-moves"), session).status_code == 404
    other.post(
        reverse("web:intraday-moves"), {"queue": queue, "all": "1", "at": scene.now.isoformat()}
    )
    assert _version() == 1
    assert (
        login(org.manager_a)
        .get(_page(scene))
        .content.decode()
        .count('class="inline-form move-form"')
        >= 1
    )
