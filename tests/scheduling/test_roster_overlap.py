"""A team cannot get two roster series covering the same days (browser walk-through: a build
for Tue 8 Dec was accepted while the 7-13 Dec build of the same team was queued, and both were
saved). The request refuses a period overlapping a saved roster or a build still queued or
running (roster_period_overlaps, 409 in the API); the job checks again under the site's lock
before it saves, so two builds that were both queued cannot both save."""

from datetime import timedelta
from typing import Any

import pytest

from organisation.models import Job
from scheduling import tasks
from scheduling.errors import RosterPeriodOverlaps
from scheduling.models import Roster
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from tests.conftest import Org
from tests.factories.rosters import RosterSetup, roster_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org: Org) -> RosterSetup:
    return roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2], agents=2, days=7)


def _request(org: Org, setup: RosterSetup, *, shift: int = 0, team: Any = "a") -> Job:
    return roster_build_request(
        request=BuildRequest(
            site=org.amsterdam,
            team=org.team_a if team == "a" else team,
            start=setup.start + timedelta(days=shift),
            days=setup.days,
            time_limit_seconds=2,
        ),
        task=tasks.roster_build,
        user=org.manager_a,
    )


def test_a_build_overlapping_a_queued_build_of_the_team_is_refused(
    org: Org, setup: RosterSetup
) -> None:
    first = _request(org, setup)  # queued: its callback waits for a commit that never comes
    assert first.status == Job.Status.QUEUED
    with pytest.raises(RosterPeriodOverlaps) as caught:
        _request(org, setup, shift=1)
    assert caught.value.code == "roster_period_overlaps"
    assert caught.value.extra["job"] == str(first.pk)
    with pytest.raises(RosterPeriodOverlaps):
        _request(org, setup, team=None, shift=3)  # the site's, over the team's days
    assert Job.objects.filter(kind="roster_build").count() == 1
    # The same series again (a second version) stays allowed.
    _request(org, setup)
    assert Job.objects.filter(kind="roster_build").count() == 2


def test_a_build_overlapping_a_saved_roster_is_refused(
    org: Org, setup: RosterSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    job = _request(org, setup)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    with pytest.raises(RosterPeriodOverlaps):
        _request(org, setup, shift=1)


def test_of_two_queued_overlapping_builds_only_the_first_to_finish_saves(
    org: Org, setup: RosterSetup
) -> None:
    first = _request(org, setup)
    # A second build queued before the request check knew of queued builds (or by a worker
    # racing): made as the request makes it.
    second = Job.objects.create(
        kind="roster_build", params={**first.params, "start": str(setup.start + timedelta(1))}
    )
    tasks.roster_build(str(first.pk))
    tasks.roster_build(str(second.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Job.Status.SUCCEEDED, first.message
    assert second.status == Job.Status.FAILED
    assert second.result["code"] == "roster_period_overlaps"
    assert Roster.objects.filter(scope_key=f"team:{org.team_a.pk}").count() == 1
