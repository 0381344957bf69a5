"""The engine of the rule packs: a policy's fine settings checked against a pack (the refusals
name the article), a computed week's fines capped to what the pack allows (the reason on the
line), and an independent check that no computed week breaks its pack. Pure, Decimal only."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from organisation.sentences import Sentence
from timeclock.pay import CENT, PayCode, PayLine, money

FINES = (PayCode.LATENESS_PENALTY, PayCode.ABSENCE_PENALTY)
ZERO = Decimal("0.00")
# Words that name the employer as a fine's destination (BW 7:650 lid 3 forbids it).
EMPLOYER_WORDS = ("employer", "werkgever", "company", "bedrijf", "the firm")


@dataclass(frozen=True)
class Pack:
    """What a jurisdiction allows of fines. `version` is the day its sources were read."""

    code: str
    version: str
    name: str
    sources: tuple[str, ...]
    fines_allowed: bool
    article: str  # named in every refusal and capped line
    fixed_amounts_only: bool = False  # each fine a set amount of money (NL lid 4)
    needs_acknowledgement: bool = False  # written rules received first (NL lid 1-2)
    destination_required: bool = False  # named, and not the employer (NL lid 3)
    weekly_cap_half_day: bool = False  # a week's fines <= half a day's wage (NL lid 5)
    cap_liftable_above_minimum: bool = False  # by written agreement above the WML (NL lid 6)
    workweek_floor: bool = False  # a week's pay stays at the minimum wage (29 CFR 531.35)
    country: str = ""  # the unknown pack: the country it stands for


@dataclass(frozen=True)
class PolicyTerms:
    """The fine settings of a pay policy, as the pack reads them."""

    fines_enabled: bool
    lateness_mode: str  # none | per_minute | per_occurrence | tiered
    absence_mode: str  # none | fixed | shift_pay_multiple
    fine_destination: str = ""
    employer_names: tuple[str, ...] = ()  # the site's and organisation's names


@dataclass(frozen=True)
class Refusal:
    """Why a pack refuses a policy: a stable code, the field and the article."""

    code: str
    field: str
    article: str


@dataclass(frozen=True)
class Acknowledgement:
    """The employee received the written fine rules on `received_on`; `cap_lifted`: with a
    written agreement lifting the weekly cap."""

    received_on: date
    cap_lifted: bool = False


@dataclass(frozen=True)
class FineFacts:
    """What a pack needs of one employee besides their pay lines. Money in the pay's currency;
    `day_wage` is the wage for one day (contract minutes a week / days a week x rate)."""

    rate_per_hour: Decimal
    minimum_hourly_wage: Decimal
    day_wage: Decimal
    acknowledgements: tuple[Acknowledgement, ...] = ()
    fine_destination: str = ""
    workweek_starts: int = 0  # 0 = Monday
    overtime_multiplier: Decimal = Decimal("1.5")
    # The policy's fine modes (a set amount, or per minute / a multiple of the shift's pay):
    # a pack that wants set amounts (NL lid 4) takes no other fine, whatever the policy says.
    lateness_mode: str = "none"
    absence_mode: str = "none"
    # Fines already taken in other pay periods, per workweek (its first local day, the amount
    # taken, positive): a week split across periods has one cap (NL lid 5).
    fines_taken: tuple[tuple[date, Decimal], ...] = ()
    # Lines other pay periods of the site froze on the days of a workweek this period shares
    # with them (earned and fines): the minimum-wage floor is the workweek's, not the period's
    # (29 CFR 776.4: the workweek is the unit, "even though two or more workweeks may be
    # paid for at one time" or one workweek in two pay periods).
    paid_elsewhere: tuple["Elsewhere", ...] = ()


@dataclass(frozen=True)
class Elsewhere:
    """One line another pay period froze in a workweek this period shares with it."""

    work_date: date
    pay_code: str
    minutes: int
    amount: Decimal


def policy_refusals(pack: Pack, terms: PolicyTerms) -> tuple[Refusal, ...]:
    """What of a policy's fine settings the pack refuses (empty: the policy may be saved)."""
    modes = [
        (field, mode)
        for field, mode in (
            ("lateness_mode", terms.lateness_mode),
            ("absence_mode", terms.absence_mode),
        )
        if mode != "none"
    ]
    if not terms.fines_enabled or not modes:
        return ()
    if not pack.fines_allowed:
        code = "fines_no_pack" if pack.code == "UNKNOWN" else "fines_unlawful"
        return tuple(Refusal(code, field, pack.article) for field, _ in modes)
    refusals = []
    if pack.fixed_amounts_only:
        refusals += [
            Refusal("fine_amount_not_fixed", field, pack.article)
            for field, mode in modes
            if mode in ("per_minute", "shift_pay_multiple")
        ]
    if pack.destination_required:
        refusals += _destination_refusals(pack, terms)
    return tuple(refusals)


