"""Rest-of-day offers in the pages, review fixes (issue 26, item 5): a refusal at acceptance
says the rule's own sentence; VTO is posted for its window ("Until" counts)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from scheduling.models import IntradayOffer, Roster, Shift
from scheduling.services.intraday_offers import offer_create
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.intraday import Scene, intraday_scene, local, today_at

pytestmark = pytest.mark.django_db


def _tomorrow(org: Org) -> Scene:
    day = today_at(org.team_a) + timedelta(days=1)
    return intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=day)


def test_a_refused_acceptance_names_the_rule(org: Org, login) -> None:
    """Eligible when told, then a shift early the next morning is added: accepting is refused
    with the rule's sentence, not a generic one."""
    scene = _tomorrow(org)
    tz = org.team_a.site.timezone
    person = employee_make(team=org.team_a, username="op_early")
    person.queues.add(scene.queue)
    offer = offer_create(
        kind="overtime",
        queue=scene.queue,
        team=org.team_a,
        start=local(scene.day, 20, 0, tz),
        end=local(scene.day, 23, 0, tz),
        slots=1,
        expires_at=local(scene.day, 19, 0, tz),
        user=org.manager_a,
    )
    early = local(scene.day + timedelta(days=1), 6, 0, tz)
    Shift.objects.create(
        roster=scene.roster,
        employee=person,
        queue=scene.queue,
        start=early,
        end=early + timedelta(hours=8),
        local_date=scene.day + timedelta(days=1),
        state=scene.roster.status,
    )
    client = login(person.user)
    assert "Overtime" not in client.get(reverse("web:my-offers")).content.decode()
    page = client.post(reverse("web:my-offer-accept", args=[offer.pk]), follow=True)
    text = page.content.decode()
    assert (
        "Taking this offer would break a rule: 7 h of rest before this shift, 11 h required."
        in text
    )
    assert Roster.objects.get(status="published").version == 1


def test_vto_posted_on_the_page_keeps_its_until(org: Org, login) -> None:
    scene = _tomorrow(org)
    login(org.manager_a).post(
        reverse("web:intraday-offer"),
        {
            "queue": str(scene.queue.pk),
            "day": scene.day.isoformat(),
            "kind": "vto",
            "team": str(org.team_a.pk),
            "start": "14:00",
            "end": "15:00",
            "slots": "1",
            "expires_minutes": "10",
        },
    )
    offer = IntradayOffer.objects.get()
    tz = org.team_a.site.timezone
    assert (offer.start, offer.end) == (local(scene.day, 14, 0, tz), local(scene.day, 15, 0, tz))
    login(org.op_a1.user).post(reverse("web:my-offer-accept", args=[offer.pk]))
    published = Roster.objects.get(status="published")
    spans = [
        (s.start, s.end) for s in published.shifts.filter(employee=org.op_a1).order_by("start")
    ]
    assert spans == [
        (local(scene.day, 8, 0, tz), local(scene.day, 14, 0, tz)),
        (local(scene.day, 15, 0, tz), local(scene.day, 16, 0, tz)),
    ]


def test_notice_times_read_in_the_site_s_local_time(org: Org, login) -> None:
    """Posted 23:39 UTC on Saturday 5 December: 00:39 on Sunday in Amsterdam."""
    from datetime import UTC, datetime

    from organisation.models import Notice

    scene = _tomorrow(org)
    tz = org.team_a.site.timezone
    assert tz == "Europe/Amsterdam"
    offer_create(
        kind="vto",
        queue=scene.queue,
        team=org.team_a,
        start=local(scene.day, 14, 0, tz),
        end=local(scene.day, 15, 0, tz),
        slots=1,
        expires_at=local(scene.day, 13, 0, tz),
        user=org.manager_a,
    )
    Notice.objects.update(created_at=datetime(2026, 12, 5, 23, 39, tzinfo=UTC))
    page = login(org.op_a1.user).get(reverse("web:notices")).content.decode()
    assert "Sun 6 Dec, 00:39" in page
    assert "23:39" not in page
    dutch = login(org.op_a1.user, language="nl").get(reverse("web:notices")).content.decode()
    assert "zo 6 " in dutch
    assert ", 00:39" in dutch


def test_a_filled_offer_s_notices_go_as_a_withdrawn_one_s(org: Org, login) -> None:
    from organisation.models import Notice

    scene = _tomorrow(org)
    tz = org.team_a.site.timezone
    offer = offer_create(
        kind="vto",
        queue=scene.queue,
        team=org.team_a,
        start=local(scene.day, 14, 0, tz),
        end=local(scene.day, 15, 0, tz),
        slots=1,
        expires_at=local(scene.day, 13, 0, tz),
        user=org.manager_a,
    )
    second = login(org.op_a2.user)
    assert "Voluntary time off offered" in second.get(reverse("web:notices")).content.decode()
    login(org.op_a1.user).post(reverse("web:my-offer-accept", args=[offer.pk]))
    assert not Notice.objects.filter(event_key=f"intraday_offer:{offer.pk}").exists()
    assert "Voluntary time off offered" not in second.get(reverse("web:notices")).content.decode()


def test_an_invalid_offer_shows_each_field_s_error_and_keeps_the_input(org: Org, login) -> None:
    from urllib.parse import quote

    scene = _tomorrow(org)
    manager = login(org.manager_a)
    at = quote(scene.now.isoformat())
    page = manager.post(
        reverse("web:intraday-offer"),
        {
            "queue": str(scene.queue.pk),
            "day": scene.day.isoformat(),
            "kind": "overtime",
            "team": str(org.team_a.pk),
            "start": "16:00",
            "end": "15:00",
            "slots": "",
            "expires_minutes": "10",
            "next": f"/manager/intraday/?at={at}",
        },
        follow=True,
    ).content.decode()
    assert not IntradayOffer.objects.exists()
    prefix = f"offer-{scene.queue.pk}-"
    assert f'id="{prefix}end_error"' in page
    assert "Give a time after From." in page
    assert f'id="{prefix}slots_error"' in page
    assert "This field is required." in page
    for name in ("end", "slots"):
        tag = re.search(rf'<input[^>]*id="{prefix}{name}"[^>]*>', page)
        assert tag is not None, name
        assert 'aria-invalid="true"' in tag.group(0), name
        assert f"{prefix}{name}_error" in tag.group(0), name  # aria-describedby
    assert 'value="16:00"' in page  # the input is kept
    assert 'value="overtime" selected' in page
    again = manager.get(f"/manager/intraday/?at={at}").content.decode()
    assert f'id="{prefix}end_error"' not in again  # shown once, then the form is empty again
