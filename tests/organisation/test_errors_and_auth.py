"""One error shape for every 4xx; session, CSRF and token authentication."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db


def assert_error_shape(body: dict[str, object], code: str) -> None:
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]


def test_anonymous_request_is_401_with_error_shape(db: None) -> None:
    response = APIClient().get("/api/v1/employees")
    assert response.status_code == 401
    assert_error_shape(response.json(), "not_authenticated")


def test_malformed_json_is_400(org: Org) -> None:
    response = client_for(org.admin).generic(
        "POST", "/api/v1/sites", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert_error_shape(response.json(), "malformed_request")


def test_wrong_method_is_405(org: Org) -> None:
    response = client_for(org.admin).put("/api/v1/sites", {}, format="json")
    assert response.status_code == 405
    assert_error_shape(response.json(), "method_not_allowed")


def test_form_encoded_body_is_415(org: Org) -> None:
    response = client_for(org.admin).post("/api/v1/sites", {"name": "x"})
    assert response.status_code == 415
    assert_error_shape(response.json(), "unsupported_media_type")


def test_unknown_api_url_and_bad_uuid_are_json_404(org: Org) -> None:
    client = client_for(org.admin)
    for url in ("/api/v1/nothing-here", "/api/v1/sites/not-a-uuid"):
        response = client.get(url)
        assert response.status_code == 404
        assert_error_shape(response.json(), "not_found")


def test_validation_error_lists_fields_with_codes(org: Org) -> None:
    response = client_for(org.admin).post("/api/v1/sites", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid_input")
    assert body["extra"]["fields"]["name"] == [
        {"code": "required", "message": "This field is required."}
    ]


def test_list_body_instead_of_object_is_400(org: Org) -> None:
    response = client_for(org.admin).post("/api/v1/sites", [1, 2], format="json")
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid_input")


def test_token_obtained_with_password_authenticates(org: Org) -> None:
    client = APIClient()
    bad = client.post(
        "/api/v1/auth/token", {"username": "manager_a", "password": "nope"}, format="json"
    )
    assert bad.status_code == 400
    assert_error_shape(bad.json(), "invalid_credentials")
    response = client.post(
        "/api/v1/auth/token", {"username": "manager_a", "password": "pw"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me").json()
    assert me["username"] == "manager_a"
    assert me["roles"] == ["manager"]
    assert me["managed_teams"] == [str(org.team_a.pk)]


def test_invalid_token_is_401(org: Org) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert_error_shape(response.json(), "authentication_failed")


def test_session_unsafe_request_without_csrf_token_is_403(org: Org) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="admin", password="pw")
    assert client.get("/api/v1/sites").status_code == 200
    body = {
        "name": "Lisbon",
        "timezone": "Europe/Lisbon",
        "country_code": "PT",
        "currency": "EUR",
        "minimum_hourly_wage": "5",
    }
    response = client.post("/api/v1/sites", body, format="json")
    assert response.status_code == 403
    assert_error_shape(response.json(), "permission_denied")
    assert "CSRF" in response.json()["message"]


def test_api_root_lists_collections(org: Org) -> None:
    body = client_for(org.op_a1.user).get("/api/v1/").json()
    assert body["employees"].endswith("/api/v1/employees")
