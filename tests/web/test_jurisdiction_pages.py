"""The jurisdiction pack on the pages (issue 25): the policy page names the site's pack and
puts a refusal beside the field with the article; the fine rules received page records one."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import Org, client_for
from tests.factories import site_make
from tests.factories.punches import local_today
from tests.timeclock.test_jurisdiction_policies import new_york  # noqa: F401 (a fixture)
from timeclock.models import PayPolicy

pytestmark = pytest.mark.django_db


def test_the_policy_page_shows_the_pack_and_the_refusal_beside_the_field(
    new_york: Org,  # noqa: F811
    login: object,
) -> None:
    url = reverse("web:policy-edit") + f"?site={new_york.new_york.pk}"
    page = login(new_york.payroll).get(url).content.decode()
    assert "New York State: Labor Law s. 193" in page
    body = {
        "effective_from": str(local_today(new_york.op_b1) + timedelta(days=1)),
        "pay_frequency": "weekly",
        "rounding_minutes": "0",
        "weekly_overtime_hours": "40",
        "overtime_multiplier": "1.5",
        "night_start": "22:00",
        "night_end": "06:00",
        "night_premium": "0",
        "weekend_premium": "0",
        "holiday_premium": "0",
        "grace_minutes": "5",
        "fines_enabled": "on",
        "lateness_mode": "per_minute",
        "lateness_amount": "0.25",
        "absence_mode": "none",
        "absence_amount": "0",
    }
    refused = login(new_york.payroll).post(url, body).content.decode()
    error = refused.split('id="id_lateness_mode_error"')[1].split("</p>")[0]
    assert "NY Labor Law s. 193; 12 NYCRR 195-4.5(e)" in error
    assert not PayPolicy.objects.exists()
    paris = site_make(name="Paris", country_code="FR", timezone="Europe/Paris")
    page = login(new_york.payroll).get(reverse("web:policy-edit") + f"?site={paris.pk}")
    assert "No rule pack for the country FR: fines are off at this site." in page.content.decode()


def test_the_api_and_the_page_record_the_rules_received(org: Org, login) -> None:
    api = client_for(org.manager_a)
    url = f"/api/v1/employees/{org.op_a1.pk}/fine-acknowledgements"
    created = api.post(url, {"received_on": "2026-01-05", "document": "Staff rules 2026"}, "json")
    assert created.status_code == 201
    assert api.get(url).json()["results"][0]["document"] == "Staff rules 2026"
    assert client_for(org.manager_b).get(url).status_code == 404
    page = login(org.manager_a)
    response = page.post(
        reverse("web:fine-rules"),
        {"employee": str(org.op_a2.pk), "received_on": "2026-02-02", "document": "Contract"},
    )
    assert response.status_code == 302
    listing = page.get(reverse("web:fine-rules")).content.decode()
    assert "Staff rules 2026" in listing
    assert "Contract" in listing


def test_the_contact_centre_preset_asks_for_every_figure_and_saves_them(org: Org, login) -> None:
    url = reverse("web:policy-edit") + f"?site={org.amsterdam.pk}"
    page = login(org.payroll).get(url).content.decode()
    assert "preset=cao-contactcenters" in page
    preset = url + "&preset=cao-contactcenters"
    shown = login(org.payroll).get(preset).content.decode()
    assert "Cao Facilitaire Contactcenters" in shown
    assert "could not retrieve this agreement's windows and percentages" in shown
    body = {
        "effective_from": str(local_today(org.op_a1) + timedelta(days=1)),
        "pay_frequency": "weekly",
        "rounding_minutes": "0",
        "weekly_overtime_hours": "40",
        "overtime_multiplier": "1.5",
        "night_start": "22:00",
        "night_end": "06:00",
        "night_premium": "40",
        "weekend_premium": "0",
        "holiday_premium": "100",
        "grace_minutes": "5",
        "lateness_mode": "none",
        "lateness_amount": "0",
        "absence_mode": "none",
        "absence_amount": "0",
    }
    refused = login(org.payroll).post(preset, body).content.decode()
    for name in ("evening_start", "evening_premium", "saturday_premium", "sunday_premium"):
        assert f'id="id_{name}_error"' in refused
    assert not PayPolicy.objects.exists()
    # Test figures typed by the officer (not the agreement's: the product has none).
    body |= {
        "evening_start": "20:00",
        "evening_end": "22:00",
        "evening_premium": "20",
        "saturday_premium": "30",
        "sunday_premium": "50",
    }
    assert login(org.payroll).post(preset, body).status_code == 302
    saved = PayPolicy.objects.get()
    assert (saved.evening_premium, saved.saturday_premium, saved.sunday_premium) == (
        Decimal("0.2000"),
        Decimal("0.3000"),
        Decimal("0.5000"),
    )
