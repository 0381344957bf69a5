"""Training over /api/v1/ (issue 24): managers edit, operators see their own plan and mark
their modules done; refusals with their stable code."""

from datetime import date

import pytest

from organisation.models import Proficiency
from organisation.services.proficiency import proficiency_set
from scheduling.models import Enrolment, ModuleCompletion
from tests.conftest import client_for
from tests.factories import queue_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(org):
    queue = queue_make(site=org.amsterdam, name="Retail NL")
    proficiency_set(
        employee=org.op_a2,
        queue=queue,
        level=Proficiency.MENTOR,
        reached_on=date(2025, 1, 1),
        by=None,
    )
    return queue


def _programme(client, queue, **extra):
    body = {"queue": str(queue.pk), "name": "Basics", "required_supervised_minutes": 600} | extra
    return client.post("/api/v1/training/programmes", body, format="json")


def test_manager_builds_a_programme_and_enrols_the_operator_who_marks_a_module_done(org, queue):
    manager = client_for(org.manager_a)
    created = _programme(manager, queue)
    assert created.status_code == 201, created.json()
    pid = created.json()["id"]
    session = manager.post(
        f"/api/v1/training/programmes/{pid}/sessions",
        {
            "topic": "Products",
            "length_minutes": 120,
            "window_start": "2026-03-24T09:00:00+01:00",
            "window_end": "2026-03-24T17:00:00+01:00",
            "trainer": str(org.op_a2.pk),
            "room": "Room 2",
        },
        format="json",
    )
    assert session.status_code == 201, session.json()
    module = manager.post(
        f"/api/v1/training/programmes/{pid}/modules",
        {"title": "Tone of voice", "kind": "video", "expected_minutes": 25},
        format="json",
    )
    assert module.status_code == 201
    enrolled = manager.post(
        f"/api/v1/training/programmes/{pid}/enrolments",
        {"employee": str(org.op_a1.pk)},
        format="json",
    )
    assert enrolled.status_code == 201, enrolled.json()
    eid = enrolled.json()["id"]

    operator = client_for(org.op_a1.user)
    mine = operator.get("/api/v1/training/enrolments").json()["results"]
    assert [row["id"] for row in mine] == [eid]
    assert operator.get(f"/api/v1/training/programmes/{pid}").status_code == 200
    done = operator.post(
        f"/api/v1/training/enrolments/{eid}/modules-done",
        {"module": module.json()["id"], "minutes": 30},
        format="json",
    )
    assert done.status_code == 200
    assert ModuleCompletion.objects.get().minutes == 30
    progress = operator.get(f"/api/v1/training/enrolments/{eid}/progress").json()
    assert (progress["modules_done"], progress["sessions_total"]) == (1, 1)

    short = manager.post(f"/api/v1/training/enrolments/{eid}/sign-off")
    assert short.status_code == 409
    assert short.json()["code"] == "training_hours_short"
    assert Enrolment.objects.get().status == "active"


def test_operators_cannot_edit_and_others_do_not_see(org, queue):
    operator = client_for(org.op_a1.user)
    assert _programme(operator, queue).status_code == 403
    created = _programme(client_for(org.manager_a), queue).json()
    other = client_for(org.manager_b)
    assert other.get(f"/api/v1/training/programmes/{created['id']}").status_code == 404
    assert operator.get(f"/api/v1/training/programmes/{created['id']}").status_code == 404
    level = operator.post(
        "/api/v1/training/proficiency",
        {
            "employee": str(org.op_a1.pk),
            "queue": str(queue.pk),
            "level": "mentor",
            "reached_on": "2026-01-01",
        },
        format="json",
    )
    assert level.status_code == 403


def test_bad_input_has_stable_codes(org, queue):
    manager = client_for(org.manager_a)
    negative = _programme(manager, queue, required_supervised_minutes=-1)
    assert negative.json()["code"] == "training_bad_length"
    pid = _programme(manager, queue).json()["id"]
    long = manager.post(
        f"/api/v1/training/programmes/{pid}/sessions",
        {
            "topic": "All day",
            "length_minutes": 600,
            "window_start": "2026-03-24T09:00:00+01:00",
            "window_end": "2026-03-24T17:00:00+01:00",
        },
        format="json",
    )
    assert (long.status_code, long.json()["code"]) == (400, "training_longer_than_window")
    for capacity in (-1, 0):  # a capacity is no length (issue 24 review): refused on its field
        seats = manager.post(
            f"/api/v1/training/programmes/{pid}/sessions",
            {
                "topic": "Products",
                "length_minutes": 60,
                "capacity": capacity,
                "window_start": "2026-03-24T09:00:00+01:00",
                "window_end": "2026-03-24T17:00:00+01:00",
            },
            format="json",
        )
        assert (seats.status_code, seats.json()["code"]) == (400, "invalid_input")
        assert "capacity" in seats.json()["extra"]["fields"]
    energy = queue_make(site=org.amsterdam, name="Energy")
    lonely = _programme(manager, energy, name="Energy").json()["id"]
    refused = manager.post(
        f"/api/v1/training/programmes/{lonely}/enrolments",
        {"employee": str(org.op_a1.pk)},
        format="json",
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "training_no_mentor")
    meeting = manager.post(
        "/api/v1/training/meetings",
        {
            "site": str(org.amsterdam.pk),
            "title": "Team",
            "length_minutes": 60,
            "attendees": [str(org.op_a1.pk), str(org.op_a2.pk)],
            "min_share": "0.5",
            "window_start": "2026-03-25T10:00:00+01:00",
            "window_end": "2026-03-25T16:00:00+01:00",
        },
        format="json",
    )
    assert meeting.status_code == 201, meeting.json()
    for share in ("1.5", "0"):  # the model's constraint answered with its own name
        wrong = manager.post(
            "/api/v1/training/meetings",
            {
                "site": str(org.amsterdam.pk),
                "title": "Team",
                "length_minutes": 60,
                "attendees": [str(org.op_a1.pk)],
                "min_share": share,
                "window_start": "2026-03-25T10:00:00+01:00",
                "window_end": "2026-03-25T16:00:00+01:00",
            },
            format="json",
        )
        assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_input")
        assert list(wrong.json()["extra"]["fields"]) == ["min_share"], wrong.json()
        assert "meeting_share_in_unit" not in wrong.json()["message"]
