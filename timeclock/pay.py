"""Pay: an employee's attendance + the site's pay policy -> pay lines. Pure, Decimal only.

Every line carries its pay code, minutes, hours, rate, amount and the sentences saying which
rule produced it (PAY_SENTENCES: a code and its values; English here, translated where shown).
Money is rounded half-up to cents once, on the line (R1.18). Each workweek stands alone for
overtime (29 CFR 778.104), also one that two pay periods split: the straight time another
period paid on the week's days counts toward its limit (`straight_elsewhere`). Penalties never
take pay below the minimum wage for the hours worked, and never reach into overtime pay (29 CFR
778.307, R1.19c); where fines are unlawful they are switched off. Rounding of clock times is
neutral (nearest increment, half up, the same both ways) or off; lateness is measured on the
punches as recorded.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from organisation.sentences import Sentence, Value, english, gettext_noop
from timeclock.attendance import ShiftAttendance, Timesheet, WorkedSpan
from timeclock.jurisdictions.sentences import JURISDICTION_SENTENCES
from timeclock.rates import RATE_SENTENCES

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
HOURS = Decimal("0.01")
MINUTE = timedelta(minutes=1)
ONE_DAY = timedelta(days=1)

PAY_SENTENCES = {
    "regular": gettext_noop("{day}: {minutes} min worked at the base rate"),
    "overtime_daily": gettext_noop("{day}: {minutes} min beyond {limit} h that day, x{multiplier}"),
    "overtime_weekly": gettext_noop(
        "{day}: {minutes} min beyond {limit} h in the week from {week}, x{multiplier}"
    ),
    # A workweek two pay periods split: the limit counts the straight time the other paid.
    "overtime_weekly_across": gettext_noop(
        "{day}: {minutes} min beyond {limit} h in the week from {week} ({worked} of it paid "
        "in another pay period), x{multiplier}"
    ),
    "night_premium": gettext_noop("{minutes} min inside {start}-{end} on {date}, +{percent} %"),
    "holiday_premium": gettext_noop("{minutes} min on a public holiday, +{percent} %"),
    "weekend_premium": gettext_noop("{minutes} min on a weekend day, +{percent} %"),
    "evening_premium": gettext_noop("{minutes} min inside {start}-{end} on {date}, +{percent} %"),
    "saturday_premium": gettext_noop("{minutes} min on a Saturday, +{percent} %"),
    "sunday_premium": gettext_noop("{minutes} min on a Sunday, +{percent} %"),
    "late_per_minute": gettext_noop(
        "late {minutes} min on {date}, grace {grace}, {amount} per minute"
    ),
    "late_per_occurrence": gettext_noop(
        "late {minutes} min on {date}, grace {grace}, {amount} per occurrence"
    ),
    "late_tier": gettext_noop(
        "late {minutes} min on {date}, grace {grace}, tier from {tier} min: {amount}"
    ),
    "absent_fixed": gettext_noop("absent on {date} without approved time off, fixed {amount}"),
    "absent_shift_pay": gettext_noop(
        "absent on {date} without approved time off, {multiplier} x the shift's {hours} h pay"
    ),
    "reduced_by_minimum_wage": gettext_noop("reduced to {amount} by the minimum wage"),
    "training": gettext_noop(
        "{day}: {minutes} min of training or classroom, x{multiplier} the base rate"
    ),
    "mentoring_premium": gettext_noop(
        "{day}: {minutes} min on the phone beside a trainee, {amount} per hour"
    ),
    # Someone an open period pays who is at or works at another site too (across_sites.py).
    "moved_site": gettext_noop(
        "Also at {name} in this period: this site pays its own shifts at the rate in force "
        "on each day in its own currency (from the rate history: check it holds the rate "
        "paid here) and counts weekly overtime and the weekly fine cap over its own shifts "
        "only. Check the rate and the overtime across sites before closing."
    ),
    "adjustment": gettext_noop(
        "{pay_code} for the closed period {first}..{last}: {change_hours} h, {change_amount} "
        "(punches or corrections that came later)"
    ),
    "adjustment_repriced": gettext_noop(
        "{pay_code} for the closed period {first}..{last}: {change_amount} on the same hours "
        "(a pay rate, premium or fine recorded after the close)"
    ),
    # A jurisdiction pack's reasons for a fine it cut (timeclock/jurisdictions).
    **JURISDICTION_SENTENCES,
    # The rate in force on a line's day, where a period holds two rates (timeclock/rates.py).
    **RATE_SENTENCES,
}


class PayCode(StrEnum):
    REGULAR = "REGULAR"
    OVERTIME = "OVERTIME"
    NIGHT_PREMIUM = "NIGHT_PREMIUM"
    EVENING_PREMIUM = "EVENING_PREMIUM"  # the evening window apart from the night
    WEEKEND_PREMIUM = "WEEKEND_PREMIUM"  # one premium for Saturday and Sunday alike
    SATURDAY_PREMIUM = "SATURDAY_PREMIUM"  # Saturday and Sunday at premiums of their own
    SUNDAY_PREMIUM = "SUNDAY_PREMIUM"
    HOLIDAY_PREMIUM = "HOLIDAY_PREMIUM"
    LATENESS_PENALTY = "LATENESS_PENALTY"
    ABSENCE_PENALTY = "ABSENCE_PENALTY"
    ADJUSTMENT = "ADJUSTMENT"
    TRAINING = "TRAINING"  # training and classroom hours (timeclock/pay_training.py)
    MENTORING_PREMIUM = "MENTORING_PREMIUM"


# Before each premium had a code of its own, the evening premium was paid as NIGHT_PREMIUM
# and Saturday's and Sunday's apart as WEEKEND_PREMIUM: lines frozen then keep those codes
# (a closed period and its stored exports never change), so a period frozen with them is
# compared with its lines due now under the shared codes (adjustments), and a site's
# mapping of a shared code was copied to the new codes (migration timeclock 0016).
SHARED_BEFORE = {
    PayCode.EVENING_PREMIUM: PayCode.NIGHT_PREMIUM,
    PayCode.SATURDAY_PREMIUM: PayCode.WEEKEND_PREMIUM,
    PayCode.SUNDAY_PREMIUM: PayCode.WEEKEND_PREMIUM,
}
# The reasons (first sentence) of a line frozen under a shared code that the premium now has
# a code of its own for.
SHARED_REASONS = {
    ("NIGHT_PREMIUM", "evening_premium"): PayCode.EVENING_PREMIUM,
    ("WEEKEND_PREMIUM", "saturday_premium"): PayCode.SATURDAY_PREMIUM,
    ("WEEKEND_PREMIUM", "sunday_premium"): PayCode.SUNDAY_PREMIUM,
}


class LatenessMode(StrEnum):
    NONE = "none"
    PER_MINUTE = "per_minute"
    PER_OCCURRENCE = "per_occurrence"
    TIERED = "tiered"


class AbsenceMode(StrEnum):
    NONE = "none"
    FIXED = "fixed"
    SHIFT_PAY_MULTIPLE = "shift_pay_multiple"


@dataclass(frozen=True)
class PayPolicy:
    timezone: str
    minimum_hourly_wage: Decimal
    rounding_minutes: int = 0  # 0: exact; 5, 6 or 15: to the nearest, half up
    exact_time_only: bool = False  # a jurisdiction that forbids rounding (R1.9)
    weekly_overtime_hours: Decimal = Decimal(40)
    daily_overtime_hours: Decimal | None = None
    overtime_multiplier: Decimal = Decimal("1.5")
    workweek_starts: int = 0  # 0 = Monday
    night_start: time = time(22)
    night_end: time = time(6)
    night_premium: Decimal = Decimal("0.25")  # share of the rate, per night hour
    weekend_premium: Decimal = Decimal(0)
    holiday_premium: Decimal = Decimal(0)
    holidays: frozenset[date] = frozenset()
    # Unsocial hours as a collective agreement sets them (e.g. the Dutch contact-centre
    # preset): an evening window with its own premium (paid as EVENING_PREMIUM), and Saturday
    # and Sunday apart (SATURDAY_PREMIUM, SUNDAY_PREMIUM); None: the weekend premium for both
    # days (WEEKEND_PREMIUM).
    evening_start: time | None = None
    evening_end: time | None = None
    evening_premium: Decimal = Decimal(0)
    saturday_premium: Decimal | None = None
    sunday_premium: Decimal | None = None
    fines_enabled: bool = True
    lateness_mode: LatenessMode = LatenessMode.NONE
    lateness_amount: Decimal = Decimal(0)  # per minute or per occurrence
    lateness_tiers: tuple[tuple[int, Decimal], ...] = ()  # (from late minutes, amount)
    grace_minutes: int = 5  # for the explanation; attendance applied it
    absence_mode: AbsenceMode = AbsenceMode.NONE
    absence_amount: Decimal = Decimal(0)  # fixed amount, or multiple of the shift's pay


@dataclass(frozen=True)
class PayLine:
    pay_code: PayCode
    minutes: int
    hours: Decimal
    rate: Decimal
    amount: Decimal
    reason: tuple[Sentence, ...]
    work_date: date | None = None
    shift_id: str | None = None

    @property
    def rule(self) -> str:
        return english(self.reason, PAY_SENTENCES)


@dataclass(frozen=True)
class _Worked:
    """One shift's paid spans after rounding, on its workday and workweek."""

    shift: ShiftAttendance
    spans: tuple[WorkedSpan, ...]
    workday: date
    workweek: date
    minutes: int = field(default=0)


