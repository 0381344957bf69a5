"""Employee API: who sees whom, who may change what, and what bad input gets."""

from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password

from organisation.models import Employee
from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/employees"


def detail(employee: Employee) -> str:
    return f"{URL}/{employee.pk}"


def new_employee_body(org: Org, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "username": "new.operator",
        "first_name": "New",
        "last_name": "Operator",
        "number": "E9001",
        "team": str(org.team_a.pk),
        "queues": [],
        "employment_start": "2026-12-01",
        "hourly_rate": "17.2500",
        "max_weekly_minutes": 2400,
        "min_weekly_minutes": 1200,
        "max_days_per_week": 5,
    }
    return body | overrides


def test_operator_reading_another_employee_gets_404(org: Org) -> None:
    response = client_for(org.op_a1.user).get(detail(org.op_a2))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "extra": {}}


def test_operator_reads_own_record_without_pin_hash(org: Org) -> None:
    response = client_for(org.op_a1.user).get(detail(org.op_a1))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == org.op_a1.number
    assert "pin_hash" not in body
    assert body["has_pin"] is False


def test_operator_list_contains_only_themselves(org: Org) -> None:
    response = client_for(org.op_a1.user).get(URL)
    assert [row["id"] for row in response.json()["results"]] == [str(org.op_a1.pk)]


def test_manager_lists_exactly_their_team(org: Org) -> None:
    response = client_for(org.manager_a).get(URL)
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {str(org.op_a1.pk), str(org.op_a2.pk)}
    assert response.json()["count"] == 2


def test_manager_of_another_team_gets_404(org: Org) -> None:
    assert client_for(org.manager_b).get(detail(org.op_a1)).status_code == 404
    response = client_for(org.manager_b).patch(detail(org.op_a1), {"hourly_rate": "30"})
    assert response.status_code == 404


def test_payroll_and_admin_see_everyone(org: Org) -> None:
    for user in (org.payroll, org.admin):
        assert client_for(user).get(URL).json()["count"] == 3


