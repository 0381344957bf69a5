"""People on the set-up pages: contracts, skills, home work and badge saved (a minimum above
the maximum refused beside it), a PIN reset shown once, availability by weekday and date
range; operators enter their own before the deadline; roles and scope."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from organisation.models import AuditEvent, Employee
from scheduling.models import AvailabilityBlock, Roster
from scheduling.services.availability import NOTICE_DAYS
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.history import site_today

pytestmark = pytest.mark.django_db


def _contract(**changes: Any) -> dict[str, Any]:
    return {
        "min_weekly_hours": "24",
        "max_weekly_hours": "36.5",
        "max_days_per_week": "5",
        "max_consecutive_days": "5",
        "min_rest_hours": "11",
        "badge_id": "B-123",
        "is_home_worker": "on",
    } | changes


def test_the_list_shows_contract_skills_badge_and_pin(org: Org, login) -> None:
    retail = queue_make(site=org.amsterdam, name="Retail")
    org.op_a1.queues.add(retail)
    html = login(org.manager_a).get(reverse("web:people")).content.decode()
    table = html.split('data-testid="people"')[1]
    assert org.op_a1.full_name in table
    assert "Retail" in table
    assert "0:00\u201340:00" in table
    assert org.op_b1.full_name not in table  # another manager's team


def test_a_contract_skills_home_work_and_badge_are_saved(org: Org, login) -> None:
    retail = queue_make(site=org.amsterdam, name="Retail")
    url = reverse("web:person", args=[org.op_a1.pk])
    response = login(org.manager_a).post(url, _contract(queues=[retail.pk]))
    assert response.status_code == 302
    person = Employee.objects.get(pk=org.op_a1.pk)
    assert (person.min_weekly_minutes, person.max_weekly_minutes) == (24 * 60, 36 * 60 + 30)
    assert (person.max_consecutive_days, person.min_rest_minutes) == (5, 11 * 60)
    assert person.is_home_worker
    assert person.badge_id == "B-123"
    assert list(person.queues.all()) == [retail]


def test_a_minimum_above_the_maximum_is_refused_beside_the_minimum(org: Org, login) -> None:
    url = reverse("web:person", args=[org.op_a1.pk])
    for language, text in (("en", "The minimum is above the maximum"), ("nl", "minimum")):
        response = login(org.manager_a, language=language).post(
            url, _contract(min_weekly_hours="40")
        )
        html = response.content.decode()
        error = html.split('id="id_min_weekly_hours_error">')[1].split("</p>")[0]
        assert text in error
        assert 'aria-describedby="id_min_weekly_hours_error"' in html
    assert Employee.objects.get(pk=org.op_a1.pk).min_weekly_minutes == 0


def test_a_badge_another_employee_holds_is_refused_beside_the_badge(org: Org, login) -> None:
    org.op_a2.badge_id = "B-123"
    org.op_a2.save()
    url = reverse("web:person", args=[org.op_a1.pk])
    html = login(org.manager_a).post(url, _contract()).content.decode()
    assert "Another employee has this badge." in html.split('id="id_badge_id_error">')[1]
    assert Employee.objects.get(pk=org.op_a1.pk).badge_id is None


def test_a_pin_reset_is_shown_once_and_only_its_hash_kept(org: Org, login) -> None:
    client = login(org.manager_a)
    response = client.post(reverse("web:person-pin", args=[org.op_a1.pk]))
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    pin = html.split('<p class="secret">')[1].split("</p>")[0]
    assert len(pin) == 6
    assert pin.isdigit()
    person = Employee.objects.get(pk=org.op_a1.pk)
    assert check_password(pin, person.pin_hash)
    assert pin not in client.get(reverse("web:person", args=[org.op_a1.pk])).content.decode()
    assert AuditEvent.objects.filter(action="pin_reset", object_id=str(person.pk)).exists()


def _availability(first: Any, last: Any, **changes: Any) -> dict[str, Any]:
    body = {"kind": "unavailable", "first_day": str(first), "last_day": str(last)}
    return {f"availability-{k}": v for k, v in (body | changes).items()}


def test_availability_by_weekday_and_date_range_makes_the_blocks_the_solver_reads(
    org: Org, login
) -> None:
    monday = site_today(org.team_a) + timedelta(days=7 - site_today(org.team_a).weekday())
    url = reverse("web:person-availability", args=[org.op_a1.pk])
    body = _availability(
        monday,
        monday + timedelta(days=13),
        weekdays=["2"],
        start_time="18:00",
        end_time="22:00",
        reason="evening class",
    )
    assert login(org.manager_a).post(url, body).status_code == 302
    blocks = list(AvailabilityBlock.objects.order_by("start"))
    zone = ZoneInfo("Europe/Amsterdam")
    wednesday = monday + timedelta(days=2)
    assert [b.start.astimezone(zone) for b in blocks] == [
        datetime.combine(wednesday, time(18), zone),
        datetime.combine(wednesday + timedelta(days=7), time(18), zone),
    ]
    assert {b.end - b.start for b in blocks} == {timedelta(hours=4)}
    whole = _availability(monday, monday + timedelta(days=2), kind="prefer_off")
    login(org.manager_a).post(url, whole)
    off = AvailabilityBlock.objects.get(kind="prefer_off")
    assert off.start.astimezone(zone) == datetime.combine(monday, time(0), zone)
    assert off.end.astimezone(zone) == datetime.combine(monday + timedelta(days=3), time(0), zone)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_day": "2026-01-01"}, "last_day"),
        ({"start_time": "18:00"}, "end_time"),
        ({"start_time": "18:00", "end_time": "18:00"}, "end_time"),
        ({"weekdays": ["5"], "last_day": "FIRST+1"}, "weekdays"),
    ],
)
def test_bad_availability_is_refused_beside_its_field(
    org: Org, login, changes: dict[str, Any], field: str
) -> None:
    monday = site_today(org.team_a) + timedelta(days=7 - site_today(org.team_a).weekday())
    if changes.get("last_day") == "FIRST+1":
        changes["last_day"] = str(monday + timedelta(days=1))
    body = _availability(monday, monday + timedelta(days=6), **changes)
    response = login(org.manager_a).post(
        reverse("web:person-availability", args=[org.op_a1.pk]), body
    )
    assert f'id="id_availability-{field}_error"' in response.content.decode()
    assert not AvailabilityBlock.objects.exists()


def test_managers_remove_availability_of_their_people_only(org: Org, login) -> None:
    monday = site_today(org.team_a) + timedelta(days=7 - site_today(org.team_a).weekday())
    login(org.manager_a).post(
        reverse("web:person-availability", args=[org.op_a1.pk]), _availability(monday, monday)
    )
    block = AvailabilityBlock.objects.get()
    delete = reverse("web:availability-delete", args=[block.pk])
    assert login(org.manager_b).post(delete).status_code == 404
    assert login(org.manager_a).post(delete).status_code == 302
    assert not AvailabilityBlock.objects.exists()


def _own(first: Any, last: Any, **changes: Any) -> dict[str, Any]:
    return {"kind": "prefer_off", "first_day": str(first), "last_day": str(last)} | changes


def test_operators_enter_their_own_availability_from_the_deadline_on(org: Org, login) -> None:
    client = login(org.op_a1.user)
    deadline = site_today(org.team_a) + timedelta(days=NOTICE_DAYS)
    page = client.get(reverse("web:my-availability")).content.decode()
    assert f'name="first_day" value="{deadline}"' in page
    too_soon = client.post(
        reverse("web:my-availability"), _own(deadline - timedelta(days=1), deadline)
    )
    html = too_soon.content.decode()
    assert "the deadline passed" in html.split('id="id_first_day_error">')[1]
    assert not AvailabilityBlock.objects.exists()
    ok = client.post(reverse("web:my-availability"), _own(deadline, deadline + timedelta(days=1)))
    assert ok.status_code == 302
    block = AvailabilityBlock.objects.get()
    assert (block.kind, block.employee_id, block.created_by_id) == (
        "prefer_off",
        org.op_a1.pk,
        org.op_a1.user.pk,
    )
    assert client.post(reverse("web:my-availability-delete", args=[block.pk])).status_code == 302
    assert not AvailabilityBlock.objects.exists()


def test_operators_cannot_change_days_a_roster_covers_or_enter_time_off(org: Org, login) -> None:
    client = login(org.op_a1.user)
    deadline = site_today(org.team_a) + timedelta(days=NOTICE_DAYS)
    Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key=f"team:{org.team_a.pk}",
        start_date=deadline + timedelta(days=3),
        days=7,
        version=1,
    )
    built = client.post(
        reverse("web:my-availability"), _own(deadline, deadline + timedelta(days=4))
    )
    assert "A roster already covers some of these days" in built.content.decode()
    time_off = client.post(
        reverse("web:my-availability"), _own(deadline, deadline, kind="time_off")
    )
    assert 'id="id_kind_error"' in time_off.content.decode()
    assert not AvailabilityBlock.objects.exists()


def test_operators_cannot_remove_someone_elses_availability(org: Org, login) -> None:
    deadline = site_today(org.team_a) + timedelta(days=NOTICE_DAYS)
    login(org.op_a2.user).post(reverse("web:my-availability"), _own(deadline, deadline))
    block = AvailabilityBlock.objects.get()
    response = login(org.op_a1.user).post(reverse("web:my-availability-delete", args=[block.pk]))
    assert response.status_code == 404
    assert AvailabilityBlock.objects.exists()


def test_roles_and_scope_of_the_people_pages(org: Org, login) -> None:
    urls = [reverse("web:people"), reverse("web:person", args=[org.op_a1.pk])]
    for user in (org.op_a1.user, org.payroll):
        for url in urls:
            assert login(user).get(url).status_code == 403
        assert login(user).post(reverse("web:person-pin", args=[org.op_a1.pk])).status_code == 403
    other = login(org.manager_b)
    assert other.get(urls[1]).status_code == 404
    assert other.post(reverse("web:person-pin", args=[org.op_a1.pk])).status_code == 404
    assert not Employee.objects.get(pk=org.op_a1.pk).has_pin
    assert login(org.payroll).get(reverse("web:my-availability")).status_code == 403
    admin = login(org.admin)
    assert org.op_b1.full_name in admin.get(urls[0]).content.decode()
    assert admin.get(reverse("web:person", args=[org.op_b1.pk])).status_code == 200
