"""The training pages (issue 24): a manager builds a programme (sessions, modules), enrols a
trainee, follows the progress and signs off; refusals beside the field they are about; the
operator sees the plan and marks a module done with the time spent."""

from datetime import date

import pytest
from django.urls import reverse

from organisation.models import Proficiency
from organisation.roles import Role
from organisation.services.proficiency import proficiency_set
from scheduling.models import ClassroomSession, Enrolment, ModuleCompletion, TrainingProgramme
from scheduling.services.training import module_save, programme_create
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


def test_manager_creates_a_programme_with_sessions_and_enrols(org, queue, login):
    client = login(org.manager_a)
    page = client.get(reverse("web:training"))
    assert page.status_code == 200
    created = client.post(
        reverse("web:training"),
        {
            "form": "programme",
            "name": "Retail basics",
            "queue": str(queue.pk),
            "target_level": "junior",
            "min_supervised_hours": "4",
            "max_supervised_hours": "20",
            "required_supervised_hours": "40",
        },
    )
    assert created.status_code == 302
    programme = TrainingProgramme.objects.get()
    assert programme.required_supervised_minutes == 2400
    url = reverse("web:training-programme", args=[programme.pk])
    session = {
        "form": "session",
        "topic": "Products",
        "length_minutes": "120",
        "day": "2026-03-24",
        "window_from": "09:00",
        "window_to": "17:00",
        "trainer": str(org.op_a2.pk),
        "capacity": "8",
        "room": "",
    }
    assert client.post(url, session).status_code == 302
    stored = ClassroomSession.objects.get()
    assert stored.window_start.isoformat() == "2026-03-24T08:00:00+00:00"  # 09:00 CET
    too_long = client.post(url, session | {"length_minutes": "600", "trainer": ""})
    assert too_long.status_code == 200
    assert b"longer than the window" in too_long.content
    assert b'id="id_length_minutes_error"' in too_long.content
    double = client.post(url, session | {"length_minutes": "420"})  # 2 h + 7 h in 8 h
    assert b"already gives another session" in double.content
    assert ClassroomSession.objects.count() == 1
    enrolled = client.post(url, {"form": "enrol", "employee": str(org.op_a1.pk)})
    assert enrolled.status_code == 302
    enrolment = Enrolment.objects.get()
    page = client.get(reverse("web:training-enrolment", args=[enrolment.pk]))
    assert b"0:00 / 40:00" in page.content
    refused = client.post(
        reverse("web:training-enrolment-action", args=[enrolment.pk, "sign-off"]), follow=True
    )
    assert b"supervised hours the programme requires" in refused.content
    assert b"0.0 of 40.0 hours reached" in refused.content
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_enrolling_without_a_mentor_says_so_beside_the_operator(org, login):
    energy = queue_make(site=org.amsterdam, name="Energy")
    programme = programme_create(site=org.amsterdam, queue=energy, by=None, name="Energy")
    client = login(org.manager_a)
    page = client.post(
        reverse("web:training-programme", args=[programme.pk]),
        {"form": "enrol", "employee": str(org.op_a1.pk)},
    )
    assert b"Nobody on the programme" in page.content
    assert b'id="id_employee_error"' in page.content
    assert not Enrolment.objects.exists()


def test_the_operator_marks_a_module_done_with_the_time_spent(org, queue, login):
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Basics")
    module = module_save(
        programme=programme, by=None, title="Tone of voice", kind="video", expected_minutes=25
    )
    client = login(org.manager_a)
    client.post(
        reverse("web:training-programme", args=[programme.pk]),
        {"form": "enrol", "employee": str(org.op_a1.pk)},
    )
    enrolment = Enrolment.objects.get()
    operator = login(org.op_a1.user)
    page = operator.get(reverse("web:my-training"))
    assert b"Tone of voice" in page.content
    done = operator.post(
        reverse("web:my-module-done", args=[enrolment.pk, module.pk]), {"minutes": "40"}
    )
    assert done.status_code == 302
    assert ModuleCompletion.objects.get().minutes == 40
    after = operator.get(reverse("web:my-training")).content.decode()
    assert "done " in after
    # A finished module offers no Done button any more (issue 24 review).
    assert reverse("web:my-module-done", args=[enrolment.pk, module.pk]) not in after
    other = login(org.op_a2.user)
    assert (
        other.post(reverse("web:my-module-done", args=[enrolment.pk, module.pk])).status_code == 404
    )
    assert other.get(reverse("web:training")).status_code == 403


def test_proficiency_page_records_a_level(org, queue, login):
    client = login(org.manager_a)
    saved = client.post(
        reverse("web:training-proficiency"),
        {
            "employee": str(org.op_a1.pk),
            "queue": str(queue.pk),
            "level": "junior",
            "reached_on": "2026-02-01",
        },
    )
    assert saved.status_code == 302
    page = client.get(reverse("web:training-proficiency"))
    assert b"Junior" in page.content or b"junior" in page.content