def round_instant(instant: datetime, increment_minutes: int) -> datetime:
    """To the nearest increment of the hour, half up (R1.7): below half an increment down,
    half or more up; the same rule for clock-ins and clock-outs."""
    if increment_minutes <= 0:
        return instant
    # In whole microseconds (exact): steps = offset / step, half up.
    offset = (instant.minute * 60 + instant.second) * 1_000_000 + instant.microsecond
    step = increment_minutes * 60_000_000
    steps = (2 * offset + step) // (2 * step)
    return instant + timedelta(0, 0, steps * step - offset)


# The codes of straight time: the minutes a workweek's overtime limit counts (daily overtime
# and weekly overtime are beyond it; training minutes were regular ones, pay_training.py).
STRAIGHT_CODES = (PayCode.REGULAR, PayCode.TRAINING)


def pay_lines(
    *,
    timesheet: Timesheet,
    rate_per_hour: Decimal,
    policy: PayPolicy,
    straight_elsewhere: Mapping[date, int] | None = None,
) -> list[PayLine]:
    """The lines of one employee's pay for the shifts in `timesheet`, in a stable order.
    `straight_elsewhere`: the straight-time minutes (STRAIGHT_CODES) other pay periods paid,
    by local day, on days outside the timesheet's of the workweeks it shares with them; a
    week's overtime limit counts them first (29 CFR 778.104: the workweek stands alone,
    however the pay periods cut it)."""
    zone = ZoneInfo(policy.timezone)
    worked = [_worked(s, policy, zone) for s in timesheet.shifts]
    lines = _time_lines(worked, rate_per_hour, policy, straight_elsewhere or {})
    lines += _premium_lines(worked, rate_per_hour, policy, zone)
    if policy.fines_enabled:
        penalties = _lateness_lines(timesheet.shifts, policy, zone)
        penalties += _absence_lines(timesheet.shifts, rate_per_hour, policy, zone)
        lines += _capped(penalties, worked, rate_per_hour, policy, lines)
    return [line for line in lines if line.amount or line.minutes]