def test_payroll_cannot_edit_employees(org: Org) -> None:
    response = client_for(org.payroll).patch(detail(org.op_a1), {"hourly_rate": "30"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hourly_rate", "99.0000"),
        ("team", "00000000-0000-0000-0000-000000000000"),
        ("is_staff", True),
        ("number", "X1"),
        ("max_weekly_minutes", 6000),
    ],
)
def test_operator_cannot_mass_assign_protected_fields(org: Org, field: str, value: object) -> None:
    before = Employee.objects.values().get(pk=org.op_a1.pk)
    response = client_for(org.op_a1.user).patch(detail(org.op_a1), {field: value}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["extra"]["fields"][field][0]["code"] == "unknown_field"
    assert Employee.objects.values().get(pk=org.op_a1.pk) == before


def test_operator_sets_own_email_and_pin_stored_hashed(org: Org) -> None:
    response = client_for(org.op_a1.user).patch(
        detail(org.op_a1), {"email": "me@example.com", "pin": "4821"}, format="json"
    )
    assert response.status_code == 200, response.json()
    org.op_a1.refresh_from_db()
    org.op_a1.user.refresh_from_db()
    assert org.op_a1.user.email == "me@example.com"
    assert org.op_a1.pin_hash != "4821"
    assert check_password("4821", org.op_a1.pin_hash)
    assert response.json()["has_pin"] is True


def test_operator_pin_must_be_digits(org: Org) -> None:
    response = client_for(org.op_a1.user).patch(detail(org.op_a1), {"pin": "abcd"}, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["pin"][0]["code"] == "invalid_pin"


def test_operator_cannot_create_employees(org: Org) -> None:
    response = client_for(org.op_a1.user).post(URL, new_employee_body(org), format="json")
    assert response.status_code == 403


def test_manager_creates_employee_in_own_team_as_operator(org: Org) -> None:
    response = client_for(org.manager_a).post(URL, new_employee_body(org), format="json")
    assert response.status_code == 201, response.json()
    employee = Employee.objects.get(number="E9001")
    assert employee.team == org.team_a
    assert employee.hourly_rate == Decimal("17.2500")
    assert list(employee.user.groups.values_list("name", flat=True)) == ["operator"]
    assert not employee.user.has_usable_password()


def test_manager_cannot_create_employee_in_another_team(org: Org) -> None:
    body = new_employee_body(org, team=str(org.team_b.pk))
    response = client_for(org.manager_a).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["team"][0]["code"] == "does_not_exist"
    assert not Employee.objects.filter(number="E9001").exists()


def test_rate_below_site_minimum_wage_is_refused(org: Org) -> None:
    body = new_employee_body(org, hourly_rate="9.9900")
    response = client_for(org.manager_a).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "below_minimum_wage"
    assert not Employee.objects.filter(number="E9001").exists()
    assert not Employee.objects.filter(user__username="new.operator").exists()


def test_queue_at_another_site_is_refused(org: Org) -> None:
    from tests.factories import queue_make

    queue_ny = queue_make(site=org.new_york)
    body = new_employee_body(org, queues=[str(queue_ny.pk)])
    response = client_for(org.manager_a).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["queues"][0]["code"] == "queue_at_other_site"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_weekly_minutes": 3000, "max_weekly_minutes": 2400}, "non_field_errors"),
        ({"max_days_per_week": 8}, "non_field_errors"),
        ({"hourly_rate": "17.123456"}, "hourly_rate"),
        ({"employment_start": "2026-13-01"}, "employment_start"),
        ({"employment_end": "2020-01-01"}, "non_field_errors"),
        ({"number": ""}, "number"),
        ({"badge_id": "no spaces"}, "badge_id"),
    ],
)
def test_bad_contract_input_is_400_with_field_message(
    org: Org, overrides: dict[str, object], field: str
) -> None:
    body = new_employee_body(org, **overrides)
    response = client_for(org.manager_a).post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    fields = response.json()["extra"]["fields"]
    assert field in fields
    assert fields[field][0]["message"]
    assert not Employee.objects.filter(number="E9001").exists()


def test_duplicate_number_is_refused(org: Org) -> None:
    body = new_employee_body(org, number=org.op_a1.number)
    response = client_for(org.manager_a).post(URL, body, format="json")
    assert response.status_code == 400
    assert "number" in response.json()["extra"]["fields"]


def test_duplicate_username_is_refused_without_partial_rows(org: Org) -> None:
    body = new_employee_body(org, username="op_a1")
    response = client_for(org.manager_a).post(URL, body, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["extra"]["fields"]
    assert not Employee.objects.filter(number="E9001").exists()


def test_manager_moves_employee_between_own_teams_and_sets_rate(org: Org) -> None:
    from tests.factories import team_make

    second = team_make(site=org.amsterdam, managers=[org.manager_a])
    response = client_for(org.manager_a).patch(
        detail(org.op_a1), {"team": str(second.pk), "hourly_rate": "18.5000"}, format="json"
    )
    assert response.status_code == 200, response.json()
    org.op_a1.refresh_from_db()
    assert org.op_a1.team == second
    assert org.op_a1.hourly_rate == Decimal("18.5000")


def test_only_admin_deletes_employees(org: Org) -> None:
    assert client_for(org.manager_a).delete(detail(org.op_a2)).status_code == 403
    assert client_for(org.admin).delete(detail(org.op_a2)).status_code == 204
    assert not Employee.objects.filter(pk=org.op_a2.pk).exists()


def test_filters_by_team_and_rejects_malformed_filter(org: Org) -> None:
    client = client_for(org.admin)
    response = client.get(URL, {"team": str(org.team_b.pk)})
    assert [row["id"] for row in response.json()["results"]] == [str(org.op_b1.pk)]
    bad = client.get(URL, {"team": "not-a-uuid"})
    assert bad.status_code == 400
    assert bad.json()["extra"]["fields"]["team"]
