"""The ACD CSV import's smaller defects (issue 26 review): an unknown queue refuses the file
once (400 acd_unknown_queue), a decimal comma is read in percentages and seconds (an ambiguous
thousands comma is named as such), and the web import names the missing columns."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import Org, client_for
from tests.factories import queue_make
from timeclock.models import AcdInterval

pytestmark = pytest.mark.django_db
HEADER = "Interval start;Offered;Handled;Abandoned;ASA;AHT;Service level\n"


def _import(org: Org, text: str, queue: str = "Sales") -> Any:
    return client_for(org.manager_a).post(
        "/api/v1/acd/import",
        {
            "site": str(org.amsterdam.pk),
            "queue": queue,
            "interval_minutes": 30,
            "file": SimpleUploadedFile("cms.csv", text.encode(), "text/csv"),
        },
        format="multipart",
    )


def test_an_unknown_queue_refuses_the_file_once(org: Org) -> None:
    queue_make(site=org.amsterdam, name="Sales")
    text = HEADER + "2026-03-10T09:00:00+01:00;40;36;4;12;240;80\n"
    response = _import(org, text, queue="Nowhere")
    assert response.status_code == 400
    assert response.json()["code"] == "acd_unknown_queue"
    assert "Nowhere" in response.json()["message"]
    assert AcdInterval.objects.count() == 0


def test_a_decimal_comma_is_read_in_percentages_and_seconds(org: Org) -> None:
    queue_make(site=org.amsterdam, name="Sales")
    text = (
        HEADER
        + "2026-03-10T09:00:00+01:00;40;36;4;12,5;240,5;80,5%\n"
        + "2026-03-10T09:30:00+01:00;40;36;4;1,234;240;80\n"
        + "2026-03-10T10:00:00+01:00;40;36;4;12;240;lots\n"
    )
    response = _import(org, text)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results[0]["status"] == "accepted"
    row = AcdInterval.objects.get()
    assert row.wait_seconds == 450  # 12.5 s x 36
    assert row.handle_seconds == 8658  # 240.5 s x 36
    assert row.answered_within_goal == 29  # 80.5 % of 36
    assert "thousands separator" in results[1]["error"]["message"]
    assert results[2]["error"]["message"] == "service level: not a percentage: 'lots'"


def test_the_web_import_names_the_missing_columns(org: Org, login) -> None:
    queue = queue_make(site=org.amsterdam, name="Sales")
    response = login(org.manager_a).post(
        reverse("web:acd-import"),
        {
            "team": str(org.team_a.pk),
            "queue": str(queue.pk),
            "interval_minutes": 30,
            "file": SimpleUploadedFile("cms.csv", b"Interval start,Offered,Handled\n", "text/csv"),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "lacks these columns: abandoned, ASA, AHT, service level" in page