def test_a_placed_session_shows_on_my_week_and_in_my_calendar_feed(org, queue, login):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from scheduling.models import PlacedActivity, Roster
    from scheduling.services.calendar_feeds import calendar_feed_text
    from scheduling.services.training import session_save

    ams = ZoneInfo("Europe/Amsterdam")
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Basics")
    start = datetime(2026, 3, 24, 14, 0, tzinfo=ams)
    session = session_save(
        programme=programme,
        by=None,
        topic="Products",
        length_minutes=120,
        window_start=start - timedelta(hours=5),
        window_end=start + timedelta(hours=3),
        room="Room 2",
    )
    roster = Roster.objects.create(
        site=org.amsterdam,
        scope_key="site:x",
        start_date=date(2026, 3, 23),
        days=7,
        version=3,
        status=Roster.Status.PUBLISHED,
    )
    PlacedActivity.objects.create(
        roster=roster,
        employee=org.op_a1,
        session=session,
        start=start,
        end=start + timedelta(hours=2),
        explanation={"cover_cost_agent_hours": 0.5},
    )
    week = login(org.op_a1.user).get(reverse("web:my-week") + "?week=2026-03-23")
    assert (
        b"14:00\xe2\x80\x9316:00</strong> \xc2\xb7 Training: Products \xc2\xb7 Room 2"
        in week.content
    )
    feed = calendar_feed_text(employee=org.op_a1, now=start - timedelta(days=1))
    assert "SUMMARY:Training: Products (Basics)" in feed
    assert "DTSTART;TZID=Europe/Amsterdam:20260324T140000" in feed
    assert "LOCATION:Room 2" in feed
    assert f"UID:session-{session.pk}-{org.op_a1.pk}@wfm" in feed.replace("\r\n ", "")
    # The event says what it is (its description was empty; issue 24 review).
    assert (
        "DESCRIPTION:Classroom session of the programme Basics: Products\\, 120 min\\, "
        "Room 2. Placed by the published roster."
    ) in feed.replace("\r\n ", "")
    # My training lists the plan's sessions that already passed too, marked past.
    from scheduling.services.training_progress import enrolment_create

    enrolment_create(
        programme=programme, employee=org.op_a1, by=None, now=start - timedelta(days=7)
    )
    mine = login(org.op_a1.user).get(reverse("web:my-training")).content.decode()
    assert "No sessions planned" not in mine
    assert '<li class="past">Tue 24 Mar 14:00' in mine


def test_the_roster_shows_its_placed_sessions_and_pairing(org, queue, login):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from scheduling.models import MentorPairing, PlacedActivity, Roster
    from scheduling.services.training import session_save

    ams = ZoneInfo("Europe/Amsterdam")
    programme = programme_create(site=org.amsterdam, queue=queue, by=None, name="Basics")
    start = datetime(2026, 3, 24, 14, 0, tzinfo=ams)
    session = session_save(
        programme=programme,
        by=None,
        topic="Products",
        length_minutes=120,
        window_start=start - timedelta(hours=5),
        window_end=start + timedelta(hours=3),
    )
    roster = Roster.objects.create(
        site=org.amsterdam,
        scope_key=f"site:{org.amsterdam.pk}",
        start_date=date(2026, 3, 23),
        days=7,
        version=1,
        solver={
            "training_shortfalls": [
                {"rule": "no_mentor", "message": "No mentor for Sem", "intervals": []}
            ]
        },
    )
    why = {
        "cover_cost_agent_hours": 0.25,
        "best_cost_agent_hours": 0.25,
        "worst_cost_agent_hours": 2,
    }
    for person in (org.op_a1, org.op_a2):
        PlacedActivity.objects.create(
            roster=roster,
            employee=person,
            session=session,
            start=start,
            end=start + timedelta(hours=2),
            explanation=why,
        )
    MentorPairing.objects.create(
        roster=roster,
        trainee=org.op_a1,
        mentor=org.op_a2,
        queue=queue,
        start=start + timedelta(hours=2),
        end=start + timedelta(hours=4),
    )
    page = login(org.manager_a).get(reverse("web:roster-training", args=[roster.pk]))
    text = page.content.decode()
    assert "Tue 24 Mar 14:00\u201316:00" in text
    assert "Costs 0.25 agent-hours of cover; the best allowed slot 0.25, the worst 2.00." in text
    assert f"{org.op_a1.full_name}, {org.op_a2.full_name}" in text
    assert "Tue 24 Mar 16:00\u201318:00" in text
    assert "No mentor for Sem" in text
    assert (
        login(org.manager_b).get(reverse("web:roster-training", args=[roster.pk])).status_code
        == 404
    )
    # A manager of another team at the same site does not see this team's trainees either.
    from scheduling.selectors.rosters import scope_key
    from tests.factories import team_make, user_make

    neighbour = user_make(role=Role.MANAGER)
    team_make(site=org.amsterdam, managers=[neighbour])
    team_roster = Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key=scope_key(site=org.amsterdam, team=org.team_a),
        start_date=date(2026, 3, 23),
        days=7,
        version=1,
    )
    url = reverse("web:roster-training", args=[team_roster.pk])
    assert login(org.manager_a).get(url).status_code == 200
    assert login(neighbour).get(url).status_code == 404


