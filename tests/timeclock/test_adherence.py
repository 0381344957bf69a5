"""Adherence and conformance: hand-made cases of the pure computation (timeclock/adherence.py)
and the selector on the database (published shifts and breaks against ACD states, punches
where no feed exists, states across midnight, the DST days of Amsterdam)."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.models import Roster, Shift, ShiftBreak
from scheduling.selectors.rosters import scope_key
from tests.conftest import Org
from tests.factories.punches import punch_make
from timeclock.adherence import Actual, OperatorInput, Planned, Span, adherence_compute
from timeclock.models import AgentState, ClockPolicy
from timeclock.selectors.adherence import adherence_events_live, adherence_report

AMS = ZoneInfo("Europe/Amsterdam")


def _one(planned: list[Span], actual: list[Span], *, minutes: int = 600, judged: int = 600):  # type: ignore[no-untyped-def]
    (result,) = adherence_compute(
        [OperatorInput("a", planned, actual)], minutes=minutes, judged_minutes=judged
    )
    return result


def test_fully_adherent_shift_with_its_break_taken_on_time() -> None:
    planned = [Span(60, 300, Planned.PHONE), Span(150, 165, Planned.BREAK)]
    actual = [Span(60, 300, Actual.PHONE), Span(150, 165, Actual.BREAK)]
    result = _one(planned, actual)
    assert result.figures.scheduled_minutes == 240
    assert result.figures.adherent_minutes == 240
    assert result.figures.adherence_percent == 100.0
    assert result.figures.scheduled_work_minutes == 225
    assert result.figures.conformance_percent == 100.0
    assert result.events == ()


def test_late_break_costs_adherence_twice_but_not_conformance() -> None:
    """A 15-minute break taken 30 minutes late: 15 minutes on the phone in the scheduled
    break and 15 on break when the phone was scheduled: 30 of 240 out; the same work done."""
    planned = [Span(60, 300, Planned.PHONE), Span(150, 165, Planned.BREAK)]
    actual = [Span(60, 300, Actual.PHONE), Span(180, 195, Actual.BREAK)]
    result = _one(planned, actual)
    assert result.figures.adherent_minutes == 210
    assert result.figures.adherence_percent == pytest.approx(87.5)
    assert result.figures.conformance_percent == 100.0
    assert [(e.start_minute, e.end_minute, e.planned, e.actual) for e in result.events] == [
        (150, 165, Planned.BREAK, Actual.PHONE),
        (180, 195, Planned.PHONE, Actual.BREAK),
    ]


def test_late_start_and_overtime_after_the_end() -> None:
    """Logged in 20 minutes late and worked 20 minutes past the end: adherence 200/220,
    conformance 220/220 (the same minutes worked, at other times)."""
    planned = [Span(0, 220, Planned.PHONE)]
    actual = [Span(20, 240, Actual.PHONE)]
    result = _one(planned, actual)
    assert result.figures.adherence_percent == pytest.approx(100 * 200 / 220)
    assert result.figures.conformance_percent == pytest.approx(100.0)
    (event,) = result.events
    assert (event.start_minute, event.minutes, event.actual) == (0, 20, Actual.ABSENT)


def test_short_lapses_under_the_threshold_are_no_event() -> None:
    planned = [Span(0, 100, Planned.PHONE)]
    actual = [Span(0, 50, Actual.PHONE), Span(54, 100, Actual.PHONE)]
    result = _one(planned, actual)
    assert result.figures.adherent_minutes == 96
    assert result.events == ()
    (event,) = adherence_compute(
        [OperatorInput("a", planned, actual)], minutes=600, judged_minutes=600, threshold_minutes=4
    )[0].events
    assert event.minutes == 4


def test_only_the_minutes_up_to_now_are_judged_and_an_open_lapse_is_ongoing() -> None:
    planned = [Span(0, 480, Planned.PHONE)]
    actual = [Span(0, 100, Actual.PHONE), Span(100, 120, Actual.NOT_READY)]
    result = _one(planned, actual, judged=120)
    assert result.figures.scheduled_minutes == 120
    (event,) = result.events
    assert event.ongoing
    assert event.actual == Actual.NOT_READY


def test_meeting_and_punch_only_working_and_no_schedule() -> None:
    planned = [Span(0, 60, Planned.MEETING), Span(60, 120, Planned.PHONE)]
    assert _one(planned, [Span(0, 120, Actual.WORKING)]).figures.adherence_percent == 100.0
    away = _one(planned, [Span(0, 60, Actual.PHONE), Span(60, 120, Actual.PHONE)])
    assert away.figures.adherent_minutes == 60
    idle = _one([], [Span(0, 60, Actual.PHONE)])
    assert idle.figures.adherence_percent is None
    assert idle.figures.conformance_percent is None


# --- From the database ---------------------------------------------------------------------


def _state(employee, state: str, start: datetime, end: datetime | None = None) -> AgentState:  # type: ignore[no-untyped-def]
    return AgentState.objects.create(
        event_id=uuid.uuid4(),
        body_sha256="x",
        employee=employee,
        state=state,
        started_at=start,
        ended_at=end,
        source="feed",
        ingest_id=uuid.uuid4(),
        received_at=start,
    )


def past_shift(*, employee, day: date, hour: int, hours: int) -> Shift:  # type: ignore[no-untyped-def]
    """A published shift of `employee` from local `hour` on `day`, on the team's roster."""
    site = employee.team.site
    roster, _ = Roster.objects.get_or_create(
        scope_key=scope_key(site=site, team=employee.team),
        start_date=day,
        defaults={
            "site": site,
            "team": employee.team,
            "days": 1,
            "version": 1,
            "status": Roster.Status.PUBLISHED,
        },
    )
    start = _at(day, hour)
    return Shift.objects.create(
        roster=roster,
        employee=employee,
        start=start,
        end=start + timedelta(hours=hours),
        local_date=day,
        state=Roster.Status.PUBLISHED,
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


@pytest.mark.django_db
def test_report_from_shift_break_states_and_punches(org: Org) -> None:
    day = date(2026, 3, 10)
    shift = past_shift(employee=org.op_a1, day=day, hour=9, hours=8)
    ShiftBreak.objects.create(shift=shift, start=_at(day, 12), end=_at(day, 12, 30))
    _state(org.op_a1, "available", _at(day, 9, 10))  # 10 minutes late, open until the next
    _state(org.op_a1, "break", _at(day, 12), _at(day, 12, 30))
    _state(org.op_a1, "on_call", _at(day, 12, 30))
    _state(org.op_a1, "logged_out", _at(day, 17))
    past_shift(employee=org.op_a2, day=day, hour=9, hours=8)
    punch_make(employee=org.op_a2, kind="in", at=_at(day, 9))
    punch_make(employee=org.op_a2, kind="out", at=_at(day, 16, 30))
    report = adherence_report(
        site=org.amsterdam,
        first=day,
        last=day,
        employees=[org.op_a1, org.op_a2],
        now=_at(day, 23),
    )
    a1, a2 = report.rows
    assert (a1.source, a2.source) == ("acd", "punches")
    assert a1.figures.scheduled_minutes == 480
    assert a1.figures.adherent_minutes == 470
    assert a1.figures.conformance_percent == pytest.approx(100 * 440 / 450)
    (late,) = a1.events
    assert (late.start, late.minutes, late.planned, late.actual) == (
        _at(day, 9),
        10,
        "phone",
        "absent",
    )
    assert a2.figures.adherent_minutes == 450
    assert a2.events[0].start == _at(day, 16, 30)
    assert report.total.scheduled_minutes == 960


@pytest.mark.django_db
def test_state_across_midnight_counts_on_both_days(org: Org) -> None:
    day = date(2026, 3, 10)
    night = datetime.combine(day, time(22), tzinfo=AMS)
    shift = past_shift(employee=org.op_a1, day=day, hour=22, hours=8)
    assert shift.end == night + timedelta(hours=8)
    _state(org.op_a1, "available", night)
    _state(org.op_a1, "logged_out", night + timedelta(hours=8))
    first = adherence_report(
        site=org.amsterdam, first=day, last=day, employees=[org.op_a1], now=_at(day, 23, 59)
    )
    assert first.rows[0].figures.scheduled_minutes == 119  # judged up to 23:59
    second = adherence_report(
        site=org.amsterdam,
        first=day + timedelta(days=1),
        last=day + timedelta(days=1),
        employees=[org.op_a1],
        now=_at(day + timedelta(days=2), 0),
    )
    assert second.rows[0].figures.scheduled_minutes == 360
    assert second.rows[0].figures.adherence_percent == 100.0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "minutes"), [(date(2026, 3, 29), 1380), (date(2026, 10, 25), 1500)]
)
def test_dst_days_of_amsterdam_have_their_own_length(org: Org, day: date, minutes: int) -> None:
    """A 00:00-08:00 shift on the spring day is 7 h, on the autumn day 9 h; the ACD's states
    cover it all, so adherence is 100 % over elapsed minutes."""
    shift = past_shift(employee=org.op_a1, day=day, hour=0, hours=1)
    shift.end = _at(day, 8)
    shift.save()
    _state(org.op_a1, "available", _at(day, 0))
    _state(org.op_a1, "logged_out", _at(day, 8))
    report = adherence_report(
        site=org.amsterdam,
        first=day,
        last=day,
        employees=[org.op_a1],
        now=datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert (report.end - report.start) == timedelta(minutes=minutes)
    figures = report.rows[0].figures
    assert figures.scheduled_minutes == (minutes - 1440) + 480
    assert figures.adherence_percent == 100.0


@pytest.mark.django_db
def test_live_events_use_the_site_threshold_and_list_ongoing_first(org: Org) -> None:
    day = date(2026, 3, 10)
    past_shift(employee=org.op_a1, day=day, hour=9, hours=8)
    past_shift(employee=org.op_a2, day=day, hour=9, hours=8)
    _state(org.op_a1, "available", _at(day, 9))
    _state(org.op_a1, "not_ready", _at(day, 10), _at(day, 10, 4))  # 4 min: under 5
    _state(org.op_a1, "available", _at(day, 10, 4))
    _state(org.op_a1, "not_ready", _at(day, 10, 50))  # ongoing at 11:00
    _state(org.op_a2, "available", _at(day, 9, 7))  # 7 min late
    events = adherence_events_live(site=org.amsterdam, now=_at(day, 11))
    assert [(e.employee_number, e.minutes, e.ongoing) for e in events] == [
        (org.op_a1.number, 10, True),
        (org.op_a2.number, 7, False),
    ]
    ClockPolicy.objects.update_or_create(
        site=org.amsterdam, defaults={"adherence_threshold_minutes": 3}
    )
    assert len(adherence_events_live(site=org.amsterdam, now=_at(day, 11))) == 3
