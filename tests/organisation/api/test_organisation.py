"""Sites, teams and queues APIs: role scoping, function-level permissions, validation."""

import pytest

from organisation.models import Queue, Site, Team
from tests.conftest import Org, client_for
from tests.factories import queue_make

pytestmark = pytest.mark.django_db


def test_operator_creating_a_team_gets_403(org: Org) -> None:
    body = {"site": str(org.amsterdam.pk), "name": "Rogue"}
    response = client_for(org.op_a1.user).post("/api/v1/teams", body, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Team.objects.filter(name="Rogue").exists()


def test_manager_cannot_create_teams_but_admin_can(org: Org) -> None:
    body = {"site": str(org.amsterdam.pk), "name": "Night Shift", "managers": ["manager_a"]}
    assert client_for(org.manager_a).post("/api/v1/teams", body, format="json").status_code == 403
    response = client_for(org.admin).post("/api/v1/teams", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["managers"] == ["manager_a"]


def test_team_managers_must_hold_the_manager_role(org: Org) -> None:
    body = {"site": str(org.amsterdam.pk), "name": "X", "managers": [org.op_a1.user.username]}
    response = client_for(org.admin).post("/api/v1/teams", body, format="json")
    assert response.status_code == 400
    assert "managers" in response.json()["extra"]["fields"]


def test_manager_renames_own_team_but_cannot_change_its_managers(org: Org) -> None:
    url = f"/api/v1/teams/{org.team_a.pk}"
    client = client_for(org.manager_a)
    assert client.patch(url, {"name": "Team Alpha"}, format="json").status_code == 200
    response = client.patch(url, {"managers": ["manager_b"]}, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["managers"][0]["code"] == "unknown_field"
    org.team_a.refresh_from_db()
    assert org.team_a.name == "Team Alpha"
    assert list(org.team_a.managers.all()) == [org.manager_a]


def test_team_visibility_per_role(org: Org) -> None:
    def names(user: object) -> set[str]:
        return {t["name"] for t in client_for(user).get("/api/v1/teams").json()["results"]}

    assert names(org.manager_a) == {"Team A"}
    assert names(org.op_b1.user) == {"Team B"}
    assert names(org.payroll) == {"Team A", "Team B"}
    assert client_for(org.manager_a).get(f"/api/v1/teams/{org.team_b.pk}").status_code == 404


def test_duplicate_team_name_on_a_site_is_refused(org: Org) -> None:
    body = {"site": str(org.amsterdam.pk), "name": "Team A"}
    response = client_for(org.admin).post("/api/v1/teams", body, format="json")
    assert response.status_code == 400
    assert Team.objects.filter(name="Team A").count() == 1


def test_only_admin_creates_sites(org: Org) -> None:
    body = {
        "name": "Lisbon",
        "timezone": "Europe/Lisbon",
        "country_code": "PT",
        "currency": "EUR",
        "minimum_hourly_wage": "5.4600",
    }
    for user in (org.manager_a, org.payroll, org.op_a1.user):
        assert client_for(user).post("/api/v1/sites", body, format="json").status_code == 403
    response = client_for(org.admin).post("/api/v1/sites", body, format="json")
    assert response.status_code == 201, response.json()
    assert Site.objects.get(name="Lisbon").timezone == "Europe/Lisbon"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("timezone", "Europe/Atlantis", "invalid_timezone"),
        ("timezone", "CEST+2", "invalid_timezone"),
        ("country_code", "XX", "invalid_country"),
        ("currency", "eur", "invalid_currency"),
        ("minimum_hourly_wage", "-1", "non_field_errors"),
    ],
)
def test_bad_site_input_is_400(org: Org, field: str, value: str, code: str) -> None:
    body = {
        "name": "Bad",
        "timezone": "Europe/Lisbon",
        "country_code": "PT",
        "currency": "EUR",
        "minimum_hourly_wage": "5",
    } | {field: value}
    response = client_for(org.admin).post("/api/v1/sites", body, format="json")
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    if code == "non_field_errors":
        assert "non_field_errors" in fields
    else:
        assert fields[field][0]["code"] == code
    assert not Site.objects.filter(name="Bad").exists()


def test_operator_sees_only_own_site(org: Org) -> None:
    response = client_for(org.op_a1.user).get("/api/v1/sites")
    assert [s["name"] for s in response.json()["results"]] == ["Amsterdam"]


def test_deleting_a_site_in_use_is_409_and_keeps_it(org: Org) -> None:
    response = client_for(org.admin).delete(f"/api/v1/sites/{org.amsterdam.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert Site.objects.filter(pk=org.amsterdam.pk).exists()


def test_raising_minimum_wage_above_paid_rates_is_refused(org: Org) -> None:
    url = f"/api/v1/sites/{org.amsterdam.pk}"
    response = client_for(org.admin).patch(url, {"minimum_hourly_wage": "50"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "below_minimum_wage"
    assert org.op_a1.number in response.json()["extra"]["employees"]
    org.amsterdam.refresh_from_db()
    assert org.amsterdam.minimum_hourly_wage < 50


def test_manager_creates_queue_at_own_site_only(org: Org) -> None:
    body = {
        "site": str(org.amsterdam.pk),
        "name": "Mortgages",
        "client_name": "Big Bank",
        "service_level_target": "0.8",
        "service_level_seconds": 20,
    }
    response = client_for(org.manager_a).post("/api/v1/queues", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_outsourced"] is True
    other = body | {"site": str(org.new_york.pk), "name": "Elsewhere"}
    response = client_for(org.manager_a).post("/api/v1/queues", other, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["site"][0]["code"] == "does_not_exist"


@pytest.mark.parametrize(
    "changes",
    [
        {"service_level_target": "1.0", "service_level_seconds": 0},
        {"service_level_target": "1.0"},
        {"service_level_target": "0"},
        {"max_occupancy": "1.2"},
        {"shrinkage": "1"},
        {"service_level_seconds": -5},
    ],
)
def test_impossible_service_goals_are_refused(org: Org, changes: dict[str, object]) -> None:
    queue = queue_make(site=org.amsterdam)
    response = client_for(org.manager_a).patch(f"/api/v1/queues/{queue.pk}", changes, format="json")
    assert response.status_code == 400, response.json()
    queue.refresh_from_db()
    assert queue.service_level_target < 1


def test_queue_edits_need_a_manager_of_that_site(org: Org) -> None:
    queue = queue_make(site=org.amsterdam)
    url = f"/api/v1/queues/{queue.pk}"
    assert client_for(org.op_a1.user).patch(url, {"name": "x"}, format="json").status_code == 403
    assert client_for(org.manager_b).patch(url, {"name": "x"}, format="json").status_code == 404
    assert client_for(org.manager_a).delete(url).status_code == 204
    assert not Queue.objects.filter(pk=queue.pk).exists()


def test_page_size_is_capped_at_200(org: Org) -> None:
    for n in range(205):
        Site.objects.create(
            name=f"S{n:03d}",
            timezone="UTC",
            country_code="NL",
            currency="EUR",
            minimum_hourly_wage=0,
        )
    response = client_for(org.admin).get("/api/v1/sites", {"page_size": 1000})
    body = response.json()
    assert len(body["results"]) == 200
    assert body["count"] == 207
    assert body["next"] is not None
