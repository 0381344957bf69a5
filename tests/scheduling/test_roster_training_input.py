"""The training part of the roster's input and output (issue 24): levels per queue, the
site's policy, trainees' plans, sessions and meetings on the solver's axis; placements and
pairing saved with the version and copied into its revisions."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from organisation.models import Proficiency
from organisation.services.proficiency import proficiency_set
from scheduling.models import Enrolment, MentorPairing, PlacedActivity, TrainingPolicy
from scheduling.selectors.roster_problem import roster_problem_build
from scheduling.services.roster_builds import roster_save
from scheduling.services.roster_versions import roster_revise
from scheduling.services.training import meeting_create, programme_create, session_save
from scheduling.services.training_progress import enrolment_create, enrolment_sign_off
from scheduling.solver.model import (
    Mentoring,
    PlacedSession,
    SessionKind,
    Solution,
    Status,
    TrainingShortfall,
)
from tests.factories.rosters import roster_setup

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def commits(monkeypatch):
    """Run on_commit callbacks at once (the build job starts inside the test's transaction)."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def trained(org):
    setup = roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2])
    site = org.team_a.site
    proficiency_set(
        employee=org.op_a2,
        queue=setup.queue,
        level=Proficiency.MENTOR,
        reached_on=setup.start - timedelta(days=30),
        by=None,
    )
    TrainingPolicy.objects.create(
        site=site, trainee_share=Decimal("0.4"), junior_share=Decimal("0.75"), trainees_per_mentor=3
    )
    programme = programme_create(
        site=site,
        queue=setup.queue,
        by=None,
        name="Basics",
        min_supervised_minutes_per_week=300,
        max_supervised_minutes_per_week=1200,
    )
    enrolment_create(
        programme=programme,
        employee=org.op_a1,
        by=None,
        now=datetime.combine(setup.start - timedelta(days=3), time(9), tzinfo=AMS),
    )
    day1 = setup.start + timedelta(days=1)
    session = session_save(
        programme=programme,
        by=None,
        topic="Products",
        length_minutes=120,
        window_start=datetime.combine(day1, time(9), tzinfo=AMS),
        window_end=datetime.combine(day1, time(17), tzinfo=AMS),
        trainer=org.op_a2,
    )
    meeting = meeting_create(
        site=site,
        by=None,
        title="Team meeting",
        kind="meeting",
        length_minutes=60,
        attendees=setup.people[1:],
        min_share=Decimal("0.8"),
        window_start=datetime.combine(setup.start + timedelta(days=2), time(10), tzinfo=AMS),
        window_end=datetime.combine(setup.start + timedelta(days=2), time(16), tzinfo=AMS),
    )
    return setup, programme, session, meeting


def _build(setup):
    return roster_problem_build(
        site=setup.team.site,
        team=setup.team,
        first_day=setup.start,
        days=setup.days,
        now=datetime.now(UTC),
    )


def test_levels_policy_plans_and_sessions_reach_the_solver(org, trained):
    setup, _programme, session, meeting = trained
    built = _build(setup)
    problem = built.problem
    queue = str(setup.queue.pk)
    levels = {e.id: e.level(queue) for e in problem.employees}
    assert levels[str(org.op_a1.pk)] == "trainee"
    assert levels[str(org.op_a2.pk)] == "mentor"
    assert levels[str(setup.people[2].pk)] == "proficient"
    assert (problem.training.trainee_share_percent, problem.training.junior_share_percent) == (
        40,
        75,
    )
    assert problem.training.trainees_per_mentor == 3
    (plan,) = problem.trainee_plans
    assert (plan.employee, plan.queue) == (str(org.op_a1.pk), queue)
    assert (plan.min_supervised_minutes_per_week, plan.max_supervised_minutes_per_week) == (
        300,
        1200,
    )
    by_id = {s.id: s for s in problem.sessions}
    classroom = by_id[f"session:{session.pk}"]
    assert classroom.kind == SessionKind.CLASSROOM
    assert set(classroom.attendees) == {str(org.op_a1.pk), str(org.op_a2.pk)}
    assert classroom.trainer == str(org.op_a2.pk)
    # Tuesday 09:00 .. 17:00 local, two hours long: starts 09:00 .. 15:00.
    assert (classroom.earliest_start_minute, classroom.latest_start_minute) == (
        1440 + 9 * 60,
        1440 + 15 * 60,
    )
    team_meeting = by_id[f"meeting:{meeting.pk}"]
    assert team_meeting.min_attendance_percent == 80
    assert team_meeting.earliest_start_minute == 2 * 1440 + 10 * 60
    assert built.sessions[classroom.id] == session