def _destination_refusals(pack: Pack, terms: PolicyTerms) -> list[Refusal]:
    destination = " ".join(terms.fine_destination.lower().split())
    if not destination:
        return [Refusal("fine_destination_missing", "fine_destination", pack.article)]
    names = [n.lower() for n in terms.employer_names if n.strip()]
    if any(w in destination for w in EMPLOYER_WORDS) or any(n in destination for n in names):
        return [Refusal("fine_destination_employer", "fine_destination", pack.article)]
    return []


def week_of(day: date, workweek_starts: int) -> date:
    """The first local day of the workweek `day` belongs to."""
    return day - timedelta(days=(day.weekday() - workweek_starts) % 7)


def lawful_lines(lines: Sequence[PayLine], *, pack: Pack, facts: FineFacts) -> list[PayLine]:
    """The pay lines with every fine the pack does not allow cut (to 0.00, or down to what
    is left), the reason added to the line; the other lines unchanged, in the same order."""
    fines = {i: line for i, line in enumerate(lines) if line.pay_code in FINES}
    for i, line in fines.items():
        fines[i] = _allowed_at_all(line, pack, facts)
    by_week: dict[date, list[int]] = defaultdict(list)
    for i, line in fines.items():
        by_week[week_of(line.work_date or date.min, facts.workweek_starts)].append(i)
    taken = taken_by_week(facts)
    for week, members in by_week.items():
        ordered = sorted(members, key=lambda i: (fines[i].work_date or date.min, i))
        if pack.weekly_cap_half_day and not _cap_lifted(ordered, fines, facts):
            _weekly_cap(ordered, fines, week, taken.get(week, ZERO), pack, facts)
        if pack.workweek_floor:
            room = _room(lines, week, facts)
            _reduce(ordered, fines, max(ZERO, room), "fine_workweek_floor", week, pack)
    result = [fines.get(i, line) for i, line in enumerate(lines)]
    if pack.workweek_floor:
        result += _given_back(lines, facts, pack)
    return result


def _given_back(lines: Sequence[PayLine], facts: FineFacts, pack: Pack) -> list[PayLine]:
    """For each workweek shared with another period that took fines in it: where the week as
    a whole (that period's pay and fines, and this one's) is short of the minimum wage with
    this period's own fines all cut, this period gives back what is short, at most the fines
    taken there, under the code of the latest of them (29 CFR 531.35 and 776.4)."""
    if not facts.paid_elsewhere:  # no week shared with a closed period: most pay runs
        return []
    found = []
    here = {
        week_of(line.work_date, facts.workweek_starts)
        for line in lines
        if line.work_date is not None
        and line.pay_code not in FINES
        and line.pay_code != PayCode.ADJUSTMENT
    }
    for week in sorted(here & set(_elsewhere_by_week(facts))):
        taken = _taken_elsewhere(week, facts)
        short = min(taken, -_room(lines, week, facts))
        if short <= 0:
            continue
        elsewhere = [e for e in _elsewhere_by_week(facts)[week] if e.pay_code in FINES]
        code = PayCode(max(elsewhere, key=lambda e: e.work_date).pay_code)
        first = min(
            line.work_date for line in _earned_in(lines, week, facts) if line.work_date is not None
        )
        why = Sentence.of(
            "fine_workweek_floor_given_back", amount=short, week=week, article=pack.article
        )
        found.append(PayLine(code, 0, ZERO, Decimal(0), short, (why,), first))
    return found


def _elsewhere_by_week(facts: FineFacts) -> dict[date, list[Elsewhere]]:
    found: dict[date, list[Elsewhere]] = defaultdict(list)
    for e in facts.paid_elsewhere:
        found[week_of(e.work_date, facts.workweek_starts)].append(e)
    return found


def _taken_elsewhere(week: date, facts: FineFacts) -> Decimal:
    """The fines other periods took in the week, net (never below 0.00)."""
    lines = _elsewhere_by_week(facts).get(week, [])
    return max(ZERO, -sum((e.amount for e in lines if e.pay_code in FINES), ZERO))


