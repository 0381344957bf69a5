"""Rosters through the API: build as a job, review, edit under the rules, publish once,
revise into a new version, and operators' own schedule and calendar feed."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from organisation.local_grid import local_day_bounds
from organisation.models import Job
from scheduling.models import Roster, RosterChange, RosterNotice, Shift
from scheduling.selectors.roster_working_time import roster_working_time_check
from tests.conftest import Org, client_for
from tests.factories.rosters import RosterSetup, roster_setup, staffing_make, template_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org: Org) -> RosterSetup:
    return roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2])


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test transaction never commits: run on-commit work (jobs, notices) at once, as a
    commit would, so that the requests below see its effects."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def build(org: Org, setup: RosterSetup, **extra: Any) -> Roster:
    body = {"team": str(setup.team.pk), "start": str(setup.start), "days": setup.days}
    response = client_for(org.manager_a).post(
        "/api/v1/rosters", {"time_limit_seconds": 5, **body, **extra}, format="json"
    )
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.message
    return Roster.objects.get(pk=job.result["roster"])


def test_build_saves_a_draft_that_covers_demand_and_breaks_no_rule(
    org: Org, setup: RosterSetup
) -> None:
    roster = build(org, setup)
    assert roster.status == Roster.Status.DRAFT
    assert roster.version == 1
    assert roster.solver["status"] in {"optimal", "feasible"}
    assert set(roster.solver["terms"]) >= {"under_cover", "paid"}
    review = client_for(org.manager_a).get(f"/api/v1/rosters/{roster.pk}/review").json()
    assert review["violations"] == []
    assert review["totals"]["under_agent_intervals"] == 0
    assert review["totals"]["intervals_fully_covered_pct"] == 100.0
    # 2 agents x 8 h x 5 days, a 30-min lunch each: at least 10 shifts.
    assert review["totals"]["shifts"] >= 10
    shifts = Shift.objects.filter(roster=roster)
    assert all(s.state == Roster.Status.DRAFT and s.breaks.count() == 1 for s in shifts)
    assert all(s.local_date.weekday() < 5 for s in shifts)
    assert RosterChange.objects.filter(roster=roster, action="built").count() == 1


def test_build_job_reports_objective_and_bound(org: Org, setup: RosterSetup) -> None:
    roster = build(org, setup)
    job = roster.job
    assert job is not None
    assert job.result["objective"] == roster.solver["objective"]
    assert roster.solver["trace"], "the solver's objective/bound trace is kept"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"start": "2020-01-06"}, "roster_period_in_past"),
        ({"days": 113}, "roster_period_too_long"),
    ],
)
def test_bad_periods_are_refused(
    org: Org, setup: RosterSetup, change: dict[str, Any], code: str
) -> None:
    body = {"team": str(setup.team.pk), "start": str(setup.start), "days": 7, **change}
    response = client_for(org.manager_a).post("/api/v1/rosters", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Job.objects.exists()


def test_templates_that_cannot_cover_the_evening_are_refused(org: Org, setup: RosterSetup) -> None:
    staffing_make(
        queue=setup.queue,
        first_day=setup.start + timedelta(days=7),
        days=7,
        agents=1,
        hours=range(21, 23),
    )
    body = {"team": str(setup.team.pk), "start": str(setup.start + timedelta(days=7)), "days": 7}
    response = client_for(org.manager_a).post("/api/v1/rosters", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "templates_cannot_cover"
    assert response.json()["extra"]["intervals"] == 10  # 2 hours x 5 weekdays


def test_a_team_without_operators_cannot_be_rostered(org: Org) -> None:
    body = {"team": str(org.team_b.pk), "start": "2030-01-07", "days": 7}
    org.op_b1.delete()
    response = client_for(org.manager_b).post("/api/v1/rosters", body, format="json")
    assert response.json()["code"] == "roster_no_operators"


def test_no_staffing_means_forecast_first(org: Org, setup: RosterSetup) -> None:
    body = {"team": str(setup.team.pk), "start": str(setup.start + timedelta(days=70)), "days": 7}
    response = client_for(org.manager_a).post("/api/v1/rosters", body, format="json")
    assert response.json()["code"] == "roster_no_staffing"


def test_only_the_teams_managers_build(org: Org, setup: RosterSetup) -> None:
    body = {"team": str(setup.team.pk), "start": str(setup.start), "days": 7}
    operator = client_for(org.op_a1.user).post("/api/v1/rosters", body, format="json")
    other = client_for(org.manager_b).post("/api/v1/rosters", body, format="json")
    assert operator.status_code == 403
    assert other.status_code == 400
    assert other.json()["extra"]["fields"]["team"][0]["code"] == "does_not_exist"
    assert not Job.objects.exists()


def test_publish_notifies_each_operator_once_and_twice_has_one_effect(
    org: Org, setup: RosterSetup
) -> None:
    for person in setup.people:
        person.user.email = f"{person.user.username}@example.com"
        person.user.save()
    roster = build(org, setup)
    manager = client_for(org.manager_a)
    first = manager.post(f"/api/v1/rosters/{roster.pk}/publish")
    second = manager.post(f"/api/v1/rosters/{roster.pk}/publish")
    assert first.status_code == second.status_code == 200
    assert first.json()["already_published"] is False
    assert second.json()["already_published"] is True
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PUBLISHED
    assert len(roster.content_sha256) == 64
    working = set(roster.shifts.values_list("employee_id", flat=True))
    assert RosterNotice.objects.filter(roster=roster).count() == len(working)
    assert len(mail.outbox) == len(working)
    assert RosterChange.objects.filter(roster=roster, action="published").count() == 1
    assert set(roster.shifts.values_list("state", flat=True)) == {"published"}


def _two_shifts_in_a_row(roster: Roster) -> tuple[Shift, Shift]:
    for shift in roster.shifts.order_by("employee", "start"):
        following = roster.shifts.filter(
            employee=shift.employee, local_date=shift.local_date + timedelta(days=1)
        ).first()
        if following is not None:
            return shift, following
    raise AssertionError("no one works two days in a row")


def test_an_edit_that_breaks_rest_is_refused_then_kept_with_a_reason(
    org: Org, setup: RosterSetup
) -> None:
    roster = build(org, setup)
    first, second = _two_shifts_in_a_row(roster)
    # Start the next day's shift 9 h after this one ends: below the 11 h rest.
    late_start = first.end + timedelta(hours=9)
    body = {"start": late_start.isoformat()}
    manager = client_for(org.manager_a)
    refused = manager.patch(f"/api/v1/shifts/{second.pk}", body, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "roster_edit_breaks_rules"
    assert {v["rule"] for v in refused.json()["extra"]["violations"]} >= {"min_rest"}
    second.refresh_from_db()
    assert second.start != late_start  # nothing changed
    no_reason = manager.patch(
        f"/api/v1/shifts/{second.pk}", {**body, "override": True}, format="json"
    )
    assert no_reason.status_code == 400
    kept = manager.patch(
        f"/api/v1/shifts/{second.pk}",
        {**body, "override": True, "reason": "Agreed with the operator"},
        format="json",
    )
    assert kept.status_code == 200, kept.json()
    second.refresh_from_db()
    assert second.start == late_start
    assert second.end == late_start + timedelta(hours=8)
    change = RosterChange.objects.get(roster=roster, action="moved")
    assert change.reason == "Agreed with the operator"
    assert change.actor == org.manager_a
    assert change.violations
    assert change.before["start"] != change.after["start"]


def test_overlapping_manual_shift_is_refused(org: Org, setup: RosterSetup) -> None:
    roster = build(org, setup)
    shift = roster.shifts.first()
    assert shift is not None
    body = {
        "employee": str(shift.employee_id),
        "template": str(setup.template.pk),
        "queue": str(setup.queue.pk),
        "start": (shift.start + timedelta(hours=2)).isoformat(),
        "end": (shift.end + timedelta(hours=2)).isoformat(),
        "override": True,
        "reason": "test",
    }
    response = client_for(org.manager_a).post(
        f"/api/v1/rosters/{roster.pk}/shifts", body, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "shift_overlap"
    assert response.json()["extra"]["shift"] == str(shift.pk)


def test_naive_datetimes_are_refused(org: Org, setup: RosterSetup) -> None:
    roster = build(org, setup)
    shift = roster.shifts.first()
    assert shift is not None
    response = client_for(org.manager_a).patch(
        f"/api/v1/shifts/{shift.pk}", {"start": "2030-01-07T09:00:00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["start"][0]["code"] == "naive"


def test_editing_a_published_roster_makes_a_new_version_with_a_diff(
    org: Org, setup: RosterSetup
) -> None:
    roster = build(org, setup)
    manager = client_for(org.manager_a)
    manager.post(f"/api/v1/rosters/{roster.pk}/publish")
    mail.outbox.clear()
    published_hash = Roster.objects.get(pk=roster.pk).content_sha256
    shift = roster.shifts.order_by("start").first()
    assert shift is not None
    response = manager.patch(f"/api/v1/shifts/{shift.pk}", {"activity": "training"}, format="json")
    assert response.status_code == 200, response.json()
    draft = Roster.objects.get(pk=response.json()["roster"])
    assert draft.version == 2
    assert draft.based_on_id == roster.pk
    shift.refresh_from_db()
    assert shift.activity == "phone"  # the published version never changes
    diff = manager.get(f"/api/v1/rosters/{draft.pk}/diff").json()
    assert diff["against_version"] == 1
    assert len(diff["added"]) == len(diff["removed"]) == 1
    published = manager.post(f"/api/v1/rosters/{draft.pk}/publish").json()
    assert published["previous_version"] == 1
    assert published["notified"] == 1  # only the operator whose shift changed
    roster.refresh_from_db()
    assert roster.status == Roster.Status.SUPERSEDED
    assert roster.content_sha256 == published_hash
    again = manager.post(f"/api/v1/rosters/{roster.pk}/publish")
    assert again.status_code == 409
    assert again.json()["code"] == "roster_superseded"


def test_resolve_keeps_pinned_shifts(org: Org, setup: RosterSetup) -> None:
    roster = build(org, setup)
    manager = client_for(org.manager_a)
    shift = roster.shifts.order_by("start").first()
    assert shift is not None
    assert (
        manager.post(f"/api/v1/shifts/{shift.pk}/pin", {"pinned": True}, format="json").status_code
        == 200
    )
    response = manager.post(
        f"/api/v1/rosters/{roster.pk}/resolve", {"time_limit_seconds": 5}, format="json"
    )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.message
    again = Roster.objects.get(pk=job.result["roster"])
    assert again.version == 2
    kept = again.shifts.get(employee=shift.employee, start=shift.start)
    assert kept.end == shift.end
    assert kept.pinned
    assert kept.origin == shift.pk


def test_operators_see_their_published_shifts_and_not_drafts(org: Org, setup: RosterSetup) -> None:
    roster = build(org, setup)
    operator = client_for(org.op_a1.user)
    assert operator.get(f"/api/v1/rosters/{roster.pk}").status_code == 404
    manager = client_for(org.manager_a)
    mine = roster.shifts.filter(employee=org.op_a1).first()
    theirs = roster.shifts.exclude(employee=org.op_a1).first()
    assert mine is not None
    assert theirs is not None
    Shift.objects.filter(pk__in=[mine.pk, theirs.pk]).update(note="private note")
    manager.post(f"/api/v1/rosters/{roster.pk}/publish")
    shifts = operator.get(f"/api/v1/rosters/{roster.pk}/shifts").json()
    notes = {s["id"]: s["note"] for s in shifts}
    assert notes[str(mine.pk)] == "private note"
    assert notes[str(theirs.pk)] == ""
    assert "hourly_rate" not in str(shifts)
    week = {"start": str(setup.start), "end": str(setup.start + timedelta(days=6))}
    own = operator.get("/api/v1/me/shifts", week).json()
    assert own
    assert {s["employee"] for s in own} == {str(org.op_a1.pk)}
    assert operator.post(f"/api/v1/rosters/{roster.pk}/publish").status_code == 403
    assert client_for(org.manager_b).get(f"/api/v1/rosters/{roster.pk}").status_code == 404


def test_calendar_feed_has_local_times_and_can_be_revoked(
    org: Org, setup: RosterSetup, client: Any
) -> None:
    roster = build(org, setup)
    client_for(org.manager_a).post(f"/api/v1/rosters/{roster.pk}/publish")
    operator = client_for(org.op_a1.user)
    url = operator.post("/api/v1/me/calendar-feed").json()["url"]
    path = url.split("testserver", 1)[1]
    text = client.get(path).content.decode()
    shift = roster.shifts.filter(employee=org.op_a1).order_by("start").first()
    assert shift is not None
    local = shift.start.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
    assert f"DTSTART;TZID=Europe/Amsterdam:{local:%Y%m%dT%H%M%S}" in text
    assert "BEGIN:VTIMEZONE" in text
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == roster.shifts.filter(employee=org.op_a1).count()
    rotated = operator.post("/api/v1/me/calendar-feed").json()["url"]
    assert client.get(path).status_code == 404  # the old URL stops working
    assert client.get(rotated.split("testserver", 1)[1]).status_code == 200
    operator.delete("/api/v1/me/calendar-feed")
    assert client.get(rotated.split("testserver", 1)[1]).status_code == 404


def test_export_csv_lists_every_shift_in_local_time(org: Org, setup: RosterSetup) -> None:
    roster = build(org, setup)
    response = client_for(org.manager_a).get(f"/api/v1/rosters/{roster.pk}/export")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("employee_number,employee_name,local_date,start,end")
    assert len(lines) == 1 + roster.shifts.count()
    assert all("+01:00" in line for line in lines[1:])  # CET in winter, with its offset


def test_night_template_crossing_midnight(org: Org, setup: RosterSetup) -> None:
    template_make(
        site=setup.team.site,
        name="Night",
        earliest_start=__import__("datetime").time(22),
        latest_start=__import__("datetime").time(22),
        lengths_minutes=[480],
        breaks=[],
    )
    staffing_make(
        queue=setup.queue,
        first_day=setup.start + timedelta(days=14),
        days=7,
        agents=1,
        hours=range(0, 6),
        weekdays=frozenset({1}),
    )
    body = {"team": str(setup.team.pk), "start": str(setup.start + timedelta(days=14)), "days": 7}
    response = client_for(org.manager_a).post("/api/v1/rosters", body, format="json")
    job = Job.objects.get(pk=response.json()["id"])
    roster = Roster.objects.get(pk=job.result["roster"])
    night = roster.shifts.get()
    assert night.local_date.weekday() == 0  # Monday 22:00 covers Tuesday 00:00-06:00
    assert night.end - night.start == timedelta(hours=8)


def test_working_time_rules_warn_or_block_publication(
    org: Org, setup: RosterSetup, settings: Any
) -> None:
    roster = build(org, setup)
    first, second = _two_shifts_in_a_row(roster)
    manager = client_for(org.manager_a)
    body = {
        "start": (first.end + timedelta(hours=9)).isoformat(),
        "override": True,
        "reason": "Stock-taking",
    }
    assert manager.patch(f"/api/v1/shifts/{second.pk}", body, format="json").status_code == 200
    settings.WFM_WORKING_TIME_POLICY = "enforce"
    blocked = manager.post(f"/api/v1/rosters/{roster.pk}/publish")
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "working_time_violations"
    assert {v["rule"] for v in blocked.json()["extra"]["violations"]} == {"daily_rest"}
    assert Roster.objects.get(pk=roster.pk).status == Roster.Status.DRAFT
    settings.WFM_WORKING_TIME_POLICY = "warn"
    published = manager.post(f"/api/v1/rosters/{roster.pk}/publish").json()
    assert [w["rule"] for w in published["working_time_warnings"]] == ["daily_rest"]
    assert "9 h of rest" in published["working_time_warnings"][0]["message"]
    assert published["working_time_warnings"][0]["name"] == second.employee.full_name


def test_working_time_check_reads_in_a_fixed_number_of_queries(
    org: Org, setup: RosterSetup, django_assert_num_queries: Any
) -> None:
    """Each warning names its person: the people come with their users, not one query each
    (a 500-operator publish diff took 512 queries)."""
    roster = build(org, setup)
    first, second = _two_shifts_in_a_row(roster)
    second.start = first.end + timedelta(hours=9)
    second.save(update_fields=["start"])
    with django_assert_num_queries(4):  # people with users, shifts, breaks, site
        warnings = roster_working_time_check(roster=roster, previous=None)
    assert [w["rule"] for w in warnings] == ["daily_rest"]


def test_published_cover_counts_agree_with_the_review(org: Org, setup: RosterSetup) -> None:
    from scheduling.selectors.roster_demand import phone_cover
    from scheduling.selectors.rosters import shifts_of

    roster = build(org, setup)
    midnight, _end = local_day_bounds(
        first_day=roster.start_date, last_day=roster.start_date, timezone=roster.site.timezone
    )
    cover = phone_cover(
        shifts_of(roster=roster),
        first_day=roster.start_date,
        interval_minutes=roster.interval_minutes,
        tz=roster.site.timezone,
        origin=midnight,
    )
    review = client_for(org.manager_a).get(f"/api/v1/rosters/{roster.pk}/review").json()
    scheduled = {
        (datetime.fromisoformat(row["local_start"]) - midnight)
        // timedelta(minutes=roster.interval_minutes): row["scheduled"]
        for row in review["cover"]
    }
    assert {t: n for (_, t), n in cover.items()} == {t: n for t, n in scheduled.items() if n}
