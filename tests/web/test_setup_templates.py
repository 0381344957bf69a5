"""Shift templates on the set-up pages: listed per site, created, edited and retired; every
bad value beside its field (a break outside the shift first of all), nothing saved; roles and
scope."""

from datetime import time
from typing import Any

import pytest
from django.urls import reverse

from scheduling.models import ShiftTemplate
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.rosters import template_make

pytestmark = pytest.mark.django_db


def _body(org: Org, **changes: Any) -> dict[str, Any]:
    body = {
        "site": org.amsterdam.pk,
        "name": "Early",
        "activity": "phone",
        "queue": "",
        "earliest_start": "07:00",
        "latest_start": "09:00",
        "start_step_minutes": "30",
        "lengths": "8:00, 6:00",
        "weekdays": ["0", "1", "2", "3", "4"],
        "break1_length": "0:30",
        "break1_earliest": "3:00",
        "break1_latest": "5:00",
        "break1_paid": "",
    }
    return body | changes


def test_a_template_is_created_with_its_window_lengths_weekdays_and_breaks(org: Org, login) -> None:
    response = login(org.manager_a).post(reverse("web:template-new"), _body(org))
    assert response.status_code == 302
    template = ShiftTemplate.objects.get(name="Early")
    assert (template.earliest_start, template.latest_start) == (time(7), time(9))
    assert template.lengths_minutes == [360, 480]
    assert template.weekdays == [0, 1, 2, 3, 4]
    assert template.breaks == [
        {
            "length_minutes": 30,
            "earliest_offset_minutes": 180,
            "latest_offset_minutes": 300,
            "paid": False,
        }
    ]
    listing = login(org.manager_a).get(reverse("web:templates")).content.decode()
    assert "07:00 to 09:00, every 30 min" in listing
    assert "6:00, 8:00" in listing
    assert "Mon\u2013Fri" in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"break1_latest": "5:50"}, "break1_latest", "The break falls outside the shift"),
        ({"break1_latest": "2:00"}, "break1_latest", "The window ends before it starts."),
        ({"latest_start": "06:00"}, "latest_start", "The latest start comes before"),
        ({"lengths": "eight"}, "lengths", "Write each length as hours:minutes"),
        ({"lengths": "20:00"}, "lengths", "Each length is from 0:15 to 16:00"),
        ({"weekdays": []}, "weekdays", "This field is required."),
        ({"start_step_minutes": "2"}, "start_step_minutes", "greater than or equal to 5"),
        ({"break1_earliest": ""}, "break1_earliest", "Say from when the break may start."),
    ],
)
def test_bad_values_are_refused_beside_their_field(
    org: Org, login, changes: dict[str, Any], field: str, message: str
) -> None:
    html = login(org.manager_a).post(reverse("web:template-new"), _body(org, **changes))
    page = html.content.decode()
    assert html.status_code == 200
    error = page.split(f'id="id_{field}_error">')[1].split("</p>")[0]
    assert message in error
    assert not ShiftTemplate.objects.exists()


def test_a_break_outside_the_shift_reads_in_dutch(org: Org, login) -> None:
    response = login(org.manager_a, language="nl").post(
        reverse("web:template-new"), _body(org, break1_latest="7:45")
    )
    html = response.content.decode()
    assert "De pauze valt buiten de dienst" in html
    assert 'aria-describedby="id_break1_latest_error"' in html


def test_a_queue_of_another_site_is_refused_beside_the_queue(org: Org, login) -> None:
    other = queue_make(site=org.new_york, name="Claims")
    response = login(org.admin).post(reverse("web:template-new"), _body(org, queue=other.pk))
    assert 'id="id_queue_error"' in response.content.decode()
    assert not ShiftTemplate.objects.exists()


def test_a_template_is_edited_then_retired_and_used_again(org: Org, login) -> None:
    template = template_make(site=org.amsterdam, name="Day")
    client = login(org.manager_a)
    url = reverse("web:template", args=[template.pk])
    form = client.get(url).content.decode()
    assert 'value="8:00"' in form  # the stored length, as the form writes it
    edited = client.post(url, _body(org, name="Day", lengths="9:00", site=""))
    assert edited.status_code == 302
    template.refresh_from_db()
    assert template.lengths_minutes == [540]
    assert template.site_id == org.amsterdam.pk  # a template stays at its site
    client.post(reverse("web:template-retire", args=[template.pk]))
    template.refresh_from_db()
    assert not template.is_active
    assert "Retired" in client.get(reverse("web:templates")).content.decode()
    client.post(reverse("web:template-retire", args=[template.pk]))
    template.refresh_from_db()
    assert template.is_active


def test_dates_and_times_stay_iso_in_dutch(org: Org, login) -> None:
    template = template_make(site=org.amsterdam, name="Day")
    html = login(org.manager_a, language="nl").get(reverse("web:template", args=[template.pk]))
    page = html.content.decode()
    assert 'type="time" name="earliest_start" value="08:00"' in page
    assert "maandag" in page  # the weekdays in Dutch


def test_roles_and_scope_of_the_template_pages(org: Org, login) -> None:
    template = template_make(site=org.amsterdam, name="Day")
    urls = [
        reverse("web:templates"),
        reverse("web:template-new"),
        reverse("web:template", args=[template.pk]),
    ]
    for user in (org.op_a1.user, org.payroll):
        for url in urls:
            assert login(user).get(url).status_code == 403
        retire = login(user).post(reverse("web:template-retire", args=[template.pk]))
        assert retire.status_code == 403
    other = login(org.manager_b)
    assert "Day" not in other.get(urls[0]).content.decode()
    assert other.get(urls[2]).status_code == 404
    assert other.post(reverse("web:template-retire", args=[template.pk])).status_code == 404
    template.refresh_from_db()
    assert template.is_active
    admin = login(org.admin)
    assert admin.get(urls[2]).status_code == 200
    assert f'value="{org.new_york.pk}"' in admin.get(urls[1]).content.decode()


def test_the_activities_read_in_dutch(org: Org, login) -> None:
    html = login(org.manager_a, language="nl").get(reverse("web:template-new")).content.decode()
    assert '<option value="phone">Telefoon</option>' in html