def test_a_refused_build_lists_who_and_why_on_the_job_page(org, login):
    from organisation.models import Job

    job = Job.objects.create(
        kind="roster_build",
        status=Job.Status.FAILED,
        created_by=org.manager_a,
        result={
            "code": "roster_rules_contradict",
            "extra": {
                "contradictions": [
                    {
                        "employee": str(org.op_a1.pk),
                        "name": "Daan Bakker",
                        "rule": "no_mentor",
                        "message": "trainee on Retail NL: no mentor of it can work a day the "
                        "trainee can",
                    }
                ]
            },
        },
    )
    page = login(org.manager_a).get(reverse("web:job", args=[job.pk]))
    text = page.content.decode()
    assert "The rules contradict each other for some people." in text
    assert "<strong>Daan Bakker</strong>: trainee on Retail NL: no mentor" in text


def _week_roster(org, *, team=None, **fields):
    """Version 1 of the week of 23 March 2026 at Amsterdam (the site's, or `team`'s)."""
    from scheduling.models import Roster
    from scheduling.selectors.rosters import scope_key

    return Roster.objects.create(
        site=org.amsterdam,
        team=team,
        scope_key=scope_key(site=org.amsterdam, team=team),
        start_date=date(2026, 3, 23),
        days=7,
        version=1,
        **fields,
    )


def test_a_site_roster_training_page_is_read_by_a_manager_of_a_team_with_people_in_it(
    org, queue, login
):
    """The demo's roster is a site roster; each team's manager signs off its trainees but got
    'Not allowed' on its Training and meetings page, which wanted a manager of every team of
    the site (issue 24 review). A manager of a team of the site whose trainees or mentors are
    in it reads it; one whose people are not is refused; another site's never sees it."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from scheduling.models import MentorPairing
    from tests.factories import team_make, user_make

    neighbour = user_make(role=Role.MANAGER)
    team_make(site=org.amsterdam, managers=[neighbour])  # the site has two teams now
    roster = _week_roster(org)
    start = datetime(2026, 3, 24, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    MentorPairing.objects.create(
        roster=roster,
        trainee=org.op_a1,
        mentor=org.op_a2,
        queue=queue,
        start=start,
        end=start + timedelta(hours=2),
    )
    url = reverse("web:roster-training", args=[roster.pk])
    page = login(org.manager_a).get(url)
    assert page.status_code == 200
    assert org.op_a1.full_name in page.content.decode()
    assert login(neighbour).get(url).status_code == 403
    assert login(org.manager_b).get(url).status_code == 404


def test_training_shortfalls_read_in_the_readers_language_with_local_times(org, login):
    """A roster's training shortfalls are stored as sentences (code and values) and shown in
    the reader's language, their intervals as local days and times (issue 24 review: English
    text and ISO intervals on the Dutch page); one stored before as text shows its text."""
    roster = _week_roster(
        org,
        team=org.team_a,
        solver={
            "training_shortfalls": [
                {
                    "rule": "trainee_without_mentor",
                    "message": "Sem is on Retail NL's phone without a mentor with room in 2 "
                    "intervals",
                    "name": "Sem",
                    "intervals": ["2026-03-24T15:00", "2026-03-24T15:30"],
                    "reason": {
                        "code": "trainee_without_mentor",
                        "values": {"name": "Sem", "queue": "Retail NL", "count": 2},
                    },
                },
                {"rule": "no_mentor", "message": "Older text for Noor", "intervals": []},
            ]
        },
    )
    url = reverse("web:roster-training", args=[roster.pk])
    english = login(org.manager_a).get(url).content.decode()
    assert (
        "Sem is on the phone of Retail NL without a mentor with room in 2 intervals "
        "<small>(Tue 24 Mar 15:00, Tue 24 Mar 15:30)</small>"
    ) in english
    assert "Older text for Noor" in english
    dutch = login(org.manager_a, language="nl").get(url).content.decode()
    assert (
        "Sem staat in 2 intervallen aan de telefoon van Retail NL zonder mentor met ruimte "
        "<small>(di 24 mrt 15:00, di 24 mrt 15:30)</small>"
    ) in dutch
    assert "2026-03-24T15:00" not in dutch