def rounding_effect_seconds(*, timesheet: Timesheet, policy: PayPolicy) -> int:
    """Paid seconds after rounding less the seconds actually worked: positive in the
    employee's favour, negative in the employer's (R1.8's per-period report)."""
    zone = ZoneInfo(policy.timezone)
    total = 0
    for shift in timesheet.shifts:
        rounded = _worked(shift, policy, zone)
        total += sum(int((s.end - s.start).total_seconds()) for s in rounded.spans)
        total -= shift.worked_seconds
    return total


def money(value: Decimal) -> Decimal:
    """An amount rounded half-up to cents: the one place money is rounded (R1.18)."""
    return value.quantize(CENT, ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HOURS, rounding=ROUND_HALF_UP)


def hours_of(minutes: int) -> Decimal:
    """Minutes as hours with two decimals, rounded once, half up (away from zero for a
    negative change). An export's row sums its lines' minutes and rounds here once, never
    the lines' rounded hours (which drift by up to 0.005 h a line from the amounts)."""
    return _hours(minutes)


def row_hours_match(*, hours: Decimal, rate: Decimal, amount: Decimal, lines: int) -> bool:
    """Whether a row's hours times its rate is its amount within what the roundings allow:
    the hours' (0.005 h x the rate) plus a cent per line summed (each line's amount is
    rounded to the cent on its own)."""
    slack = Decimal("0.005") * abs(rate) + CENT * lines
    return abs(hours * rate - amount) <= slack


