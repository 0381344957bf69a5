"""Fixtures of the web tests: logged-in clients per role, a built (draft) roster of team A,
and a published one with a closed-able pay period."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from organisation.models import Job
from scheduling import tasks
from scheduling.models import Roster
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from scheduling.services.roster_publish import roster_publish
from tests.conftest import Org
from tests.factories.rosters import RosterSetup, roster_setup


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run on_commit callbacks at once (jobs start inside a test's transaction)."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def login() -> Callable[..., Client]:
    def make(user: Any, *, csrf: bool = False, language: str = "en") -> Client:
        client = Client(enforce_csrf_checks=csrf, headers={"accept-language": language})
        client.force_login(user)
        return client

    return make


@pytest.fixture
def setup(org: Org) -> RosterSetup:
    return roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2], agents=2, days=7)


def build_job(org: Org, setup: RosterSetup, seconds: float = 2, **options: Any) -> Job:
    """Team A's roster build job for the setup's period, run (callbacks run at once)."""
    job = roster_build_request(
        request=BuildRequest(
            site=org.amsterdam,
            team=org.team_a,
            start=setup.start,
            days=setup.days,
            time_limit_seconds=seconds,
            **options,
        ),
        task=tasks.roster_build,
        user=org.manager_a,
    )
    job.refresh_from_db()
    return job


def build(org: Org, setup: RosterSetup, seconds: float = 2) -> Roster:
    job = build_job(org, setup, seconds)
    assert job.status == Job.Status.SUCCEEDED, job.message
    return Roster.objects.get(job=job)


@pytest.fixture
def draft(org: Org, setup: RosterSetup, commits: None) -> Roster:
    return build(org, setup)


@pytest.fixture
def published(org: Org, draft: Roster) -> Roster:
    roster_publish(roster=draft, user=org.manager_a)
    draft.refresh_from_db()
    return draft


def week_after(roster: Roster) -> Any:
    return roster.start_date + timedelta(days=7)
