"""A roster says how much of its shortfall no roster could avoid: the build's lower bound on
under-cover (the engine's LP relaxation) in the job result, the roster's stats, the review and
the command line's summary."""

from typing import Any

import pytest

from organisation.models import Job
from scheduling.management.commands.build_roster import shortfall_sentence
from scheduling.models import Roster
from tests.conftest import Org, client_for
from tests.factories.rosters import roster_setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def test_more_demand_than_people_is_reported_as_unavoidable(org: Org) -> None:
    # Four agents wanted 09:00-17:00 on weekdays and two operators to roster: at least two
    # agents short in every one of those intervals, whatever the roster.
    setup = roster_setup(team=org.team_a, people=[], agents=4, extra=2, days=7)
    body = {"team": str(setup.team.pk), "start": str(setup.start), "days": setup.days}
    response = client_for(org.manager_a).post(
        "/api/v1/rosters", {"time_limit_seconds": 5, "seed": 1, **body}, format="json"
    )
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.message
    roster = Roster.objects.get(pk=job.result["roster"])
    bounds = roster.solver["lower_bounds"]
    short = roster.solver["under_agent_intervals"]
    intervals = 5 * 8  # the hours of the weekdays' 09:00-17:00 (the staffing is hourly)
    assert bounds["under_agent_intervals"] >= 2 * intervals
    assert bounds["under_agent_intervals"] <= short
    assert job.result["unavoidable_under_agent_intervals"] == bounds["under_agent_intervals"]
    assert job.result["under_agent_intervals"] == short
    totals = client_for(org.manager_a).get(f"/api/v1/rosters/{roster.pk}/review").json()["totals"]
    assert totals["unavoidable_under_agent_intervals"] == min(
        bounds["under_agent_intervals"], totals["under_agent_intervals"]
    )
    assert totals["under_left_by_roster"] == (
        totals["under_agent_intervals"] - totals["unavoidable_under_agent_intervals"]
    )


@pytest.mark.parametrize(
    ("stats", "sentence"),
    [
        (
            {"under_agent_intervals": 190, "lower_bounds": {"under_agent_intervals": 181}},
            "short 190 agent-intervals, at least 181 unavoidable under these contracts",
        ),
        (
            {"under_agent_intervals": 190, "lower_bounds": None},
            "short 190 agent-intervals; how many were unavoidable is unknown",
        ),
        ({}, "shortfall not recorded for this build"),
    ],
)
def test_the_summary_says_what_was_unavoidable(stats: dict[str, Any], sentence: str) -> None:
    assert shortfall_sentence(stats) == sentence
