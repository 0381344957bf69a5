"""The database out of reach is a 503 with Retry-After, never a 500 (issue 23, item 14):
terminals and pages retry; nothing half-written."""

from datetime import date

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from organisation.api.errors import json_server_error
from tests.conftest import Org, client_for
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db


def test_database_out_of_reach_answers_503_with_retry_after(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(**_: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("timeclock.api.periods.period_exceptions", gone)
    period = period_create(
        site=org.amsterdam, start_date=date(2026, 6, 1), end_date=date(2026, 6, 7)
    )
    answer = client_for(org.payroll).get(f"/api/v1/pay-periods/{period.pk}/exceptions")
    assert answer.status_code == 503
    assert answer["Retry-After"] == "5"
    assert answer.json()["code"] == "unavailable"


def test_server_error_handler_answers_503_when_the_database_is_gone() -> None:
    request = RequestFactory().get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        answer = json_server_error(request)
    assert (answer.status_code, answer["Retry-After"]) == (503, "5")
    assert json_server_error(request).status_code == 500


def test_json_body_over_one_megabyte_is_a_413_before_it_is_read(org: Org) -> None:
    body = '{"site": "' + "x" * (2 * 1024 * 1024) + '"}'
    answer = client_for(org.payroll).post(
        "/api/v1/pay-periods", body, content_type="application/json"
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"