def _weekly_cap(
    ordered: list[int],
    fines: dict[int, PayLine],
    week: date,
    taken: Decimal,
    pack: Pack,
    facts: FineFacts,
) -> None:
    """Half a day's wage for the week's fines, less what other periods already took of it."""
    cap = money(facts.day_wage / 2)
    if not taken:
        _reduce(ordered, fines, cap, "fine_weekly_cap", week, pack, cap=cap)
        return
    room = max(ZERO, cap - taken)
    _reduce(ordered, fines, room, "fine_weekly_cap_taken", week, pack, cap=cap, taken=taken)


def taken_by_week(facts: FineFacts) -> dict[date, Decimal]:
    """The fines already taken in other periods per workweek (never below 0.00)."""
    taken: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for week, amount in facts.fines_taken:
        taken[week_of(week, facts.workweek_starts)] += amount
    return {week: max(ZERO, amount) for week, amount in taken.items()}


# The modes that are no set amount of money (NL lid 4).
NOT_FIXED = ("per_minute", "shift_pay_multiple")


def _fixed(line: PayLine, facts: FineFacts) -> bool:
    mode = facts.lateness_mode if line.pay_code == PayCode.LATENESS_PENALTY else facts.absence_mode
    return mode not in NOT_FIXED


def _allowed_at_all(line: PayLine, pack: Pack, facts: FineFacts) -> PayLine:
    amount = -line.amount
    if not amount:
        return line
    if not pack.fines_allowed:
        if pack.code == "UNKNOWN":
            why = Sentence.of("fine_no_pack", amount=amount, country=pack.country or "?")
        else:
            why = Sentence.of("fine_not_allowed", amount=amount, article=pack.article)
        return _set(line, ZERO, why)
    if pack.fixed_amounts_only and not _fixed(line, facts):
        return _set(
            line, ZERO, Sentence.of("fine_amount_not_fixed", amount=amount, article=pack.article)
        )
    if pack.destination_required and not facts.fine_destination.strip():
        return _set(
            line, ZERO, Sentence.of("fine_no_destination", amount=amount, article=pack.article)
        )
    day = line.work_date or date.min
    if pack.needs_acknowledgement and not _acknowledged(facts, day):
        why = Sentence.of("fine_no_acknowledgement", amount=amount, date=day, article=pack.article)
        return _set(line, ZERO, why)
    return line


def _acknowledged(facts: FineFacts, day: date) -> bool:
    return any(a.received_on <= day for a in facts.acknowledgements)


def _cap_lifted(members: Iterable[int], fines: dict[int, PayLine], facts: FineFacts) -> bool:
    """Lifted for the week only when the employee is paid above the minimum wage and, for
    every fine of the week, the latest rules received by its day carry the agreement."""
    if facts.rate_per_hour <= facts.minimum_hourly_wage:
        return False
    for i in members:
        day = fines[i].work_date or date.min
        received = [a for a in facts.acknowledgements if a.received_on <= day]
        if not received or not max(received, key=lambda a: a.received_on).cap_lifted:
            return False
    return True


def _reduce(
    ordered: list[int],
    fines: dict[int, PayLine],
    room: Decimal,
    code: str,
    week: date,
    pack: Pack,
    **extra: Decimal,
) -> None:
    """Fines of the week kept in date order while `room` lasts; the rest cut, with the reason."""
    for i in ordered:
        line = fines[i]
        amount = -line.amount
        take = min(amount, room)
        room -= take
        if take < amount:
            why = Sentence.of(code, amount=take, week=week, article=pack.article, **extra)
            fines[i] = _set(line, take, why)


def _set(line: PayLine, amount: Decimal, why: Sentence) -> PayLine:
    return replace(line, amount=-amount if amount else ZERO, reason=(*line.reason, why))


def _earned_in(lines: Sequence[PayLine], week: date, facts: FineFacts) -> list[PayLine]:
    return [
        line
        for line in lines
        if line.pay_code not in FINES
        and line.pay_code != PayCode.ADJUSTMENT
        and line.work_date is not None
        and week_of(line.work_date, facts.workweek_starts) == week
    ]


# Worked time: the minutes the minimum wage is owed for (29 CFR 531.35: every hour worked,
# training and classroom hours too).
WORKED = (PayCode.REGULAR, PayCode.OVERTIME, PayCode.TRAINING)


