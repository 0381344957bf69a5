"""OpenAPI schema and docs: generated, complete, and served without any CDN."""

import re

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db


def test_schema_lists_every_api_route(org: Org) -> None:
    response = client_for(org.admin).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = {re.sub(r"\{\w+\}", "{}", path) for path in response.json()["paths"]}
    api = get_resolver().url_patterns
    routes = set()
    for pattern in api:
        if str(pattern.pattern) == "api/v1/":
            for inner in pattern.url_patterns:
                route = "/api/v1/" + re.sub(r"<\w+:\w+>", "{}", str(inner.pattern))
                routes.add(route)
    assert routes - paths == set()


def test_docs_page_loads_assets_from_this_server_only(org: Org) -> None:
    client = Client()
    client.force_login(org.admin)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)
    assert external == []


def test_employee_schema_marks_output_fields_read_only(org: Org) -> None:
    schema = client_for(org.admin).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    output = components["EmployeeOutput"]["properties"]
    assert output["hourly_rate"]["readOnly"] is True
    assert "pin" not in output
    assert "pin_hash" not in output
    assert "username" not in components["PatchedEmployeeUpdateInputRequest"]["properties"]
