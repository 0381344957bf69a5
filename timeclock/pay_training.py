"""Training pay (issue 24), pure and Decimal only: the worked minutes of a shift that were
training or classroom move from its REGULAR line to a TRAINING line at the policy's multiple
of the base rate (default 1: the normal rate, under its own code), and a mentor earns a
MENTORING_PREMIUM per hour worked beside a trainee. Minutes are counted on instants, so a
DST night counts the hours really worked. Overtime minutes stay overtime (the higher rate);
each line is rounded once (pay.money)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from organisation.sentences import Sentence
from timeclock.attendance import ShiftAttendance, Timesheet, WorkedSpan
from timeclock.pay import HOURS, RATE, PayCode, PayLine, money


@dataclass(frozen=True)
class TrainingPay:
    rate_multiplier: Decimal = Decimal(1)  # of the base rate, for training hours
    mentoring_premium_per_hour: Decimal = Decimal(0)


@dataclass(frozen=True)
class ShiftTraining:
    """The spans of one shift that were training or classroom, and those its worker sat
    beside a trainee (aware instants; overlapping spans are counted once)."""

    training: tuple[WorkedSpan, ...] = ()
    mentoring: tuple[WorkedSpan, ...] = ()


def training_lines(
    lines: Sequence[PayLine],
    *,
    timesheet: Timesheet,
    rate_per_hour: Decimal,
    policy: TrainingPay,
    timezone: str,
    training: Mapping[str, ShiftTraining],
) -> list[PayLine]:
    """`lines` (from pay.pay_lines) with each shift's training minutes moved from REGULAR to
    TRAINING, and a MENTORING_PREMIUM line per shift with mentored minutes."""
    zone = ZoneInfo(timezone)
    result = list(lines)
    for shift in timesheet.shifts:
        found = training.get(shift.shift.id)
        if found is None:
            continue
        day = shift.shift.start.astimezone(zone).date()
        trained = _overlap_minutes(shift, found.training)
        if trained:
            result = _move_to_training(result, shift.shift.id, day, trained, rate_per_hour, policy)
        mentored = _overlap_minutes(shift, found.mentoring)
        if mentored and policy.mentoring_premium_per_hour:
            premium = policy.mentoring_premium_per_hour
            reason = Sentence.of("mentoring_premium", day=day, minutes=mentored, amount=premium)
            result.append(
                _priced(PayCode.MENTORING_PREMIUM, mentored, premium, reason, day, shift.shift.id)
            )
    return result


def _move_to_training(
    lines: list[PayLine],
    shift_id: str,
    day: date,
    minutes: int,
    rate: Decimal,
    policy: TrainingPay,
) -> list[PayLine]:
    out: list[PayLine] = []
    for line in lines:
        if line.pay_code != PayCode.REGULAR or line.shift_id != shift_id:
            out.append(line)
            continue
        moved = min(minutes, line.minutes)
        left = line.minutes - moved
        if left:
            reason = Sentence.of("regular", day=day, minutes=left)
            out.append(_priced(PayCode.REGULAR, left, line.rate, reason, day, shift_id))
        multiplier = policy.rate_multiplier
        reason = Sentence.of("training", day=day, minutes=moved, multiplier=multiplier)
        out.append(_priced(PayCode.TRAINING, moved, rate * multiplier, reason, day, shift_id))
    return out


def _overlap_minutes(shift: ShiftAttendance, spans: tuple[WorkedSpan, ...]) -> int:
    """Minutes of the shift's worked spans inside the union of `spans`."""
    seconds = 0
    for start, end in _union(spans):
        for worked in shift.spans:
            a = max(start, worked.start.astimezone(UTC))
            b = min(end, worked.end.astimezone(UTC))
            if b > a:
                seconds += int((b - a).total_seconds())
    return seconds // 60


def _union(spans: tuple[WorkedSpan, ...]) -> list[tuple[datetime, datetime]]:
    """The spans merged, in UTC: two datetimes of one zone subtract by wall clock in Python,
    which would make a DST night 8 hours."""
    merged: list[tuple[datetime, datetime]] = []
    in_utc = sorted((s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in spans)
    for start, end in in_utc:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _priced(
    code: PayCode, minutes: int, rate: Decimal, reason: Sentence, day: date, shift_id: str
) -> PayLine:
    hours = (Decimal(minutes) / 60).quantize(HOURS, rounding=ROUND_HALF_UP)
    amount = money(Decimal(minutes) / 60 * rate)
    return PayLine(
        code,
        minutes,
        hours,
        rate.quantize(RATE),
        amount,
        (reason,),
        work_date=day,
        shift_id=shift_id,
    )
