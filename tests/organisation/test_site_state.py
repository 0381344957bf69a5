"""A site's US state (issue 25 review): a US site's state is a state's two-letter code, a
site elsewhere has none; refused with a stable code and nothing written, through the API and
the admin page (a US site with no state: tests/web/test_site_state_page.py)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from organisation.models import Site
from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db

NEW_SITE = {
    "name": "Chicago",
    "timezone": "America/Chicago",
    "country_code": "US",
    "currency": "USD",
    "minimum_hourly_wage": "15.00",
}


@pytest.mark.parametrize(
    ("country", "state", "code"),
    [
        ("US", "ZZ", "us_state_unknown"),
        ("US", "N", "us_state_unknown"),
        ("NL", "NY", "us_state_outside_us"),
    ],
)
def test_a_state_that_does_not_fit_the_country_is_refused_and_nothing_written(
    org: Org, country: str, state: str, code: str
) -> None:
    body = NEW_SITE | {"country_code": country, "us_state": state}
    answer = client_for(org.admin).post("/api/v1/sites", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["extra"]["fields"]["us_state"][0]["code"] == code
    assert not Site.objects.filter(name="Chicago").exists()


def test_a_state_change_is_checked_against_the_site_country(org: Org) -> None:
    api = client_for(org.admin)
    refused = api.patch(f"/api/v1/sites/{org.amsterdam.pk}", {"us_state": "NY"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["extra"]["fields"]["us_state"][0]["code"] == "us_state_outside_us"
    org.amsterdam.refresh_from_db()
    assert org.amsterdam.us_state == ""
    made = api.post("/api/v1/sites", NEW_SITE | {"us_state": "il"}, format="json")
    assert made.status_code == 201
    assert made.json()["us_state"] == "IL"


def test_the_admin_page_refuses_a_state_outside_the_us(org: Org) -> None:
    site_admin = admin.site._registry[Site]
    request = RequestFactory().post("/admin/")
    request.user = org.admin
    form_class = site_admin.get_form(request, org.amsterdam)
    data = {
        "name": "Amsterdam",
        "timezone": "Europe/Amsterdam",
        "country_code": "NL",
        "us_state": "NY",
        "minimum_hourly_wage": "14.00",
    }
    form = form_class(data, instance=org.amsterdam)
    assert not form.is_valid()
    assert form.errors.as_data()["us_state"][0].code == "us_state_outside_us"