def _line(
    code: PayCode, minutes: int, rate: Decimal, *reason: Sentence, **where: object
) -> PayLine:
    amount = money(Decimal(minutes) / 60 * rate)
    hours, rate = _hours(minutes), rate.quantize(RATE)
    return PayLine(code, minutes, hours, rate, amount, reason, **where)  # type: ignore[arg-type]


def _worked(shift: ShiftAttendance, policy: PayPolicy, zone: ZoneInfo) -> _Worked:
    increment = 0 if policy.exact_time_only else policy.rounding_minutes
    spans = list(shift.spans)
    if spans and increment:
        first, last = spans[0], spans[-1]
        spans[0] = WorkedSpan(round_instant(first.start, increment), first.end)
        spans[-1] = WorkedSpan(spans[-1].start, round_instant(last.end, increment))
        spans = [s for s in spans if s.end > s.start]
    workday, workweek = _workday(shift.shift.start, zone, policy.workweek_starts)
    minutes = sum((s.end - s.start) // MINUTE for s in spans)  # each span longer than 0
    return _Worked(shift, tuple(spans), workday, workweek, minutes)


@lru_cache(maxsize=4096)
def _workday(start: datetime, zone: ZoneInfo, workweek_starts: int) -> tuple[date, date]:
    """The local day a shift starting at `start` is worked on, and its workweek's first day:
    a site's shifts start at a few hundred instants a month (220,000 shifts ask)."""
    workday = start.astimezone(zone).date()
    back = (workday.weekday() - workweek_starts) % 7
    return workday, workday - timedelta(days=back)


def split_week_days(first: date, last: date, workweek_starts: int) -> list[tuple[date, date]]:
    """The days outside `first`..`last` of the workweeks it shares with other pay periods
    (its first week's days before `first`, its last week's after `last`): none for a period
    cut at the workweek."""
    spans = []
    week = first - timedelta(days=(first.weekday() - workweek_starts) % 7)
    if week < first:
        spans.append((week, first - ONE_DAY))
    after = last + timedelta(days=(workweek_starts - last.weekday() - 1) % 7)
    if after > last:
        spans.append((last + ONE_DAY, after))
    return spans


def _time_lines(
    worked: list[_Worked], rate: Decimal, policy: PayPolicy, elsewhere: Mapping[date, int]
) -> list[PayLine]:
    """Regular and overtime minutes per shift, in the order worked: minutes past the daily
    limit (if set) are overtime; the rest are regular until the week's limit, overtime after
    it. Each workweek stands alone: its straight time paid in other pay periods (`elsewhere`,
    by day) counts toward the limit first."""
    weekly_limit = int(policy.weekly_overtime_hours * 60)
    daily_limit = int(policy.daily_overtime_hours * 60) if policy.daily_overtime_hours else None
    lines: list[PayLine] = []
    by_week: dict[date, list[_Worked]] = defaultdict(list)
    for w in worked:
        by_week[w.workweek].append(w)
    counted: dict[date, int] = defaultdict(int)
    for day, minutes in elsewhere.items():
        counted[day - timedelta(days=(day.weekday() - policy.workweek_starts) % 7)] += minutes
    for week, days in sorted(by_week.items()):
        regular = counted.get(week, 0)
        per_day: dict[date, int] = defaultdict(int)
        for w in sorted(days, key=lambda w: w.shift.shift.start):
            room = w.minutes if daily_limit is None else max(0, daily_limit - per_day[w.workday])
            daily_over = max(0, w.minutes - room)
            rest = w.minutes - daily_over
            now_regular = min(rest, max(0, weekly_limit - regular))
            weekly_over = rest - now_regular
            regular += now_regular
            per_day[w.workday] += w.minutes
            where = {"work_date": w.workday, "shift_id": w.shift.shift.id}
            day, times = w.workday, policy.overtime_multiplier
            if now_regular:
                reason = Sentence.of("regular", day=day, minutes=now_regular)
                lines.append(_line(PayCode.REGULAR, now_regular, rate, reason, **where))
            reasons = []
            if daily_over:
                limit = policy.daily_overtime_hours or Decimal(0)
                reasons.append(
                    Sentence.of(
                        "overtime_daily", day=day, minutes=daily_over, limit=limit, multiplier=times
                    )
                )
            if weekly_over:
                limit = policy.weekly_overtime_hours
                across = {"worked": counted[week]} if counted.get(week) else {}
                reasons.append(
                    Sentence.of(
                        "overtime_weekly_across" if across else "overtime_weekly",
                        day=day,
                        minutes=weekly_over,
                        limit=limit,
                        week=week,
                        multiplier=times,
                        **across,
                    )
                )
            if reasons:
                minutes, overtime_rate = daily_over + weekly_over, rate * times
                lines.append(_line(PayCode.OVERTIME, minutes, overtime_rate, *reasons, **where))
    return lines


def _night_minutes(spans: Sequence[WorkedSpan], policy: PayPolicy, zone: ZoneInfo) -> int:
    """Elapsed minutes inside the local night window (across DST changes)."""
    return _window_minutes(spans, policy.night_start, policy.night_end, zone)


def _window_minutes(spans: Sequence[WorkedSpan], first: time, until: time, zone: ZoneInfo) -> int:
    """Elapsed minutes inside a daily local window `first`..`until` (past midnight when it
    ends before it starts), across DST changes."""
    total = 0
    for span in spans:
        begin, finish = span.start, span.end
        day = begin.astimezone(zone).date() - ONE_DAY
        while True:
            start, end = _window_on(day, first, until, zone)
            if start >= finish:
                break
            if end > begin:  # else no overlap
                total += max(0, int((min(finish, end) - max(begin, start)) / MINUTE))
            day += ONE_DAY
    return total


@lru_cache(maxsize=4096)
def _window_on(day: date, first: time, until: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The window opening on a local day, as UTC instants: the same for every shift of the
    day, so worked out once (10,000 people x a month ask for it 220,000 times)."""
    start = datetime.combine(day, first, tzinfo=zone)
    end = datetime.combine(day + ONE_DAY if until <= first else day, until, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _minutes_on(
    spans: Sequence[WorkedSpan],
    zone: ZoneInfo,
    keep: set[date] | None,
    weekend: bool,
    weekdays: frozenset[int] = frozenset({5, 6}),
) -> int:
    """Elapsed minutes on local days that are weekend days (`weekdays`, Saturday and Sunday
    by default) or in `keep`."""
    total = 0
    for span in spans:
        cursor = span.start
        day = cursor.astimezone(zone).date()
        while cursor < span.end:
            midnight, next_day = _midnight_after(day, zone)
            step_end = min(span.end, midnight)
            counts = (day.weekday() in weekdays) if weekend else (keep is not None and day in keep)
            if counts:
                total += int((step_end - cursor) / MINUTE)
            cursor, day = step_end, next_day
    return total


@lru_cache(maxsize=4096)
def _midnight_after(day: date, zone: ZoneInfo) -> tuple[datetime, date]:
    """The local midnight that ends a local day, as a UTC instant, and the local day at that
    instant (the next, unless the zone skipped a day)."""
    midnight = datetime.combine(day + ONE_DAY, time(), tzinfo=zone).astimezone(UTC)
    return midnight, midnight.astimezone(zone).date()


def _premium_lines(
    worked: list[_Worked], rate: Decimal, policy: PayPolicy, zone: ZoneInfo
) -> list[PayLine]:
    lines: list[PayLine] = []
    holidays = set(policy.holidays)
    for w in worked:
        where = {"work_date": w.workday, "shift_id": w.shift.shift.id}
        night = _night_minutes(w.spans, policy, zone) if policy.night_premium else 0
        if night:
            reason = Sentence.of(
                "night_premium",
                minutes=night,
                start=policy.night_start,
                end=policy.night_end,
                date=w.workday,
                percent=policy.night_premium * 100,
            )
            lines.append(
                _line(PayCode.NIGHT_PREMIUM, night, rate * policy.night_premium, reason, **where)
            )
        # A premium of 0 pays nothing: its minutes are not counted (most policies have one).
        holiday = (
            _minutes_on(w.spans, zone, holidays, weekend=False) if policy.holiday_premium else 0
        )
        lines += _evening_lines(w, rate, policy, zone)
        for code, key, minutes, share in (
            (PayCode.HOLIDAY_PREMIUM, "holiday_premium", holiday, policy.holiday_premium),
            *_weekend_parts(w, policy, zone),
        ):
            if minutes and share:
                reason = Sentence.of(key, minutes=minutes, percent=share * 100)
                lines.append(_line(code, minutes, rate * share, reason, **where))
    return lines


def _weekend_parts(
    w: _Worked, policy: PayPolicy, zone: ZoneInfo
) -> list[tuple[PayCode, str, int, Decimal]]:
    """Weekend minutes with their premium: both days at the weekend premium, or Saturday
    and Sunday apart when the policy sets them apart (a premium of 0 counts no minutes)."""
    if policy.saturday_premium is None and policy.sunday_premium is None:
        share = policy.weekend_premium
        minutes = _minutes_on(w.spans, zone, None, weekend=True) if share else 0
        return [(PayCode.WEEKEND_PREMIUM, "weekend_premium", minutes, share)]
    parts = []
    for code, key, day, share in (
        (PayCode.SATURDAY_PREMIUM, "saturday_premium", 5, policy.saturday_premium or Decimal(0)),
        (PayCode.SUNDAY_PREMIUM, "sunday_premium", 6, policy.sunday_premium or Decimal(0)),
    ):
        minutes = _minutes_on(w.spans, zone, None, True, frozenset({day})) if share else 0
        parts.append((code, key, minutes, share))
    return parts


def _evening_lines(w: _Worked, rate: Decimal, policy: PayPolicy, zone: ZoneInfo) -> list[PayLine]:
    """The evening window's minutes at its premium, paid under EVENING_PREMIUM."""
    if policy.evening_start is None or policy.evening_end is None or not policy.evening_premium:
        return []
    minutes = _window_minutes(w.spans, policy.evening_start, policy.evening_end, zone)
    if not minutes:
        return []
    reason = Sentence.of(
        "evening_premium",
        minutes=minutes,
        start=policy.evening_start,
        end=policy.evening_end,
        date=w.workday,
        percent=policy.evening_premium * 100,
    )
    where = {"work_date": w.workday, "shift_id": w.shift.shift.id}
    rate_share = rate * policy.evening_premium
    return [_line(PayCode.EVENING_PREMIUM, minutes, rate_share, reason, **where)]


def _lateness_lines(
    shifts: Sequence[ShiftAttendance], policy: PayPolicy, zone: ZoneInfo
) -> list[PayLine]:
    lines: list[PayLine] = []
    for s in shifts:
        late = s.late_minutes
        if not late or policy.lateness_mode == LatenessMode.NONE:
            continue
        day = s.shift.start.astimezone(zone).date()
        what: dict[str, Value] = {"minutes": late, "date": day, "grace": policy.grace_minutes}
        if policy.lateness_mode == LatenessMode.PER_MINUTE:
            amount = policy.lateness_amount * late
            reason = Sentence.of("late_per_minute", amount=policy.lateness_amount, **what)
        elif policy.lateness_mode == LatenessMode.PER_OCCURRENCE:
            amount = policy.lateness_amount
            reason = Sentence.of("late_per_occurrence", amount=amount, **what)
        else:
            tier = max((t for t in policy.lateness_tiers if late >= t[0]), default=None)
            if tier is None:
                continue
            amount = tier[1]
            reason = Sentence.of("late_tier", tier=tier[0], amount=amount, **what)
        lines.append(
            PayLine(
                PayCode.LATENESS_PENALTY,
                late,
                Decimal(0),
                Decimal(0),
                -money(amount),
                (reason,),
                day,
                s.shift.id,
            )
        )
    return lines


def _absence_lines(
    shifts: Sequence[ShiftAttendance], rate: Decimal, policy: PayPolicy, zone: ZoneInfo
) -> list[PayLine]:
    lines: list[PayLine] = []
    if policy.absence_mode == AbsenceMode.NONE:
        return lines
    for s in shifts:
        if "absent" not in s.exceptions:
            continue
        day = s.shift.start.astimezone(zone).date()
        scheduled = int((s.shift.end - s.shift.start) / MINUTE) - sum(
            int((b.end - b.start) / MINUTE) for b in s.shift.breaks if not b.paid
        )
        if policy.absence_mode == AbsenceMode.FIXED:
            amount = policy.absence_amount
            reason = Sentence.of("absent_fixed", date=day, amount=amount)
        else:
            amount = Decimal(scheduled) / 60 * rate * policy.absence_amount
            reason = Sentence.of(
                "absent_shift_pay",
                date=day,
                multiplier=policy.absence_amount,
                hours=_hours(scheduled),
            )
        lines.append(
            PayLine(
                PayCode.ABSENCE_PENALTY,
                scheduled,
                Decimal(0),
                Decimal(0),
                -money(amount),
                (reason,),
                day,
                s.shift.id,
            )
        )
    return lines


def _capped(
    penalties: list[PayLine],
    worked: list[_Worked],
    rate: Decimal,
    policy: PayPolicy,
    earned: list[PayLine],
) -> list[PayLine]:
    """Penalties reduced, latest first, so that straight-time pay stays at or above the
    minimum wage for the hours worked and the overtime premium is never touched."""
    minutes = sum(w.minutes for w in worked)
    floor = money(Decimal(minutes) / 60 * policy.minimum_hourly_wage)
    # Straight-time pay for every hour (overtime hours at the base rate): only the overtime
    # premium above it is out of reach.
    straight = sum(
        (
            line.amount / policy.overtime_multiplier
            if line.pay_code == PayCode.OVERTIME
            else line.amount
            for line in earned
        ),
        Decimal(0),
    )
    room = max(Decimal(0), straight - floor)
    kept: list[PayLine] = []
    for line in sorted(penalties, key=lambda p: (p.work_date or date.min, p.shift_id or "")):
        take = min(-line.amount, room)
        room -= take
        if take == -line.amount:
            kept.append(line)
        elif take > 0:
            kept.append(
                PayLine(
                    line.pay_code,
                    line.minutes,
                    line.hours,
                    line.rate,
                    -take,
                    (*line.reason, Sentence.of("reduced_by_minimum_wage", amount=take)),
                    line.work_date,
                    line.shift_id,
                )
            )
    return kept
