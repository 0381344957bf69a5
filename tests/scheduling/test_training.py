"""Training programmes, enrolment, progress and sign-off (issue 24): every refusal has its
stable code and leaves nothing written."""

from datetime import UTC, date, datetime, timedelta

import pytest

from organisation.models import AuditEvent, Proficiency, QueueProficiency
from organisation.selectors.proficiency import proficiency_level, proficiency_levels
from organisation.services.proficiency import proficiency_set
from scheduling.errors import (
    TrainerDoubleBooked,
    TrainingAlreadyEnrolled,
    TrainingBadLength,
    TrainingEnrolmentClosed,
    TrainingHoursShort,
    TrainingLongerThanWindow,
    TrainingNoMentor,
    TrainingPlanBelowContract,
)
from scheduling.models import (
    ClassroomSession,
    Enrolment,
    MentorPairing,
    Roster,
    Shift,
    ShiftBreak,
    TrainingProgramme,
)
from scheduling.selectors.training import enrolment_progress
from scheduling.services.training import (
    meeting_create,
    module_save,
    programme_create,
    programme_update,
    session_save,
)
from scheduling.services.training_progress import (
    enrolment_create,
    enrolment_sign_off,
    module_done,
    session_attended,
)
from tests.factories import employee_make, queue_make

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def setup(org):
    queue = queue_make(site=org.amsterdam, name="Retail NL")
    mentor = employee_make(team=org.team_a)
    proficiency_set(
        employee=mentor, queue=queue, level=Proficiency.MENTOR, reached_on=date(2025, 1, 1), by=None
    )
    programme = programme_create(
        site=org.amsterdam,
        queue=queue,
        by=org.manager_a,
        name="Retail basics",
        min_supervised_minutes_per_week=240,
        max_supervised_minutes_per_week=900,
        required_supervised_minutes=600,
    )
    return queue, mentor, programme


def _session(programme, trainer=None, length=120, hours=8, start=NOW):
    return session_save(
        programme=programme,
        by=None,
        topic="Products",
        length_minutes=length,
        window_start=start,
        window_end=start + timedelta(hours=hours),
        trainer=trainer,
    )


def test_enrolment_makes_a_trainee_and_keeps_the_level_history(org, setup):
    queue, _mentor, programme = setup
    enrolment = enrolment_create(programme=programme, employee=org.op_a1, by=org.manager_a, now=NOW)
    assert enrolment.enrolled_on == date(2026, 3, 23)
    levels = proficiency_levels(employees=[org.op_a1], on=date(2026, 3, 23))
    assert proficiency_level(levels, str(org.op_a1.pk), str(queue.pk)) == Proficiency.TRAINEE
    assert queue in org.op_a1.queues.all()
    assert AuditEvent.objects.filter(action="training.enrolled").count() == 1
    with pytest.raises(TrainingAlreadyEnrolled):
        enrolment_create(programme=programme, employee=org.op_a1, by=org.manager_a, now=NOW)


def test_enrolment_refused_without_a_mentor_on_the_queue(org):
    queue = queue_make(site=org.amsterdam, name="Energy")
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Energy")
    with pytest.raises(TrainingNoMentor) as caught:
        enrolment_create(programme=programme, employee=org.op_a1, by=None, now=NOW)
    assert caught.value.code == "training_no_mentor"
    assert not Enrolment.objects.exists()
    assert not QueueProficiency.objects.exists()


def test_programme_with_a_negative_length_is_refused_and_nothing_written(org, setup):
    queue, _mentor, programme = setup
    with pytest.raises(TrainingBadLength):
        programme_create(
            site=org.amsterdam,
            queue=queue,
            by=None,
            name="Bad",
            required_supervised_minutes=-60,
        )
    with pytest.raises(TrainingBadLength):
        programme_create(
            site=org.amsterdam,
            queue=queue,
            by=None,
            name="Bad 2",
            min_supervised_minutes_per_week=600,
            max_supervised_minutes_per_week=60,
        )
    with pytest.raises(TrainingBadLength):
        _session(programme, length=-30)
    with pytest.raises(TrainingBadLength):
        module_save(programme=programme, by=None, title="x", kind="video", expected_minutes=0)
    assert TrainingProgramme.objects.count() == 1
    assert not ClassroomSession.objects.exists()


def test_session_longer_than_its_window_is_refused(setup):
    _queue, _mentor, programme = setup
    with pytest.raises(TrainingLongerThanWindow) as caught:
        _session(programme, length=180, hours=2)
    assert caught.value.extra == {"length_minutes": 180, "window_minutes": 120}
    assert not ClassroomSession.objects.exists()


def test_trainer_double_booked_is_refused_but_room_for_both_is_not(setup):
    _queue, mentor, programme = setup
    _session(programme, trainer=mentor, length=120, hours=3)
    with pytest.raises(TrainerDoubleBooked):  # 3 h window for two 2 h sessions
        _session(programme, trainer=mentor, length=120, hours=3)
    assert ClassroomSession.objects.count() == 1
    _session(programme, trainer=mentor, length=120, hours=8)  # 8 h: room for both
    assert ClassroomSession.objects.count() == 2


