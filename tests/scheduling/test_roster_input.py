"""The solver input built from the database: contracts, skills, availability, carried state;
and the build job's edges (cancelled, the command line)."""

from datetime import UTC, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from organisation.models import Job
from scheduling.models import AvailabilityBlock, Roster, Shift
from scheduling.selectors.roster_problem import roster_problem_build
from scheduling.services.roster_builds import roster_build
from tests.conftest import Org
from tests.factories.rosters import RosterSetup, roster_setup

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def setup(org: Org) -> RosterSetup:
    return roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2])


def _build(setup: RosterSetup) -> object:
    return roster_problem_build(
        site=setup.team.site,
        team=setup.team,
        first_day=setup.start,
        days=setup.days,
        now=datetime.now(UTC),
    )


def test_contract_skills_and_hourly_demand_reach_the_solver(org: Org, setup: RosterSetup) -> None:
    org.op_a1.min_weekly_minutes = 20 * 60
    org.op_a1.max_consecutive_days = 4
    org.op_a1.save()
    built = _build(setup)
    problem = built.problem  # type: ignore[attr-defined]
    me = next(e for e in problem.employees if e.id == str(org.op_a1.pk))
    assert me.contract.min_minutes_per_week == 20 * 60
    assert me.contract.max_consecutive_days == 4
    assert me.contract.min_rest_minutes == 11 * 60
    assert me.skills == frozenset({str(setup.queue.pk)})
    assert problem.interval_minutes == 60
    (demand,) = problem.interval_demand
    assert demand.required[0][9] == 2
    assert demand.required[0][8] == 0
    assert demand.required[5][12] == 0  # Saturday


def test_time_off_blocks_days_and_lowers_the_weekly_minimum(org: Org, setup: RosterSetup) -> None:
    org.op_a1.min_weekly_minutes = 35 * 60
    org.op_a1.save()
    first = datetime.combine(setup.start, time(0), tzinfo=AMS)
    AvailabilityBlock.objects.create(
        employee=org.op_a1, kind="time_off", start=first, end=first + timedelta(days=2)
    )
    AvailabilityBlock.objects.create(
        employee=org.op_a1,
        kind="unavailable",
        start=first + timedelta(days=3, hours=8),
        end=first + timedelta(days=3, hours=12),
    )
    AvailabilityBlock.objects.create(
        employee=org.op_a1,
        kind="prefer_off",
        start=first + timedelta(days=4),
        end=first + timedelta(days=5),
    )
    problem = _build(setup).problem  # type: ignore[attr-defined]
    me = next(e for e in problem.employees if e.id == str(org.op_a1.pk))
    assert me.unavailable_days == frozenset({0, 1})
    assert (3 * 1440 + 8 * 60, 3 * 1440 + 12 * 60) in me.unavailable_spans
    assert me.contract.min_minutes_per_week == 35 * 60 * 5 // 7
    assert [(r.day, r.on) for r in problem.requests if r.employee == me.id] == [(4, False)]


def test_state_is_carried_in_from_the_published_week_before(org: Org, setup: RosterSetup) -> None:
    previous = Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key=f"team:{org.team_a.pk}",
        start_date=setup.start - timedelta(days=7),
        days=7,
        version=1,
        status="published",
    )
    for back in (3, 2, 1):  # Friday, Saturday, Sunday; the last ends at 23:00
        day = setup.start - timedelta(days=back)
        start = datetime.combine(day, time(15), tzinfo=AMS)
        Shift.objects.create(
            roster=previous,
            employee=org.op_a1,
            start=start,
            end=start + timedelta(hours=8),
            local_date=day,
            state="published",
        )
    problem = _build(setup).problem  # type: ignore[attr-defined]
    me = next(e for e in problem.employees if e.id == str(org.op_a1.pk))
    assert me.carried.consecutive_days_worked == 3
    assert me.carried.last_shift_end_minute == -60


def test_a_cancelled_build_saves_nothing(org: Org, setup: RosterSetup) -> None:
    job = Job.objects.create(
        kind="roster_build",
        status=Job.Status.CANCELLED,
        params={
            "site": str(org.amsterdam.pk),
            "team": str(setup.team.pk),
            "start": str(setup.start),
            "days": 7,
            "time_limit_seconds": 2,
        },
    )
    assert roster_build(job=job, progress=lambda percent, message="": None) is None
    assert not Roster.objects.exists()


def test_build_roster_command_prints_the_result(
    org: Org, setup: RosterSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    out = StringIO()
    call_command(
        "build_roster",
        "--team",
        setup.team.name,
        "--start",
        str(setup.start),
        "--days",
        "7",
        "--time-limit",
        "3",
        "--publish",
        stdout=out,
    )
    text = out.getvalue()
    assert "draft version 1" in text
    assert "under_cover" in text
    assert "Published version 1" in text
    assert Roster.objects.get().status == Roster.Status.PUBLISHED
