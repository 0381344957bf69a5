"""Devices on the set-up page: registered (the token shown once, working at once), listed with
last seen, clock skew and punches today, rotated and revoked; the same name twice refused
beside the name; managers of the site and admins only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Org
from timeclock.models import Device, SecurityEvent
from timeclock.services.devices import device_register
from timeclock.tokens import token_digest

pytestmark = pytest.mark.django_db


def _register(client: Client, org: Org, name: str = "Entrance") -> str:
    response = client.post(
        reverse("web:devices"), {"site": org.amsterdam.pk, "name": name, "is_kiosk": "on"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    return html.split('data-testid="device-token">')[1].split("</dd>")[0]


def test_a_registered_device_gets_its_token_once_and_it_works(org: Org, login) -> None:
    client = login(org.manager_a)
    token = _register(client, org)
    device = Device.objects.get(name="Entrance")
    assert device.token_sha256 == token_digest(token)
    assert device.is_kiosk
    config = Client().get("/api/v1/device/config", headers={"authorization": f"Device {token}"})
    assert config.status_code == 200
    assert token not in client.get(reverse("web:devices")).content.decode()


def test_a_device_registered_twice_is_refused_beside_the_name(org: Org, login) -> None:
    client = login(org.manager_a)
    _register(client, org)
    for language, text in (("en", "already registered"), ("nl", "met deze naam geregistreerd")):
        again = login(org.manager_a, language=language).post(
            reverse("web:devices"), {"site": org.amsterdam.pk, "name": "Entrance"}
        )
        html = again.content.decode()
        assert text in html.split('id="id_name_error">')[1].split("</p>")[0]
        assert 'aria-describedby="id_name_helptext id_name_error"' in html
        assert 'data-testid="device-token"' not in html
    assert Device.objects.count() == 1


def test_the_list_shows_last_seen_skew_and_punches_today(org: Org, login) -> None:
    device, _token = device_register(
        site=org.amsterdam, name="Hall", is_kiosk=False, created_by=None
    )
    Device.objects.filter(pk=device.pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=5), last_skew_seconds=-42
    )
    html = login(org.manager_a).get(reverse("web:devices")).content.decode()
    row = html.split('data-testid="devices"')[1].split("</table>")[0]
    assert "Hall" in row
    assert "-42 s" in row
    assert ">0</td>" in row  # no punches today


def test_rotate_replaces_the_token_and_revoke_cuts_the_device_off(org: Org, login) -> None:
    client = login(org.manager_a)
    old = _register(client, org)
    device = Device.objects.get()
    rotated = client.post(reverse("web:device-rotate", args=[device.pk]))
    new = rotated.content.decode().split('data-testid="device-token">')[1].split("</dd>")[0]
    assert new != old
    auth = Client()
    assert (
        auth.get("/api/v1/device/config", headers={"authorization": f"Device {old}"}).status_code
        == 401
    )
    assert (
        auth.get("/api/v1/device/config", headers={"authorization": f"Device {new}"}).status_code
        == 200
    )
    client.post(reverse("web:device-revoke", args=[device.pk]))
    assert (
        auth.get("/api/v1/device/config", headers={"authorization": f"Device {new}"}).status_code
        == 401
    )
    kinds = set(SecurityEvent.objects.filter(device=device).values_list("kind", flat=True))
    assert {"device_registered", "device_rotated", "device_revoked"} <= kinds
    again = client.post(reverse("web:device-rotate", args=[device.pk]), follow=True)
    assert "The device is revoked" in again.content.decode()


def test_roles_and_scope_of_the_device_pages(org: Org, login) -> None:
    device, _token = device_register(
        site=org.amsterdam, name="Hall", is_kiosk=False, created_by=None
    )
    for user in (org.op_a1.user, org.payroll):
        assert login(user).get(reverse("web:devices")).status_code == 403
        assert login(user).post(reverse("web:device-revoke", args=[device.pk])).status_code == 403
    other = login(org.manager_b)
    assert "Hall" not in other.get(reverse("web:devices")).content.decode()
    assert other.post(reverse("web:device-revoke", args=[device.pk])).status_code == 404
    assert other.post(reverse("web:device-rotate", args=[device.pk])).status_code == 404
    refused = other.post(reverse("web:devices"), {"site": org.amsterdam.pk, "name": "Sneaky"})
    assert 'id="id_site_error"' in refused.content.decode()
    device.refresh_from_db()
    assert device.revoked_at is None
    assert Device.objects.count() == 1
    assert "Hall" in login(org.admin).get(reverse("web:devices")).content.decode()
