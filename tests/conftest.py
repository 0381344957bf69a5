"""Root fixtures: fast hashing, eager Celery, API clients per role, a small organisation."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from organisation.models import Employee, Site, Team
from organisation.roles import Role
from tests.factories import employee_make, site_make, team_make, user_make
from wfm.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("WFM_REQUIRE_SERVICES") == "1"


# .ci/run runs the suite twice: on SQLite (everything) and then on PostgreSQL + Redis with
# WFM_TEST_PASS=services. The second pass runs what the database or the broker can change:
# tests that touch the database (django_db, db, transactional_db, live_server) or need
# PostgreSQL or Redis. Tests that touch neither (the pure modules: solver, forecast, pay) and
# the browser tests (the pages in Chromium against a live server) ran on the first pass and
# would give the same answer again; they are deselected there, and pytest counts them.
SERVICES_PASS = os.environ.get("WFM_TEST_PASS") == "services"
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "live_server", "postgres"}
)


def _needs_services(item: pytest.Item) -> bool:
    if item.get_closest_marker("browser"):
        return False
    if any(item.get_closest_marker(name) for name in ("django_db", "postgres", "redis")):
        return True
    return bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not SERVICES_PASS:
        return
    kept = [item for item in items if _needs_services(item)]
    if len(kept) < len(items):
        dropped = [item for item in items if not _needs_services(item)]
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def skip_or_fail(reason: str) -> None:
    """Skip a service-backed test where the service is absent; in CI that is a failure."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (WFM_REQUIRE_SERVICES=1: this run must have it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """On PostgreSQL, commits of the throwaway test database do not wait for the disk
    (synchronous_commit=off, for every connection to it: threads of the race tests, the real
    Celery worker). What one connection sees of another's commits, and every lock, is as
    before; only a crash of the server could lose the last commits. The race tests commit
    thousands of times: about a third of their time was waiting for WAL flushes."""
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
        cursor.execute("SET synchronous_commit = off")


@pytest.fixture
def postgres() -> None:
    """Tests of PostgreSQL-only guarantees (constraints, locks) request this fixture."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery() -> Iterator[None]:
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@dataclass
class Org:
    """Two sites, a team each with its manager and two operators; payroll and admin users."""

    amsterdam: Site
    new_york: Site
    team_a: Team
    team_b: Team
    manager_a: Any
    manager_b: Any
    op_a1: Employee
    op_a2: Employee
    op_b1: Employee
    payroll: Any
    admin: Any


@pytest.fixture
def org(db: None) -> Org:
    amsterdam = site_make(name="Amsterdam")
    new_york = site_make(
        name="New York", timezone="America/New_York", country_code="US", currency="USD"
    )
    manager_a = user_make(role=Role.MANAGER, username="manager_a")
    manager_b = user_make(role=Role.MANAGER, username="manager_b")
    team_a = team_make(site=amsterdam, name="Team A", managers=[manager_a])
    team_b = team_make(site=new_york, name="Team B", managers=[manager_b])
    return Org(
        amsterdam=amsterdam,
        new_york=new_york,
        team_a=team_a,
        team_b=team_b,
        manager_a=manager_a,
        manager_b=manager_b,
        op_a1=employee_make(team=team_a, username="op_a1"),
        op_a2=employee_make(team=team_a, username="op_a2"),
        op_b1=employee_make(team=team_b, username="op_b1"),
        payroll=user_make(role=Role.PAYROLL, username="payroll"),
        admin=user_make(role=Role.ADMIN, username="admin"),
    )
