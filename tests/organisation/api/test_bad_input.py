"""Bad input gets a clear 400 with a stable code and nothing written, never a 500 nor junk
that fails later (issue 23, items 11 and 12). Every date and instant the API takes lies in
1970-01-01 .. 2099-12-31."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from organisation.models import Employee
from scheduling.models import AvailabilityBlock, CallVolume, ForecastOverride, Roster
from tests.conftest import Org, client_for
from tests.factories import queue_make
from tests.factories.punches import fine_rules_received, past_shift, punch_make
from timeclock.models import PayPeriod, PayPolicy, PunchCorrection
from timeclock.selectors.pay import payslip_get
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db


def _refused(response: Any, field: str, code: str = "date_out_of_range") -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["extra"]["fields"][field][0]["code"] == code


def test_pay_period_and_roster_in_year_9999_are_refused(org: Org) -> None:
    payroll = client_for(org.payroll)
    far = {"site": str(org.amsterdam.pk), "start_date": "9999-12-25", "end_date": "9999-12-31"}
    _refused(payroll.post("/api/v1/pay-periods", far, format="json"), "start_date")
    assert not PayPeriod.objects.exists()
    manager = client_for(org.manager_a)
    roster = {"team": str(org.team_a.pk), "start": "9999-12-27", "days": 7}
    _refused(manager.post("/api/v1/rosters", roster, format="json"), "start")
    assert not Roster.objects.exists()


def test_roster_shifts_filter_by_a_malformed_employee_is_a_400(org: Org) -> None:
    shift = past_shift(employee=org.op_a1)
    answer = client_for(org.manager_a).get(
        f"/api/v1/rosters/{shift.roster_id}/shifts", {"employee": "abc"}
    )
    _refused(answer, "employee", "invalid")
    mine = client_for(org.manager_a).get(
        f"/api/v1/rosters/{shift.roster_id}/shifts", {"employee": str(org.op_a1.pk)}
    )
    assert [row["id"] for row in mine.json()] == [str(shift.pk)]


def test_lateness_tiers_with_a_non_number_amount_are_refused_and_payslips_keep_working(
    org: Org,
) -> None:
    payroll = client_for(org.payroll)
    site = str(org.amsterdam.pk)
    for tiers in (
        [[5, "abc"]],
        [[5, None]],
        [[5, "NaN"]],
        [[5, "Infinity"]],
        [[5, "-1"]],
        [[5, "0.001"]],
        [[True, "1.00"]],
        [[5.5, "1.00"]],
        [[-1, "1.00"]],
        [[5, "1.00", 7]],
        {"5": "1.00"},
        "5:1.00",
    ):
        answer = payroll.post(
            "/api/v1/pay-policies",
            {"site": site, "lateness_mode": "tiered", "lateness_tiers": tiers},
            format="json",
        )
        assert answer.status_code == 400, tiers
        assert answer.json()["extra"]["fields"] == ["lateness_tiers"]
    assert not PayPolicy.objects.exists()
    good = payroll.post(
        "/api/v1/pay-policies",
        {
            "site": site,
            "lateness_mode": "tiered",
            "lateness_tiers": [[5, 2], [30, "7.5"]],
            "fine_destination": "Stichting Het Vergeten Kind",  # BW 7:650 lid 3
        },
        format="json",
    )
    assert good.status_code == 201
    fine_rules_received(org.op_a1)  # BW 7:650 lid 1-2: the rules were handed over first
    assert good.json()["lateness_tiers"] == [[5, "2.00"], [30, "7.50"]]
    shift = past_shift(employee=org.op_a1)
    punch_make(employee=org.op_a1, kind="in", at=shift.start + timedelta(minutes=40))
    punch_make(employee=org.op_a1, kind="out", at=shift.end)
    period = period_create(
        site=org.amsterdam, start_date=shift.local_date, end_date=shift.local_date
    )
    lines = payslip_get(employee=org.op_a1, period=period)["lines"]
    assert [line["amount"] for line in lines if line["pay_code"] == "LATENESS_PENALTY"] == [
        Decimal("-7.50")
    ]


def test_corrections_time_off_and_forecasts_in_year_9999_are_refused(org: Org) -> None:
    manager = client_for(org.manager_a)
    correction = {
        "action": "add",
        "employee": str(org.op_a1.pk),
        "kind": "in",
        "occurred_at": "9999-12-31T09:00:00+01:00",
        "reason": "forgot",
    }
    _refused(manager.post("/api/v1/punch-corrections", correction, format="json"), "occurred_at")
    assert not PunchCorrection.objects.exists()
    operator = client_for(org.op_a1.user)
    leave = {"first_day": "9999-12-30", "last_day": "9999-12-31", "reason": "long trip"}
    _refused(operator.post("/api/v1/time-off", leave, format="json"), "first_day")
    assert not AvailabilityBlock.objects.exists()
    queue = queue_make(site=org.amsterdam)
    forecast = {"queue": str(queue.pk), "start": "9999-12-01", "days": 7, "interval_minutes": 15}
    _refused(manager.post("/api/v1/forecasts", forecast, format="json"), "start")
    override = {
        "queue": str(queue.pk),
        "start_date": "9999-12-01",
        "end_date": "9999-12-02",
        "factor": "1.1",
        "reason": "sale",
    }
    _refused(manager.post("/api/v1/forecast-overrides", override, format="json"), "start_date")
    assert not ForecastOverride.objects.exists()


def test_employment_starting_in_year_1_is_refused(org: Org) -> None:
    admin: APIClient = client_for(org.admin)
    body = {
        "username": "ancient",
        "number": "A-1",
        "team": str(org.team_a.pk),
        "employment_start": "0001-01-01",
        "hourly_rate": "16.5000",
    }
    _refused(admin.post("/api/v1/employees", body, format="json"), "employment_start")
    assert not Employee.objects.filter(number="A-1").exists()
    body["employment_start"] = "1970-01-01"
    assert admin.post("/api/v1/employees", body, format="json").status_code == 201


def test_history_file_that_is_not_utf8_is_a_400(org: Org) -> None:
    queue = queue_make(site=org.amsterdam)
    latin1 = "interval_start,calls\n2026-03-02 08:00,10 caf\xe9\n".encode("latin-1")
    answer = client_for(org.manager_a).post(
        f"/api/v1/queues/{queue.pk}/history",
        {"file": SimpleUploadedFile("h.csv", latin1)},
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_history_file"
    assert not CallVolume.objects.exists()