def test_meeting_longer_than_window_refused(org):
    with pytest.raises(TrainingLongerThanWindow):
        meeting_create(
            site=org.amsterdam,
            by=None,
            title="Team meeting",
            kind="meeting",
            length_minutes=90,
            attendees=[org.op_a1],
            min_share=1,
            window_start=NOW,
            window_end=NOW + timedelta(hours=1),
        )


def test_progress_and_sign_off_after_the_supervised_hours(org, setup):
    queue, mentor, programme = setup
    enrolment = enrolment_create(programme=programme, employee=org.op_a1, by=None, now=NOW)
    session = _session(programme)
    module = module_save(
        programme=programme, by=None, title="Tone of voice", kind="video", expected_minutes=25
    )
    session_attended(enrolment=enrolment, session=session, by=org.manager_a, now=NOW)
    module_done(enrolment=enrolment, module=module, by=None, minutes=30, now=NOW)
    module_done(enrolment=enrolment, module=module, by=None, minutes=99, now=NOW)  # once
    with pytest.raises(TrainingHoursShort) as caught:
        enrolment_sign_off(enrolment=enrolment, by=org.manager_a, now=NOW)
    assert caught.value.extra == {"mentored_minutes": 0, "required_minutes": 600}
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE

    roster = Roster.objects.create(
        site=org.amsterdam,
        scope_key="site:x",
        start_date=date(2026, 3, 23),
        days=7,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    for day in range(3):  # 3 x 4 h beside the mentor, both on the queue's phone
        start = NOW + timedelta(days=day)
        MentorPairing.objects.create(
            roster=roster,
            trainee=org.op_a1,
            mentor=mentor,
            queue=queue,
            start=start,
            end=start + timedelta(hours=4),
        )
        for person in (org.op_a1, mentor):
            Shift.objects.create(
                roster=roster,
                employee=person,
                queue=queue,
                start=start - timedelta(hours=1),
                end=start + timedelta(hours=5),
                local_date=start.date(),
                state=roster.status,
            )
    # The trainee's break on day 0 (30 min inside the pairing) is no time beside the mentor.
    first = Shift.objects.get(employee=org.op_a1, start=NOW - timedelta(hours=1))
    ShiftBreak.objects.create(
        shift=first, start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=1, minutes=30)
    )
    later = NOW + timedelta(days=5)
    progress = enrolment_progress(enrolment=enrolment, until=later)
    assert (progress.mentored_minutes, progress.sessions_attended, progress.modules_done) == (
        690,
        1,
        1,
    )
    assert [e.kind for e in progress.events].count("mentored") == 3
    enrolment_sign_off(enrolment=enrolment, by=org.manager_a, now=later)
    levels = proficiency_levels(employees=[org.op_a1], on=later.date())
    assert proficiency_level(levels, str(org.op_a1.pk), str(queue.pk)) == Proficiency.JUNIOR
    history = QueueProficiency.objects.filter(employee=org.op_a1).values_list("level", flat=True)
    assert list(history) == ["trainee", "junior"]
    with pytest.raises(TrainingEnrolmentClosed):
        module_done(enrolment=enrolment, module=module, by=None, now=later)


def test_a_plan_below_the_contract_minimum_on_the_only_queue_is_refused(org, setup):
    _queue, _mentor, programme = setup
    org.op_a1.min_weekly_minutes = 36 * 60
    org.op_a1.save()
    programme.max_supervised_minutes_per_week = 24 * 60
    programme.save()
    with pytest.raises(TrainingPlanBelowContract) as caught:
        enrolment_create(programme=programme, employee=org.op_a1, by=None, now=NOW)
    assert caught.value.extra["contract_min_minutes"] == 36 * 60
    assert not Enrolment.objects.exists()
    assert not QueueProficiency.objects.filter(employee=org.op_a1).exists()
    other = queue_make(site=org.amsterdam, name="Business EN")
    org.op_a1.queues.add(other)  # phone time elsewhere: the plan fits
    enrolment_create(programme=programme, employee=org.op_a1, by=None, now=NOW)
    org.op_a1.queues.remove(other)
    org.op_a1.refresh_from_db()
    with pytest.raises(TrainingPlanBelowContract):
        programme_update(programme=programme, by=None, max_supervised_minutes_per_week=20 * 60)
    programme.refresh_from_db()
    assert programme.max_supervised_minutes_per_week == 24 * 60


def test_a_session_without_a_seat_is_refused_on_its_capacity(org, setup):
    """A capacity of -1 was refused as training_bad_length ('a length must be more than
    zero minutes'), shown beside the length (issue 24 review)."""
    from organisation.errors import InvalidInput

    _queue, _mentor, programme = setup
    for capacity in (-1, 0):
        with pytest.raises(InvalidInput) as refused:
            session_save(
                programme=programme,
                by=None,
                topic="Products",
                length_minutes=60,
                window_start=NOW,
                window_end=NOW + timedelta(hours=8),
                capacity=capacity,
            )
        assert list(refused.value.extra["fields"]) == ["capacity"]
    assert not programme.sessions.exists()
