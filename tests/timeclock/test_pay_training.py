"""Training pay (issue 24): training and classroom minutes under TRAINING at the policy's
multiple of the base rate, a mentoring premium per hour beside a trainee, each explained on
its line; counted on instants, so the DST nights pay what was worked."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from timeclock.attendance import PunchEvent, ScheduledShift, WorkedSpan, attendance
from timeclock.pay import PayCode, PayPolicy, pay_lines
from timeclock.pay_training import ShiftTraining, TrainingPay, training_lines

AMS = ZoneInfo("Europe/Amsterdam")
POLICY = PayPolicy(timezone="Europe/Amsterdam", minimum_hourly_wage=Decimal("14.0000"))
RATE = Decimal("16.5000")


def _sheet(start: datetime, end: datetime, shift_id: str = "s1") -> object:
    return attendance(
        [ScheduledShift(shift_id, start, end)],
        [PunchEvent("i", "in", start), PunchEvent("o", "out", end)],
    )


def _lines(sheet, training, pay=None):  # type: ignore[no-untyped-def]
    lines = pay_lines(timesheet=sheet, rate_per_hour=RATE, policy=POLICY)
    return training_lines(
        lines,
        timesheet=sheet,
        rate_per_hour=RATE,
        policy=pay or TrainingPay(Decimal("1.1"), Decimal("2.50")),
        timezone="Europe/Amsterdam",
        training=training,
    )


def _code(lines, code):  # type: ignore[no-untyped-def]
    return [line for line in lines if line.pay_code == code]


def test_a_classroom_session_moves_its_minutes_to_training_at_the_policy_rate() -> None:
    start = datetime(2026, 6, 2, 9, tzinfo=AMS)
    sheet = _sheet(start, start + timedelta(hours=8))
    session = WorkedSpan(start + timedelta(hours=2), start + timedelta(hours=4, minutes=30))
    lines = _lines(sheet, {"s1": ShiftTraining(training=(session,))})
    (regular,) = _code(lines, PayCode.REGULAR)
    (training,) = _code(lines, PayCode.TRAINING)
    assert (regular.minutes, training.minutes) == (330, 150)
    assert training.rate == Decimal("18.1500")  # 16.50 x 1.1
    assert training.amount == Decimal("45.38")  # 2.5 h x 18.15 = 45.375, half up once
    assert regular.amount == Decimal("90.75")
    assert training.rule == "Tue 02 Jun: 150 min of training or classroom, x1.1 the base rate"
    assert regular.rule == "Tue 02 Jun: 330 min worked at the base rate"


def test_by_default_training_is_paid_at_the_normal_rate_under_its_own_code() -> None:
    start = datetime(2026, 6, 2, 9, tzinfo=AMS)
    sheet = _sheet(start, start + timedelta(hours=8))
    whole = ShiftTraining(training=(WorkedSpan(start, start + timedelta(hours=8)),))
    lines = _lines(sheet, {"s1": whole}, pay=TrainingPay())
    assert _code(lines, PayCode.REGULAR) == []
    (training,) = _code(lines, PayCode.TRAINING)
    assert (training.minutes, training.rate, training.amount) == (480, RATE, Decimal("132.00"))
    assert _code(lines, PayCode.MENTORING_PREMIUM) == []  # no premium in the policy


def test_a_policy_multiplier_as_the_database_stores_it_reads_without_trailing_zeros() -> None:
    """The policy's training_rate_multiplier comes back from the database as 1.0000 (four
    places); the payslip said "x1.0000 the base rate"."""
    start = datetime(2026, 6, 2, 9, tzinfo=AMS)
    sheet = _sheet(start, start + timedelta(hours=8))
    session = WorkedSpan(start, start + timedelta(hours=2))
    for stored, said in ((Decimal("1.0000"), "x1 "), (Decimal("1.2500"), "x1.25 ")):
        lines = _lines(sheet, {"s1": ShiftTraining(training=(session,))}, TrainingPay(stored))
        (training,) = _code(lines, PayCode.TRAINING)
        assert training.rule == f"Tue 02 Jun: 120 min of training or classroom, {said}the base rate"


def test_mentoring_premium_per_hour_with_overlapping_trainees_counted_once() -> None:
    start = datetime(2026, 6, 3, 8, tzinfo=AMS)
    sheet = _sheet(start, start + timedelta(hours=8))
    first = WorkedSpan(start, start + timedelta(hours=3))
    second = WorkedSpan(start + timedelta(hours=2), start + timedelta(hours=4))  # 2 at once
    lines = _lines(sheet, {"s1": ShiftTraining(mentoring=(first, second))})
    (premium,) = _code(lines, PayCode.MENTORING_PREMIUM)
    assert (premium.minutes, premium.rate, premium.amount) == (
        240,
        Decimal("2.5000"),
        Decimal("10.00"),
    )
    assert premium.rule == "Wed 03 Jun: 240 min on the phone beside a trainee, 2.50 per hour"
    (regular,) = _code(lines, PayCode.REGULAR)
    assert regular.minutes == 480  # the mentor's own hours are paid as ever


def test_mentoring_is_paid_on_worked_time_only() -> None:
    start = datetime(2026, 6, 3, 8, tzinfo=AMS)
    shift = ScheduledShift("s1", start, start + timedelta(hours=8))
    late_in = start + timedelta(hours=1)
    sheet = attendance([shift], [PunchEvent("i", "in", late_in), PunchEvent("o", "out", shift.end)])
    pairing = WorkedSpan(start, start + timedelta(hours=2))
    lines = _lines(sheet, {"s1": ShiftTraining(mentoring=(pairing,))})
    (premium,) = _code(lines, PayCode.MENTORING_PREMIUM)
    assert premium.minutes == 60


@pytest.mark.parametrize(
    ("night", "minutes"), [(date(2026, 3, 28), 7 * 60), (date(2026, 10, 24), 9 * 60)]
)
def test_a_night_of_training_across_dst_pays_the_hours_really_worked(
    night: date, minutes: int
) -> None:
    start = datetime.combine(night, time(22), tzinfo=AMS)
    end = datetime.combine(night + timedelta(days=1), time(6), tzinfo=AMS)
    sheet = _sheet(start, end)
    lines = _lines(
        sheet,
        {
            "s1": ShiftTraining(
                training=(WorkedSpan(start, end),), mentoring=(WorkedSpan(start, end),)
            )
        },
    )
    (training,) = _code(lines, PayCode.TRAINING)
    (premium,) = _code(lines, PayCode.MENTORING_PREMIUM)
    assert training.minutes == premium.minutes == minutes
    assert training.amount == (Decimal(minutes) / 60 * RATE * Decimal("1.1")).quantize(
        Decimal("0.01")
    )
    assert training.work_date == night


def test_overtime_minutes_stay_overtime_in_a_training_week() -> None:
    monday = datetime(2026, 6, 1, 8, tzinfo=AMS)
    shifts, punches, training = [], [], {}
    for n in range(5):  # 5 x 9 h: 40 h regular, 5 h overtime
        s, e = monday + timedelta(days=n), monday + timedelta(days=n, hours=9)
        shifts.append(ScheduledShift(f"s{n}", s, e))
        punches += [PunchEvent(f"i{n}", "in", s), PunchEvent(f"o{n}", "out", e)]
        training[f"s{n}"] = ShiftTraining(training=(WorkedSpan(s, e),))
    sheet = attendance(shifts, punches)
    lines = _lines(sheet, training)
    assert sum(line.minutes for line in _code(lines, PayCode.TRAINING)) == 40 * 60
    assert sum(line.minutes for line in _code(lines, PayCode.OVERTIME)) == 5 * 60
    assert _code(lines, PayCode.REGULAR) == []


@pytest.mark.django_db
def test_pay_lines_build_reads_sessions_pairing_and_the_policy(org) -> None:  # type: ignore[no-untyped-def]
    from organisation.models import Queue
    from scheduling.models import MentorPairing, PlacedActivity, Roster, Shift
    from scheduling.services.training import programme_create, session_save
    from timeclock.models import PayPolicy as PolicyRow
    from timeclock.selectors.pay import pay_lines_build

    site = org.amsterdam
    PolicyRow.objects.create(
        site=site, training_rate_multiplier=Decimal("1.2"), mentoring_premium_per_hour=Decimal(3)
    )
    queue = Queue.objects.create(site=site, name="Retail NL")
    roster = Roster.objects.create(
        site=site,
        scope_key="site:t",
        start_date=date(2026, 6, 1),
        days=7,
        version=1,
        status=Roster.Status.PUBLISHED,
    )
    start = datetime(2026, 6, 2, 9, tzinfo=AMS)
    end = start + timedelta(hours=8)
    shifts = {}
    for person in (org.op_a1, org.op_a2):
        shifts[person] = Shift.objects.create(
            roster=roster,
            employee=person,
            queue=queue,
            start=start,
            end=end,
            local_date=start.date(),
            state=Roster.Status.PUBLISHED,
        )
    programme = programme_create(site=site, queue=queue, by=None, name="Basics")
    session = session_save(
        programme=programme,
        by=None,
        topic="Products",
        length_minutes=120,
        window_start=start,
        window_end=end,
    )
    PlacedActivity.objects.create(
        roster=roster,
        employee=org.op_a1,
        session=session,
        start=start + timedelta(hours=1),
        end=start + timedelta(hours=3),
    )
    MentorPairing.objects.create(
        roster=roster,
        trainee=org.op_a1,
        mentor=org.op_a2,
        queue=queue,
        start=start + timedelta(hours=4),
        end=start + timedelta(hours=7),
    )
    sheets = {
        str(p.pk): _sheet(start, end, shift_id=str(shifts[p].pk)) for p in (org.op_a1, org.op_a2)
    }
    lines = pay_lines_build(
        timesheets=sheets,
        employees=[org.op_a1, org.op_a2],
        first=date(2026, 6, 1),
        last=date(2026, 6, 7),
    )
    trainee, mentor = lines[str(org.op_a1.pk)], lines[str(org.op_a2.pk)]
    (training,) = _code(trainee, PayCode.TRAINING)
    assert (training.minutes, training.rate) == (120, org.op_a1.hourly_rate * Decimal("1.2"))
    (premium,) = _code(mentor, PayCode.MENTORING_PREMIUM)
    assert (premium.minutes, premium.amount) == (180, Decimal("9.00"))
    assert _code(trainee, PayCode.MENTORING_PREMIUM) == []
