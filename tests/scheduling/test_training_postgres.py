"""Training on PostgreSQL with real threads (issue 24): two sessions saved at once for one
trainer whose windows cannot hold both: one is saved, the other refused; one operator
enrolled twice at once: one enrolment, the other refused."""

from datetime import UTC, date, datetime, timedelta

import pytest

from organisation.models import Proficiency
from organisation.services.proficiency import proficiency_set
from scheduling.errors import TrainerDoubleBooked, TrainingAlreadyEnrolled
from scheduling.models import ClassroomSession, Enrolment
from scheduling.services.training import programme_create, session_save
from scheduling.services.training_progress import enrolment_create
from tests.factories import queue_make
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]
NOW = datetime(2026, 3, 23, 9, tzinfo=UTC)


def test_a_trainer_booked_twice_at_once_gets_one_session(org) -> None:
    queue = queue_make(site=org.amsterdam, name="Retail NL")
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Basics")

    def save(topic: str):  # type: ignore[no-untyped-def]
        return lambda: session_save(
            programme=programme,
            by=None,
            topic=topic,
            length_minutes=120,
            window_start=NOW,
            window_end=NOW + timedelta(hours=3),
            trainer=org.op_a2,
        )

    for _ in range(5):
        ClassroomSession.objects.all().delete()
        results = race(save("A"), save("B"))
        assert sum(isinstance(r, ClassroomSession) for r in results) == 1
        assert sum(isinstance(r, TrainerDoubleBooked) for r in results) == 1
        assert ClassroomSession.objects.count() == 1


def test_one_operator_enrolled_twice_at_once_has_one_plan(org) -> None:
    queue = queue_make(site=org.amsterdam, name="Retail NL")
    proficiency_set(
        employee=org.op_a2,
        queue=queue,
        level=Proficiency.MENTOR,
        reached_on=date(2025, 1, 1),
        by=None,
    )
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Basics")

    def enrol():  # type: ignore[no-untyped-def]
        return enrolment_create(programme=programme, employee=org.op_a1, by=None, now=NOW)

    results = race(enrol, enrol)
    assert sum(isinstance(r, Enrolment) for r in results) == 1
    assert sum(isinstance(r, TrainingAlreadyEnrolled) for r in results) == 1
    assert Enrolment.objects.count() == 1
