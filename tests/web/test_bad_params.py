"""Malformed ids, far dates, broken cells and wrong shapes in the newer pages and feeds answer
with a refusal or the page's default, never a 500 (each was a 500 in review)."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import Org, client_for
from tests.factories import queue_make
from tests.timeclock.test_acd_feed import _feed

pytestmark = pytest.mark.django_db


def test_adherence_pages_take_a_bad_team_and_a_far_date(org: Org, login: Any) -> None:
    client = login(org.manager_a)
    for query in ({"last": "0001-01-01"}, {"first": "9999-12-31"}, {"team": "abc"}):
        assert client.get(reverse("web:adherence"), query).status_code == 200, query
    for name in ("web:adherence-threshold", "web:acd-import"):
        answer = client.post(reverse(name), {"team": "abc", "minutes": "5"})
        assert answer.status_code in (200, 302), name


def test_an_offer_for_a_malformed_queue_is_not_found(org: Org, login: Any) -> None:
    answer = login(org.manager_a).post(reverse("web:intraday-offer"), {"queue": "abc"})
    assert answer.status_code == 404


def test_agent_states_that_are_not_a_list_are_refused(org: Org) -> None:
    for body in ({"states": 7}, {"states": "x"}, [1, 2]):
        answer = _feed(org).post("/api/v1/acd/agent-states", body, format="json")
        assert answer.status_code == 400, body


@pytest.mark.parametrize("cell", ["NaN", "1e30", "-Infinity", "sNaN"])
def test_an_acd_csv_cell_that_is_no_number_of_seconds_refuses_its_line(org: Org, cell: str) -> None:
    queue_make(site=org.amsterdam, name="Sales")
    csv = (
        "Interval Start,Offered,ACD Calls,Aband Calls,Avg Speed Ans,Avg Handle Time,"
        "% In Serv Levl\n"
        f"2026-03-10T09:00:00+01:00,40,36,4,12,{cell},83.3\n"
        f"2026-03-10T09:30:00+01:00,40,36,4,12,240,{cell}\n"
    )
    answer = client_for(org.manager_a).post(
        "/api/v1/acd/import",
        {
            "site": str(org.amsterdam.pk),
            "queue": "Sales",
            "interval_minutes": 30,
            "file": SimpleUploadedFile("cms.csv", csv.encode(), "text/csv"),
        },
        format="multipart",
    )
    assert answer.status_code == 200, answer.content
    assert [r["error"]["code"] for r in answer.json()["results"]] == ["invalid", "invalid"]


def test_an_acd_file_over_the_cap_is_refused_unread(org: Org) -> None:
    from timeclock.models import AcdInterval
    from timeclock.services.acd_csv import MAX_BYTES

    queue_make(site=org.amsterdam, name="Sales")
    line = b"2026-03-10T09:00:00+01:00,40,36,4,12,240,83.3\n"
    big = b"Interval Start,Offered,ACD Calls,Aband Calls,Avg Speed Ans,Avg Handle Time,SL\n"
    big += line * (MAX_BYTES // len(line) + 1)
    answer = client_for(org.manager_a).post(
        "/api/v1/acd/import",
        {
            "site": str(org.amsterdam.pk),
            "queue": "Sales",
            "interval_minutes": 30,
            "file": SimpleUploadedFile("cms.csv", big, "text/csv"),
        },
        format="multipart",
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "acd_file_too_large"
    assert not AcdInterval.objects.exists()