def test_after_sign_off_the_next_build_counts_the_person_at_the_new_level(org, trained):
    """Sign-off promotes the trainee (issue 24, item 2): the roster built next sees a junior
    at the junior share, with no supervised-hours plan to pair and no class to attend."""
    setup, programme, _session, _meeting = trained
    queue, me = str(setup.queue.pk), str(org.op_a1.pk)
    before = _build(setup).problem
    assert next(e for e in before.employees if e.id == me).level(queue) == "trainee"
    assert [p.employee for p in before.trainee_plans] == [me]
    enrolment = Enrolment.objects.get(employee=org.op_a1, programme=programme)
    assert programme.required_supervised_minutes == 0  # nothing to reach before sign-off
    enrolment_sign_off(
        enrolment=enrolment,
        by=org.manager_a,
        now=datetime.combine(setup.start - timedelta(days=1), time(17), tzinfo=AMS),
    )
    problem = _build(setup).problem
    person = next(e for e in problem.employees if e.id == me)
    assert person.level(queue) == "junior"
    (entry,) = [q for q in person.proficiency if q.queue == queue]
    assert problem.training.share_percent(entry) == 75  # the site's junior share
    assert problem.trainee_plans == ()
    assert not any(me in s.attendees for s in problem.sessions)


def test_placements_and_pairing_are_saved_and_kept_by_a_revision(org, trained):
    setup, _programme, session, _meeting = trained
    built = _build(setup)
    trainee, mentor, queue = str(org.op_a1.pk), str(org.op_a2.pk), str(setup.queue.pk)
    solution = Solution(
        status=Status.FEASIBLE,
        assignments=(),
        objective=0.0,
        bound=0.0,
        terms={},
        wall_seconds=0.1,
        sessions=(
            PlacedSession(
                session=f"session:{session.pk}",
                start_minute=1440 + 14 * 60,
                length_minutes=120,
                attending=(trainee, mentor),
                cover_cost_agent_hours=0.5,
                best_cost_agent_hours=0.5,
                worst_cost_agent_hours=3.25,
            ),
        ),
        mentoring=(Mentoring(trainee, mentor, queue, 9 * 60, 13 * 60),),
        training_shortfalls=(
            TrainingShortfall(
                rule="no_mentor",
                message="no mentor on the phone",
                employee=trainee,
                queue=queue,
                intervals=((3, 9),),
            ),
        ),
    )
    roster = roster_save(built=built, solution=solution, job=None, base=None, user=None)
    placed = list(PlacedActivity.objects.filter(roster=roster))
    assert len(placed) == 2
    first = placed[0]
    local = first.start.astimezone(AMS)
    assert (local.date(), local.hour) == (setup.start + timedelta(days=1), 14)
    assert first.explanation["worst_cost_agent_hours"] == 3.25
    (pairing,) = MentorPairing.objects.filter(roster=roster)
    assert pairing.start.astimezone(AMS).hour == 9
    assert (pairing.end - pairing.start) == timedelta(hours=4)
    (short,) = roster.solver["training_shortfalls"]
    assert short["name"] == org.op_a1.full_name
    assert short["intervals"][0].endswith("T09:00")
    revision = roster_revise(roster=roster, user=None)
    assert PlacedActivity.objects.filter(roster=revision).count() == 2
    assert MentorPairing.objects.filter(roster=revision).count() == 1