def _straight(lines: Sequence[PayLine], week: date, facts: FineFacts) -> Decimal:
    """The week's pay with overtime hours at the base rate: the overtime premium is out of a
    deduction's reach (29 CFR 778.307). With what other periods paid for the same week."""
    earned: list[tuple[str, Decimal]] = [
        (line.pay_code, line.amount) for line in _earned_in(lines, week, facts)
    ]
    earned += [
        (e.pay_code, e.amount)
        for e in _elsewhere_by_week(facts).get(week, [])
        if e.pay_code not in FINES and e.pay_code != PayCode.ADJUSTMENT
    ]
    return sum(
        (
            amount / facts.overtime_multiplier if code == PayCode.OVERTIME else amount
            for code, amount in earned
        ),
        ZERO,
    )


def _room(lines: Sequence[PayLine], week: date, facts: FineFacts) -> Decimal:
    """What this period's fines may take from the week and keep the minimum wage free and
    clear, after what other periods took of the same week: in whole cents, rounded down
    (the lawful side; a fine cut to it is money as it stands). Below 0.00 where the fines
    taken elsewhere already took the week below the floor (what this period gives back)."""
    room = _straight(lines, week, facts) - _floor(lines, week, facts)
    room -= _taken_elsewhere(week, facts)
    return room.quantize(CENT, rounding=ROUND_FLOOR)


def _floor(lines: Sequence[PayLine], week: date, facts: FineFacts) -> Decimal:
    """The minimum wage for every hour worked in the week, in this period and others."""
    minutes = sum(
        line.minutes for line in _earned_in(lines, week, facts) if line.pay_code in WORKED
    )
    minutes += sum(
        e.minutes for e in _elsewhere_by_week(facts).get(week, []) if e.pay_code in WORKED
    )
    return money(Decimal(minutes) / 60 * facts.minimum_hourly_wage)


def breaches(lines: Sequence[PayLine], *, pack: Pack, facts: FineFacts) -> list[str]:
    """What in computed pay lines breaks the pack (empty: lawful). Written apart from the
    capping so that it checks it, as the roster validator checks the solver."""
    found: list[str] = []
    by_week: dict[date, list[PayLine]] = defaultdict(list)
    for line in lines:
        if line.pay_code in FINES and line.amount:
            day = line.work_date or date.min
            by_week[week_of(day, facts.workweek_starts)].append(line)
            if line.amount > 0:
                found.append(f"{day}: a fine adds pay")
            if not pack.fines_allowed:
                found.append(f"{day}: a fine where {pack.code} allows none")
            if pack.destination_required and not facts.fine_destination.strip():
                found.append(f"{day}: a fine with no destination named")
            if pack.needs_acknowledgement and not _acknowledged(facts, day):
                found.append(f"{day}: a fine before the rules were received")
            if pack.fixed_amounts_only and not _fixed(line, facts):
                found.append(f"{day}: a fine that is no set amount")
    taken = taken_by_week(facts)
    if pack.workweek_floor:
        found = [f for f in found if not f.endswith("a fine adds pay")]
        found += _floor_breaches(lines, by_week, facts)
    for week, fined in by_week.items():
        total = -sum((line.amount for line in fined), ZERO)
        in_week = total + taken.get(week, ZERO)  # with what other periods took of it
        lifted = facts.rate_per_hour > facts.minimum_hourly_wage and all(
            max(
                (a for a in facts.acknowledgements if a.received_on <= (f.work_date or date.min)),
                key=lambda a: a.received_on,
                default=Acknowledgement(date.min),
            ).cap_lifted
            for f in fined
        )
        if pack.weekly_cap_half_day and not lifted and in_week > money(facts.day_wage / 2):
            found.append(f"week {week}: fines {in_week} above half a day's wage")
    return found


def _floor_breaches(
    lines: Sequence[PayLine], by_week: dict[date, list[PayLine]], facts: FineFacts
) -> list[str]:
    """The workweek floor over every period that pays the week: this period's fines (net of
    anything given back) at most what the week's straight-time pay leaves above the minimum
    wage after the fines other periods took; a give-back never more than those took."""
    found = []
    for week, fined in by_week.items():
        total = -sum((line.amount for line in fined), ZERO)
        taken = _taken_elsewhere(week, facts)
        if total < -taken:  # a give-back nets against fines of the week, here or elsewhere
            found.append(f"week {week}: a fine adds pay")
        room = _straight(lines, week, facts) - _floor(lines, week, facts)
        if total > max(ZERO, room) - taken:
            found.append(f"week {week}: fines {total + taken} take pay below the minimum wage")
    return found
