"""A deterministic build (`"deterministic": true`) gives the same roster for the same input and
seed: its time limit is read as solver work, so the machine's load cannot change the result."""

import pytest

from organisation.models import Job
from scheduling.models import Roster
from scheduling.selectors.roster_diffs import shifts_content_sha256
from tests.conftest import Org, client_for
from tests.factories.rosters import roster_setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def test_two_deterministic_builds_with_one_seed_give_the_same_shifts(org: Org) -> None:
    setup = roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2], agents=2, extra=3)
    body = {
        "team": str(setup.team.pk),
        "start": str(setup.start),
        "days": setup.days,
        "time_limit_seconds": 3,
        "seed": 7,
        "deterministic": True,
    }
    rosters = []
    for _ in range(2):
        response = client_for(org.manager_a).post("/api/v1/rosters", body, format="json")
        assert response.status_code == 202, response.json()
        job = Job.objects.get(pk=response.json()["id"])
        assert job.status == Job.Status.SUCCEEDED, job.message
        assert job.params["deterministic"] is True
        rosters.append(Roster.objects.get(pk=job.result["roster"]))
    first, second = rosters
    assert (first.version, second.version) == (1, 2)
    assert first.shifts.exists()
    assert shifts_content_sha256(first.shifts.all()) == shifts_content_sha256(second.shifts.all())
    assert first.solver["objective"] == second.solver["objective"]
