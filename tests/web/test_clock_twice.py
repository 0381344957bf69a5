"""Clocking in twice in a row (browser walk-through: /me/clock/?kind=in confirmed twice gave
'Clocked in.' twice and two in punches 1.4 s apart). The confirm page says the operator is
already clocked in, and since when, and records a second in only when they tick that they mean
it; the same form sent twice (double click, back button) records one punch, by its event id."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import Employee
from tests.conftest import Org
from timeclock.models import Punch
from timeclock.services.punches import punch_remote

pytestmark = pytest.mark.django_db
SAID = {
    "en": {
        "since": "You are already clocked in, since",
        "tick": "You are already clocked in: tick the box to clock in again.",
        "again": "This punch was already recorded, at",
        "done": "Clocked in.",
    },
    "nl": {
        "since": "Je bent al ingeklokt, sinds",
        "tick": "Je bent al ingeklokt: vink het vakje aan om opnieuw in te klokken.",
        "again": "Deze klokking is al vastgelegd, om",
        "done": "Ingeklokt.",
    },
}


def _home(person: Employee) -> Employee:
    person.is_home_worker = True
    person.save(update_fields=["is_home_worker"])
    return person


def _form(client: Any, kind: str) -> dict[str, str]:
    page = client.get(reverse("web:clock") + f"?kind={kind}").content.decode()
    event = page.split('name="event_id" value="', 1)[1].split('"', 1)[0]
    return {"kind": kind, "event_id": event}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_second_clock_in_in_a_row_is_asked_about(org: Org, login: Any, language: str) -> None:
    me = _home(org.op_a1)
    earlier = timezone.now() - timedelta(hours=3)
    punch_remote(employee=me, kind="in", ip_address=None, user_agent="", now=earlier)
    client = login(me.user, language=language)
    said = SAID[language]
    confirm = client.get(reverse("web:clock") + "?kind=in").content.decode()
    assert said["since"] in confirm
    assert 'name="again"' in confirm
    refused = client.post(reverse("web:clock"), _form(client, "in"))
    assert refused.status_code == 422
    assert said["tick"] in refused.content.decode()
    assert Punch.objects.filter(employee=me).count() == 1
    meant = client.post(reverse("web:clock"), {**_form(client, "in"), "again": "on"}, follow=True)
    assert said["done"] in meant.content.decode()
    assert Punch.objects.filter(employee=me, kind="in").count() == 2
    # After an out, an in needs no tick; no warning on the page either.
    punch_remote(employee=me, kind="out", ip_address=None, user_agent="")
    assert 'name="again"' not in client.get(reverse("web:clock") + "?kind=in").content.decode()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_same_form_sent_twice_records_one_punch(org: Org, login: Any, language: str) -> None:
    me = _home(org.op_a1)
    client = login(me.user, language=language)
    form = _form(client, "in")
    first = client.post(reverse("web:clock"), form, follow=True).content.decode()
    assert SAID[language]["done"] in first
    second = client.post(reverse("web:clock"), form, follow=True).content.decode()
    assert SAID[language]["again"] in second
    assert SAID[language]["done"] not in second
    assert Punch.objects.filter(employee=me).count() == 1
    # Even ticked: the event id is the punch's, stored once.
    client.post(reverse("web:clock"), {**form, "again": "on"})
    assert Punch.objects.filter(employee=me).count() == 1
    assert Punch.objects.get(employee=me).event_id == uuid.UUID(form["event_id"])
