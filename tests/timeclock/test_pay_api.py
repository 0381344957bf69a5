"""Pay through the API: payroll closes and exports, everyone sees only what is theirs."""

from datetime import timedelta

import pytest

from organisation.models import Job
from tests.conftest import Org, client_for
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from timeclock.models import PayPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def period(org: Org) -> PayPeriod:
    roster = _roster(org)
    for day in range(3):
        shift = _shift(roster, org.op_a1, day)
        _punch(org.op_a1, "in", shift.start + timedelta(minutes=20 if day == 1 else 0))
        _punch(org.op_a1, "out", shift.end)
    body = {
        "site": str(org.amsterdam.pk),
        "start_date": str(FIRST),
        "end_date": str(FIRST + timedelta(days=6)),
    }
    response = client_for(org.payroll).post("/api/v1/pay-periods", body, format="json")
    assert response.status_code == 201
    return PayPeriod.objects.get(pk=response.json()["id"])


def test_payroll_closes_and_exports_and_others_may_not(org: Org, period: PayPeriod) -> None:
    payroll = client_for(org.payroll)
    manager = client_for(org.manager_a)
    operator = client_for(org.op_a1.user)
    exceptions = manager.get(f"/api/v1/pay-periods/{period.pk}/exceptions").json()
    assert [e["exceptions"] for e in exceptions] == [["late"]]
    assert manager.post(f"/api/v1/pay-periods/{period.pk}/close").status_code == 403
    assert operator.post(f"/api/v1/pay-periods/{period.pk}/close").status_code == 403
    early = payroll.post(
        f"/api/v1/pay-periods/{period.pk}/export", {"format": "csv"}, format="json"
    )
    assert early.status_code == 409
    assert early.json()["code"] == "period_not_closed"
    assert payroll.post(f"/api/v1/pay-periods/{period.pk}/close").json()["status"] == "closed"
    started = payroll.post(
        f"/api/v1/pay-periods/{period.pk}/export", {"format": "csv"}, format="json"
    )
    assert started.status_code == 202
    assert Job.objects.get(pk=started.json()["id"]).status == "succeeded"
    download = payroll.get(f"/api/v1/pay-periods/{period.pk}/export", {"kind": "csv"})
    assert download.status_code == 200
    assert download.content.startswith(b"employee_number,")
    assert (
        manager.get(f"/api/v1/pay-periods/{period.pk}/export", {"kind": "csv"}).status_code == 403
    )
    overlapping = {"site": str(org.amsterdam.pk), "start_date": str(FIRST), "end_date": str(FIRST)}
    assert (
        payroll.post("/api/v1/pay-periods", overlapping, format="json").json()["code"]
        == "pay_period_overlaps"
    )
    following = payroll.post("/api/v1/pay-periods", {"site": str(org.amsterdam.pk)}, format="json")
    assert following.status_code == 201
    assert following.json()["start_date"] == str(FIRST + timedelta(days=7))
    assert following.json()["end_date"] == str(FIRST + timedelta(days=13))


def test_operators_read_their_own_timesheet_payslip_and_points_only(
    org: Org, period: PayPeriod
) -> None:
    mine = client_for(org.op_a1.user)
    span = {"start": str(FIRST), "end": str(FIRST + timedelta(days=6))}
    rows = mine.get("/api/v1/me/timesheet", span).json()
    assert [r["late_minutes"] for r in rows] == [0, 20, 0]
    slip = mine.get(f"/api/v1/me/payslips/{period.pk}").json()
    assert slip["status"] == "open"
    assert {line["pay_code"] for line in slip["lines"]} == {"REGULAR"}
    assert all(line["rule"] for line in slip["lines"])
    points = mine.get("/api/v1/me/points").json()
    assert points["level"] == "none"
    other = client_for(org.op_a2.user)
    assert other.get(f"/api/v1/employees/{org.op_a1.pk}/payslips/{period.pk}").status_code == 404
    assert other.get(f"/api/v1/employees/{org.op_a1.pk}/timesheet", span).status_code == 404
    assert (
        client_for(org.manager_b).get(f"/api/v1/employees/{org.op_a1.pk}/points").status_code == 404
    )
    managed = client_for(org.manager_a).get(
        f"/api/v1/employees/{org.op_a1.pk}/payslips/{period.pk}"
    )
    assert managed.status_code == 200
    assert "hourly_rate" not in str(slip)


def test_payroll_sets_pay_policies_and_bad_values_are_refused(org: Org) -> None:
    payroll = client_for(org.payroll)
    body = {
        "site": str(org.new_york.pk),
        "rounding_minutes": 15,
        "lateness_mode": "tiered",
        "lateness_tiers": [[6, "5.00"], [30, "15.00"]],
        "pay_frequency": "biweekly",
    }
    created = payroll.post("/api/v1/pay-policies", body, format="json")
    assert created.status_code == 201, created.json()
    negative = payroll.post(
        "/api/v1/pay-policies",
        {"site": str(org.amsterdam.pk), "lateness_amount": "-1.00"},
        format="json",
    )
    assert negative.status_code == 400
    empty_night = payroll.post(
        "/api/v1/pay-policies",
        {"site": str(org.amsterdam.pk), "night_start": "22:00", "night_end": "22:00"},
        format="json",
    )
    assert empty_night.status_code == 400
    bad_tiers = payroll.post(
        "/api/v1/pay-policies",
        {"site": str(org.amsterdam.pk), "lateness_tiers": [["x"]]},
        format="json",
    )
    assert bad_tiers.status_code == 400
    assert (
        client_for(org.manager_a).post("/api/v1/pay-policies", body, format="json").status_code
        == 403
    )
    policy = created.json()["id"]
    assert (
        client_for(org.manager_b)
        .patch(f"/api/v1/pay-policies/{policy}", {"fines_enabled": False}, format="json")
        .status_code
        == 403
    )
    changed = payroll.patch(
        f"/api/v1/pay-policies/{policy}", {"fines_enabled": False}, format="json"
    )
    assert changed.json()["fines_enabled"] is False


def test_training_pay_is_set_through_the_api_within_bounds(org: Org) -> None:
    """The policy's training multiplier and mentoring premium could be set nowhere (issue 24
    review): they are versioned fields of the API, refused on the field out of bounds."""
    payroll = client_for(org.payroll)
    body = {
        "site": str(org.amsterdam.pk),
        "training_rate_multiplier": "1.25",
        "mentoring_premium_per_hour": "1.50",
    }
    created = payroll.post("/api/v1/pay-policies", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["training_rate_multiplier"] == "1.2500"
    assert created.json()["mentoring_premium_per_hour"] == "1.5000"
    policy = created.json()["id"]
    for field, value in (
        ("mentoring_premium_per_hour", "-1"),
        ("mentoring_premium_per_hour", "5000"),
        ("training_rate_multiplier", "0"),
        ("training_rate_multiplier", "9.5"),
    ):
        refused = payroll.patch(f"/api/v1/pay-policies/{policy}", {field: value}, format="json")
        assert refused.status_code == 400, (field, value)
        assert refused.json()["code"] == "invalid_input"
        assert field in refused.json()["extra"]["fields"], refused.json()
    stored = payroll.get(f"/api/v1/pay-policies/{policy}").json()
    assert (stored["training_rate_multiplier"], stored["mentoring_premium_per_hour"]) == (
        "1.2500",
        "1.5000",
    )