def test_a_real_build_places_the_session_and_pairs_the_trainee(org, trained, commits):
    from organisation.models import Job
    from scheduling import tasks
    from scheduling.models import Roster
    from scheduling.services.roster_builds import BuildRequest, roster_build_request

    setup, _programme, session, _meeting = trained
    job = roster_build_request(
        request=BuildRequest(
            site=org.amsterdam,
            team=org.team_a,
            start=setup.start,
            days=setup.days,
            time_limit_seconds=5,
            deterministic=True,
        ),
        task=tasks.roster_build,
        user=org.manager_a,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    roster = Roster.objects.get(job=job)
    placed = PlacedActivity.objects.filter(roster=roster, session=session)
    shortfalls = roster.solver.get("training_shortfalls", [])
    assert placed.count() == 2  # the trainee and the trainer
    assert shortfalls == []
    for row in placed:
        assert row.explanation["best_cost_agent_hours"] <= row.explanation["cover_cost_agent_hours"]
        assert (
            row.explanation["cover_cost_agent_hours"] <= row.explanation["worst_cost_agent_hours"]
        )
    pairings = MentorPairing.objects.filter(roster=roster, trainee=org.op_a1)
    assert pairings.exists()
    assert all(p.mentor_id == org.op_a2.pk for p in pairings)
    # The app's rule checks read the placements: the built roster is clean, and the trainee's
    # shift moved off the session's day is "not working through" it (what a board edit sees).
    from scheduling.selectors.roster_rules import roster_violations

    session_rules = {"session_not_working", "session_break", "session_unplaced"}
    assert [v for v in roster_violations(roster) if v.rule in session_rules] == []
    row = placed.get(employee=org.op_a1)
    shift = roster.shifts.get(employee=org.op_a1, start__lte=row.start, end__gte=row.end)
    shift.start += timedelta(days=1)
    shift.end += timedelta(days=1)
    shift.local_date += timedelta(days=1)
    shift.save()
    shift.breaks.all().delete()
    broken = [v.rule for v in roster_violations(roster) if v.employee == str(org.op_a1.pk)]
    assert "session_not_working" in broken


def test_a_board_edit_that_takes_a_trainee_off_their_session_is_refused(org, trained, commits):
    """The board's edits check the placed sessions too: moving the trainee's shift off the
    session's day breaks session_not_working (refused, nothing saved), and an override with a
    reason keeps the edit and records the violation."""
    from scheduling import tasks
    from scheduling.errors import RosterEditBreaksRules
    from scheduling.models import Roster
    from scheduling.services.roster_builds import BuildRequest, roster_build_request
    from scheduling.services.roster_edits import ShiftFields, shift_change

    setup, _programme, session, _meeting = trained
    job = roster_build_request(
        request=BuildRequest(
            site=org.amsterdam,
            team=org.team_a,
            start=setup.start,
            days=setup.days,
            time_limit_seconds=5,
            deterministic=True,
        ),
        task=tasks.roster_build,
        user=org.manager_a,
    )
    roster = Roster.objects.get(job=job)
    row = PlacedActivity.objects.get(roster=roster, session=session, employee=org.op_a1)
    shift = roster.shifts.get(employee=org.op_a1, start__lte=row.start, end__gte=row.end)
    moved = ShiftFields(start=shift.start + timedelta(days=1), end=shift.end + timedelta(days=1))
    with pytest.raises(RosterEditBreaksRules) as refused:
        shift_change(shift=shift, fields=moved, user=org.manager_a)
    rules = {v["rule"] for v in refused.value.extra["violations"]}
    assert "session_not_working" in rules
    shift.refresh_from_db()
    assert shift.start <= row.start  # nothing saved
    result = shift_change(
        shift=shift, fields=moved, user=org.manager_a, reason="trainee swapped days", override=True
    )
    assert "session_not_working" in {v["rule"] for v in result.overridden}


def test_a_trainee_whose_mentor_is_away_is_refused_with_the_reason(org, trained, commits):
    """No mentor of the queue can work when the trainee can: the build is refused with a
    stable code naming the trainee (and the meeting the absence empties), nothing saved."""
    from organisation.models import Job
    from scheduling import tasks
    from scheduling.models import AvailabilityBlock, Roster
    from scheduling.services.roster_builds import BuildRequest, roster_build_request

    setup, _programme, session, _meeting = trained
    session.trainer = setup.people[2]  # the trainer is at work; the only mentor is away
    session.save()
    first = datetime.combine(setup.start, time(0), tzinfo=AMS)
    AvailabilityBlock.objects.create(
        employee=org.op_a2, kind="time_off", start=first, end=first + timedelta(days=7)
    )
    job = roster_build_request(
        request=BuildRequest(
            site=org.amsterdam,
            team=org.team_a,
            start=setup.start,
            days=setup.days,
            time_limit_seconds=5,
            deterministic=True,
        ),
        task=tasks.roster_build,
        user=org.manager_a,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result["code"] == "roster_rules_contradict"
    found = {c["rule"]: c for c in job.result["extra"]["contradictions"]}
    assert found["no_mentor"]["name"] == org.op_a1.full_name
    assert str(setup.queue.pk) not in found["no_mentor"]["message"]
    assert setup.queue.name in found["no_mentor"]["message"]
    assert "Team meeting" in found["session_no_slot"]["message"]
    assert not Roster.objects.filter(job=job).exists()
    assert not MentorPairing.objects.exists()
    assert not PlacedActivity.objects.exists()
