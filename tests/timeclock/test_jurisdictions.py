"""Jurisdiction packs (issue 25): the statutory examples as golden cases, the policy
refusals naming the article, and the property that no computed week breaks its pack."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeclock.attendance import PunchEvent, ScheduledShift, Timesheet, attendance
from timeclock.jurisdictions.packs import pack_for
from timeclock.jurisdictions.rules import (
    Acknowledgement,
    Elsewhere,
    FineFacts,
    Pack,
    PolicyTerms,
    breaches,
    lawful_lines,
    policy_refusals,
)
from timeclock.pay import AbsenceMode, LatenessMode, PayCode, PayLine, PayPolicy, pay_lines
from timeclock.pay import money as money_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 6, 1)
NL, US, NY = pack_for("NL"), pack_for("US", "TX"), pack_for("US", "NY")
NL_FINES = PayPolicy(
    timezone="Europe/Amsterdam",
    minimum_hourly_wage=Decimal("14.7100"),
    lateness_mode=LatenessMode.PER_OCCURRENCE,
    lateness_amount=Decimal(30),
)


def week(lates: list[int], *, zone: ZoneInfo = AMSTERDAM, hours: int = 8) -> Timesheet:
    """One 09:00 shift of `hours` a day from Monday, the in-punch `late` minutes late."""
    shifts, punches = [], []
    for n, late in enumerate(lates):
        start = datetime.combine(MONDAY + timedelta(days=n), datetime.min.time(), zone)
        start += timedelta(hours=9)
        end = start + timedelta(hours=hours)
        shifts.append(ScheduledShift(f"s{n}", start, end))
        if late >= 0:
            punches.append(PunchEvent(f"i{n}", "in", start + timedelta(minutes=late)))
            punches.append(PunchEvent(f"o{n}", "out", end))
    return attendance(shifts, punches)


def fines(lines: list[PayLine]) -> list[PayLine]:
    return [line for line in lines if line.pay_code == PayCode.LATENESS_PENALTY]


def absences(lines: list[PayLine]) -> list[PayLine]:
    return [line for line in lines if line.pay_code == PayCode.ABSENCE_PENALTY]


def nl_facts(**changes: object) -> FineFacts:
    values: dict[str, object] = {
        "rate_per_hour": Decimal("20.0000"),
        "minimum_hourly_wage": Decimal("14.7100"),
        "day_wage": Decimal("160.00"),  # 8 h x 20.00
        "acknowledgements": (Acknowledgement(date(2026, 1, 5)),),
        "fine_destination": "Stichting KWF Kankerbestrijding",
    }
    values.update(changes)
    return FineFacts(**values)  # type: ignore[arg-type]


def computed(sheet: Timesheet, policy: PayPolicy, pack: Pack, facts: FineFacts) -> list[PayLine]:
    lines = pay_lines(timesheet=sheet, rate_per_hour=facts.rate_per_hour, policy=policy)
    return lawful_lines(lines, pack=pack, facts=facts)


# --- The Netherlands, BW art. 7:650 -------------------------------------------------------


def test_nl_three_late_arrivals_are_capped_at_half_a_days_wage() -> None:
    """Lid 5: 3 x 30.00 = 90.00 of fines in one week, half a day's wage (8 h x 20.00 / 2)
    is 80.00: the first two stand, the third is cut to 20.00 with the article on the line."""
    lines = computed(week([12, 0, 20, 0, 30]), NL_FINES, NL, nl_facts())
    assert [f.amount for f in fines(lines)] == [Decimal(-30), Decimal(-30), Decimal("-20.00")]
    assert fines(lines)[2].rule.endswith(
        "reduced to 20.00: fines in the week from 01 Jun are at most half a day's wage, "
        "80.00 (BW art. 7:650)"
    )
    assert breaches(lines, pack=NL, facts=nl_facts()) == []


def test_nl_late_minutes_stay_unpaid_because_time_not_worked_is_no_fine() -> None:
    """Art. 7:627: the 30 late minutes are not paid, with or without fines."""
    no_fines = PayPolicy(timezone="Europe/Amsterdam", minimum_hourly_wage=Decimal("14.7100"))
    lines = computed(week([30]), no_fines, NL, nl_facts())
    (regular,) = lines
    assert regular.pay_code == PayCode.REGULAR
    assert regular.minutes == 8 * 60 - 30


def test_nl_no_fine_without_a_recorded_acknowledgement() -> None:
    lines = computed(week([12]), NL_FINES, NL, nl_facts(acknowledgements=()))
    (fine,) = fines(lines)
    assert fine.amount == Decimal("0.00")
    assert "had not received the written fine rules by 01 Jun (BW art. 7:650)" in fine.rule


def test_nl_a_fine_dated_before_the_acknowledgement_is_not_allowed() -> None:
    """Received on Wednesday: Monday's fine is cut, Thursday's stands."""
    facts = nl_facts(acknowledgements=(Acknowledgement(MONDAY + timedelta(days=2)),))
    lines = computed(week([12, 0, 0, 12]), NL_FINES, NL, facts)
    assert [f.amount for f in fines(lines)] == [Decimal("0.00"), Decimal(-30)]


def test_nl_a_written_agreement_lifts_the_cap_only_above_the_minimum_wage() -> None:
    lifted = (Acknowledgement(date(2026, 1, 5), cap_lifted=True),)
    above = computed(week([12, 12, 12]), NL_FINES, NL, nl_facts(acknowledgements=lifted))
    assert sum(f.amount for f in fines(above)) == Decimal(-90)
    # The same lines for someone on the minimum wage: the agreement does not count (lid 6).
    at_minimum = nl_facts(
        acknowledgements=lifted, rate_per_hour=Decimal("14.7100"), day_wage=Decimal("117.68")
    )
    raw = pay_lines(timesheet=week([12, 12, 12]), rate_per_hour=Decimal(20), policy=NL_FINES)
    capped = lawful_lines(raw, pack=NL, facts=at_minimum)
    assert sum(f.amount for f in fines(capped)) == Decimal("-58.84")  # 117.68 / 2


def test_nl_a_week_split_across_two_periods_has_one_cap() -> None:
    """Lid 5 counts the week, not the pay period: 50.00 a late arrival, half a day's wage
    80.00. Monday to Wednesday (one period) took 60.00 (two arrivals, capped at 80.00 alone);
    Thursday to Sunday (the next) may take only the 20.00 left, the reason on the line."""
    policy = replace(NL_FINES, lateness_amount=Decimal(50))
    monday_to_wednesday = computed(week([12, 0, 12]), policy, NL, nl_facts())
    earlier = fines(monday_to_wednesday)
    assert [f.amount for f in earlier] == [Decimal(-50), Decimal("-30.00")]
    facts = nl_facts(fines_taken=((MONDAY, Decimal(80)),))
    sheet = Timesheet(week([0, 0, 0, 12, 12]).shifts[3:])  # Thursday and Friday
    later = computed(sheet, policy, NL, facts)
    assert [f.amount for f in fines(later)] == [Decimal("0.00"), Decimal("0.00")]
    facts = nl_facts(fines_taken=((MONDAY + timedelta(days=2), Decimal(60)),))
    later = computed(sheet, policy, NL, facts)
    assert [f.amount for f in fines(later)] == [Decimal("-20.00"), Decimal("0.00")]
    assert fines(later)[0].rule.endswith(
        "reduced to 20.00: fines in the week from 01 Jun are at most half a day's wage, 80.00, "
        "and 60.00 of it was taken in another pay period (BW art. 7:650)"
    )
    assert breaches(later, pack=NL, facts=facts) == []
    # The checker sees the week whole: the same lines without the cap taken into account.
    uncapped = computed(sheet, policy, NL, nl_facts())
    assert breaches(uncapped, pack=NL, facts=facts) != []
    # Another week's fines count nothing here.
    other = nl_facts(fines_taken=((MONDAY - timedelta(days=1), Decimal(80)),))
    assert [f.amount for f in fines(computed(sheet, policy, NL, other))] == [
        Decimal(-50),
        Decimal("-30.00"),
    ]


def test_nl_a_fine_per_minute_or_a_shift_multiple_is_not_taken_at_pay_time() -> None:
    """Lid 4: a policy that reached a Dutch site without the save's check (the site's country
    changed, or the policy predates the packs) still takes no fine that is no set amount."""
    per_minute = replace(
        NL_FINES, lateness_mode=LatenessMode.PER_MINUTE, lateness_amount=Decimal("0.50")
    )
    facts = nl_facts(lateness_mode="per_minute")
    (fine,) = fines(computed(week([20]), per_minute, NL, facts))
    assert fine.amount == Decimal("0.00")
    assert fine.rule.endswith(
        "10.00 not deducted: BW art. 7:650 allows only fines of a set amount (lid 4), not per "
        "minute or a multiple of the shift's pay"
    )
    assert breaches(
        pay_lines(timesheet=week([20]), rate_per_hour=Decimal(20), policy=per_minute),
        pack=NL,
        facts=facts,
    ) == ["2026-06-01: a fine that is no set amount"]
    multiple = replace(
        NL_FINES, absence_mode=AbsenceMode.SHIFT_PAY_MULTIPLE, absence_amount=Decimal(1)
    )
    facts = nl_facts(lateness_mode="per_occurrence", absence_mode="shift_pay_multiple")
    lines = computed(week([12, -1]), multiple, NL, facts)
    (absence,) = [line for line in lines if line.pay_code == PayCode.ABSENCE_PENALTY]
    assert absence.amount == Decimal("0.00")
    assert [f.amount for f in fines(lines)] == [Decimal(-30)]  # the set amount stands
    # Elsewhere (federal US) a fine per minute stays a lawful deduction, floor permitting.
    us = computed(
        week([20], zone=NEW_YORK),
        replace(per_minute, timezone="America/New_York", minimum_hourly_wage=Decimal(7)),
        US,
        replace(US_FACTS, rate_per_hour=Decimal(20), lateness_mode="per_minute"),
    )
    assert [f.amount for f in fines(us)] == [Decimal("-10.00")]


def test_nl_no_destination_named_no_fine() -> None:
    (fine,) = fines(computed(week([12]), NL_FINES, NL, nl_facts(fine_destination="")))
    assert fine.amount == Decimal("0.00")
    assert "names no destination" in fine.rule


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (PolicyTerms(True, "per_occurrence", "none", "KWF"), []),
        (PolicyTerms(True, "per_occurrence", "none", ""), ["fine_destination_missing"]),
        (PolicyTerms(True, "tiered", "none", "the employer"), ["fine_destination_employer"]),
        (
            PolicyTerms(True, "tiered", "none", "Acme Contact BV fund", ("Acme Contact BV",)),
            ["fine_destination_employer"],
        ),
        (PolicyTerms(True, "per_minute", "none", "KWF"), ["fine_amount_not_fixed"]),
        (PolicyTerms(True, "none", "shift_pay_multiple", "KWF"), ["fine_amount_not_fixed"]),
        (PolicyTerms(False, "per_minute", "fixed", ""), []),
    ],
)
def test_nl_policies_the_article_refuses(terms: PolicyTerms, expected: list[str]) -> None:
    refusals = policy_refusals(NL, terms)
    assert [r.code for r in refusals] == expected
    assert all(r.article == "BW art. 7:650" for r in refusals)


# --- United States, federal and New York ---------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")
US_FINES = PayPolicy(
    timezone="America/New_York",
    minimum_hourly_wage=Decimal("7.2500"),
    lateness_mode=LatenessMode.PER_OCCURRENCE,
    lateness_amount=Decimal(100),
)
US_FACTS = FineFacts(
    rate_per_hour=Decimal("8.0000"), minimum_hourly_wage=Decimal("7.2500"), day_wage=Decimal(64)
)


def test_us_a_deduction_never_takes_the_week_below_the_minimum_wage() -> None:
    """29 CFR 531.35: 40 h at 8.00 = 320.00; the floor 40 x 7.25 = 290.00; a 100.00 fine
    is cut to 30.00 (the free-and-clear room)."""
    lines = computed(week([0, 0, 0, 0, 0], zone=NEW_YORK), US_FINES, US, US_FACTS)
    late = computed(week([6, 0, 0, 0, 0], zone=NEW_YORK), US_FINES, US, US_FACTS)
    assert fines(lines) == []
    (fine,) = fines(late)
    assert fine.amount >= Decimal("-30.00")
    assert breaches(late, pack=US, facts=US_FACTS) == []


def test_us_the_overtime_premium_is_untouched() -> None:
    """45 h: 40 x 8 + 5 x 12 = 380.00; the floor keeps 45 x 7.25 = 326.25 of the
    straight-time 360.00, so at most 33.75 is deducted and the premium (20.00) stays."""
    sheet = week([6, 0, 0, 0, 0], zone=NEW_YORK, hours=9)
    lines = computed(sheet, US_FINES, US, US_FACTS)
    overtime = [line for line in lines if line.pay_code == PayCode.OVERTIME]
    assert sum(o.minutes for o in overtime) == 5 * 60 - 6
    assert -sum(f.amount for f in fines(lines)) <= Decimal("33.75")
    assert breaches(lines, pack=US, facts=US_FACTS) == []


def line(code: PayCode, minutes: int, rate: str, amount: str, day: int = 0) -> PayLine:
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    work_date = MONDAY + timedelta(days=day)
    return PayLine(code, minutes, hours, Decimal(rate), Decimal(amount), (), work_date)


def test_us_training_hours_are_worked_hours_under_the_floor() -> None:
    """A week of 40 h of classroom training at the minimum wage (7.25): 290.00 earned, all of
    it owed free and clear, so a 200.00 fine is cut to nothing."""
    fine = line(PayCode.LATENESS_PENALTY, 0, "0", "-200.00")
    trained = [line(PayCode.TRAINING, 480, "7.2500", "58.00", day) for day in range(5)]
    facts = replace(US_FACTS, rate_per_hour=Decimal("7.2500"))
    lines = lawful_lines([*trained, fine], pack=US, facts=facts)
    assert [f.amount for f in fines(lines)] == [Decimal("0.00")]
    assert breaches(lines, pack=US, facts=facts) == []
    assert breaches([*trained, fine], pack=US, facts=facts) != []  # the checker sees the uncut


def test_us_a_fine_cut_to_the_floor_is_whole_cents_rounded_the_lawful_way() -> None:
    """290.00 regular (40 h at 7.25) and 61 min of overtime paid 11.06 at 1.5x: the straight
    time of the overtime is 7.3733..., the floor for 41 h 1 min 297.37 (7.25 x 41.0166...):
    the room 0.0033... is 0.00 in cents, never a fraction of a cent."""
    lines = [
        line(PayCode.REGULAR, 2400, "7.2500", "290.00"),
        line(PayCode.OVERTIME, 61, "10.8750", "11.06"),
        line(PayCode.LATENESS_PENALTY, 0, "0", "-50.00"),
    ]
    facts = replace(US_FACTS, rate_per_hour=Decimal("7.2500"))
    (fine,) = fines(lawful_lines(lines, pack=US, facts=facts))
    assert fine.amount == fine.amount.quantize(Decimal("0.01"))
    assert fine.amount == Decimal("0.00")


def frozen(lines: list[PayLine]) -> tuple[Elsewhere, ...]:
    """Lines of a closed period as the next period's facts carry them."""
    return tuple(
        Elsewhere(line.work_date, str(line.pay_code), line.minutes, line.amount)
        for line in lines
        if line.work_date is not None
    )


def test_us_the_floor_is_the_workweeks_across_two_pay_periods() -> None:
    """29 CFR 776.4: the workweek is the unit, also when two pay periods share it. At 7.25
    (the minimum wage), Monday and Tuesday worked 474 min each (late 6 min) and paid 57.28 a
    day (57.275 rounded up): 114.56 for 948 min whose minimum wage is 114.55, so the first
    period took 0.01 of Monday's fine. Wednesday to Friday, 473 min each (late 7), are paid
    57.15 a day (57.154 rounded down). The week: 286.01 paid for 2,367 min, whose minimum
    wage is 286.01 (286.0125): no room for any fine in the week, so the second period takes
    none and gives the first period's 0.01 back. Computed per period, the second period's
    fines were cut (its own pay is below its floor by rounding) but the 0.01 stayed taken:
    the week 0.01 short."""
    policy = replace(US_FINES, minimum_hourly_wage=Decimal("7.2500"))
    facts = replace(US_FACTS, rate_per_hour=Decimal("7.2500"))
    sheet = week([6, 6, 7, 7, 7], zone=NEW_YORK)
    first = computed(Timesheet(sheet.shifts[:2]), policy, US, facts)
    assert [r.amount for r in first if r.pay_code == PayCode.REGULAR] == [Decimal("57.28")] * 2
    assert [f.amount for f in fines(first)] == [Decimal("-0.01")]  # Tuesday's: no room left
    later = replace(facts, paid_elsewhere=frozen(first))
    second = computed(Timesheet(sheet.shifts[2:]), policy, US, later)
    assert [r.amount for r in second if r.pay_code == PayCode.REGULAR] == [Decimal("57.15")] * 3
    (back,) = fines(second)  # its own three fines cut to nothing
    assert (back.amount, back.work_date) == (Decimal("0.01"), MONDAY + timedelta(days=2))
    assert back.rule == (
        "0.01 of a fine taken in another pay period given back: the week from 01 Jun keeps "
        "the minimum wage free and clear over both periods (29 CFR 531.35, 778.307)"
    )
    assert breaches(second, pack=US, facts=later) == []
    assert breaches(first + second, pack=US, facts=facts) == []
    # Without what the first period paid and took, the week as a whole is short.
    alone = computed(Timesheet(sheet.shifts[2:]), policy, US, facts)
    assert breaches(first + alone, pack=US, facts=facts) == [
        "week 2026-06-01: fines 0.01 take pay below the minimum wage"
    ]


def test_us_the_later_period_takes_only_what_the_week_has_left() -> None:
    """40 h at 8.00 split Monday to Wednesday / Thursday and Friday: the week's room above
    the floor is 320.00 - 290.00 = 30.00. The first period, paid 192.00 for 24 h (floor
    174.00), took Monday's 100.00 fine down to 18.00; the second may take 12.00, whatever
    its own days would allow."""
    lines = [line(PayCode.REGULAR, 480, "8.0000", "64.00", day) for day in range(5)]
    earlier = [*lines[:3], line(PayCode.LATENESS_PENALTY, 6, "0", "-18.00")]
    later = replace(US_FACTS, paid_elsewhere=frozen(earlier))
    fine = line(PayCode.LATENESS_PENALTY, 6, "0", "-100.00", 3)
    (cut,) = fines(lawful_lines([*lines[3:], fine], pack=US, facts=later))
    assert cut.amount == Decimal("-12.00")
    # The first period took no fine: the week's whole room is the second's.
    nothing = replace(US_FACTS, paid_elsewhere=frozen(lines[:3]))
    (cut,) = fines(lawful_lines([*lines[3:], fine], pack=US, facts=nothing))
    assert cut.amount == Decimal("-30.00")
    assert breaches([*lines[3:], cut], pack=US, facts=nothing) == []


def test_ny_no_disciplinary_fine_and_docking_time_not_worked_allowed() -> None:
    """12 NYCRR 195-4.5(e): fines for tardiness are prohibited deductions; the late minutes
    are simply not paid."""
    absent_too = PayPolicy(
        timezone="America/New_York",
        minimum_hourly_wage=Decimal("16.5000"),
        lateness_mode=LatenessMode.PER_MINUTE,
        lateness_amount=Decimal("0.25"),
        absence_mode=AbsenceMode.FIXED,
        absence_amount=Decimal(20),
    )
    facts = FineFacts(Decimal("20.0000"), Decimal("16.5000"), Decimal(160))
    lines = computed(week([30, -1], zone=NEW_YORK), absent_too, NY, facts)
    penalties = [line for line in lines if line.pay_code.endswith("PENALTY")]
    assert [p.amount for p in penalties] == [Decimal("0.00"), Decimal("0.00")]
    assert penalties[0].rule.endswith(
        "7.50 not deducted: NY Labor Law s. 193; 12 NYCRR 195-4.5(e) does not allow this fine"
    )
    regular = [line for line in lines if line.pay_code == PayCode.REGULAR]
    assert sum(r.minutes for r in regular) == 8 * 60 - 30
    assert breaches(lines, pack=NY, facts=facts) == []


def test_ny_refuses_every_lateness_and_absence_fine_in_a_policy() -> None:
    refusals = policy_refusals(NY, PolicyTerms(True, "per_minute", "fixed"))
    assert [(r.code, r.field) for r in refusals] == [
        ("fines_unlawful", "lateness_mode"),
        ("fines_unlawful", "absence_mode"),
    ]
    assert refusals[0].article == "NY Labor Law s. 193; 12 NYCRR 195-4.5(e)"
    assert policy_refusals(NY, PolicyTerms(True, "none", "none")) == ()
    assert policy_refusals(US, PolicyTerms(True, "per_minute", "fixed")) == ()


# --- A country without a pack --------------------------------------------------------------


def test_an_unknown_country_turns_fines_off_and_says_why() -> None:
    pack = pack_for("fr")
    assert pack.code == "UNKNOWN"
    assert pack.country == "FR"
    assert [r.code for r in policy_refusals(pack, PolicyTerms(True, "tiered", "none"))] == [
        "fines_no_pack"
    ]
    (fine,) = fines(computed(week([12]), NL_FINES, pack, nl_facts()))
    assert fine.amount == Decimal("0.00")
    assert fine.rule.endswith(
        "30.00 not deducted: no rule pack for the country FR, so fines are off"
    )


def test_the_packs_are_versioned_and_cite_their_sources() -> None:
    for pack in (NL, US, NY):
        assert pack.version
        assert pack.sources
        assert pack.article
    assert pack_for("US", "ny") is NY
    assert pack_for("US").code == "US"


# --- Property: no computed week breaks its pack --------------------------------------------

late_days = st.lists(st.integers(min_value=-1, max_value=120), min_size=1, max_size=7)
money = st.decimals(min_value=Decimal(0), max_value=Decimal(200), places=2)


@settings(max_examples=150, deadline=None)
@given(
    lates=late_days,
    pack=st.sampled_from([NL, US, NY, pack_for("DE")]),
    mode=st.sampled_from(list(LatenessMode)),
    amount=money,
    absence=st.sampled_from(list(AbsenceMode)),
    # At or just above the minimum wage too, where a split week's cents of rounding matter.
    rate=st.one_of(
        st.decimals(min_value=Decimal(10), max_value=Decimal(40), places=2),
        st.decimals(min_value=Decimal("14.71"), max_value=Decimal("14.80"), places=2),
    ),
    acknowledged=st.one_of(st.none(), st.integers(min_value=-3, max_value=8)),
    lifted=st.booleans(),
    destination=st.sampled_from(["", "KWF"]),
    hours=st.integers(min_value=4, max_value=10),
    split=st.integers(min_value=0, max_value=7),
)
def test_no_computed_week_breaks_its_pack(
    lates: list[int],
    pack: Pack,
    mode: LatenessMode,
    amount: Decimal,
    absence: AbsenceMode,
    rate: Decimal,
    acknowledged: int | None,
    lifted: bool,
    destination: str,
    hours: int,
    split: int,
) -> None:
    policy = PayPolicy(
        timezone="Europe/Amsterdam",
        minimum_hourly_wage=Decimal("14.7100"),
        lateness_mode=mode,
        lateness_amount=amount,
        lateness_tiers=((0, amount), (30, amount * 2)),
        absence_mode=absence,
        absence_amount=amount if absence == AbsenceMode.FIXED else Decimal("1.5"),
    )
    acks = (
        ()
        if acknowledged is None
        else (Acknowledgement(MONDAY + timedelta(days=acknowledged), lifted),)
    )
    facts = FineFacts(
        rate_per_hour=rate,
        minimum_hourly_wage=Decimal("14.7100"),
        day_wage=rate * 8,
        acknowledgements=acks,
        fine_destination=destination,
    )
    sheet = week(lates, hours=hours)
    lines = computed(sheet, policy, pack, facts)
    assert breaches(lines, pack=pack, facts=facts) == []
    # The same week split across two pay periods at `split` (the first closed, its fines
    # frozen): the second gets what the first took, and the week as a whole keeps its pack.
    first = computed(Timesheet(sheet.shifts[:split]), policy, pack, facts)
    taken = -sum((f.amount for f in fines(first) + absences(first)), Decimal(0))
    later = replace(facts, fines_taken=((MONDAY, taken),), paid_elsewhere=frozen(first))
    second = computed(Timesheet(sheet.shifts[split:]), policy, pack, later)
    assert breaches(second, pack=pack, facts=later) == []
    # The week over both periods: its cap (NL lid 5) and its minimum-wage floor (29 CFR
    # 531.35 per workweek, 776.4), whatever day the periods split it on.
    assert breaches(first + second, pack=pack, facts=facts) == []


@settings(max_examples=150, deadline=None)
@given(
    lates=st.lists(st.integers(min_value=-1, max_value=120), min_size=2, max_size=7),
    mode=st.sampled_from([LatenessMode.PER_OCCURRENCE, LatenessMode.TIERED]),
    amount=st.decimals(min_value=Decimal(1), max_value=Decimal(120), places=2),
    absence=st.sampled_from([AbsenceMode.NONE, AbsenceMode.FIXED]),
    rate=st.decimals(min_value=Decimal("14.71"), max_value=Decimal(40), places=2),
    lifted=st.booleans(),
    split=st.integers(min_value=1, max_value=6),
)
def test_a_dutch_week_split_across_two_periods_never_breaks_its_cap(
    lates: list[int],
    mode: LatenessMode,
    amount: Decimal,
    absence: AbsenceMode,
    rate: Decimal,
    lifted: bool,
    split: int,
) -> None:
    """Lid 5 over a week whose days two pay periods share: the first period's fines frozen,
    the second's capped by what is left, the week's fines together at most half a day's
    wage (unless a written agreement lifts it above the minimum wage)."""
    policy = replace(
        NL_FINES,
        lateness_mode=mode,
        lateness_amount=amount,
        lateness_tiers=((0, amount), (30, amount * 2)),
        absence_mode=absence,
        absence_amount=amount,
    )
    facts = nl_facts(
        rate_per_hour=rate,
        day_wage=rate * 8,
        acknowledgements=(Acknowledgement(date(2026, 1, 5), lifted),),
        lateness_mode=str(mode),
        absence_mode=str(absence),
    )
    sheet = week(lates)
    first = computed(Timesheet(sheet.shifts[:split]), policy, NL, facts)
    taken = -sum((f.amount for f in fines(first) + absences(first)), Decimal(0))
    later = replace(facts, fines_taken=((MONDAY + timedelta(days=split - 1), taken),))
    second = computed(Timesheet(sheet.shifts[split:]), policy, NL, later)
    assert breaches(second, pack=NL, facts=later) == []
    assert breaches(first + second, pack=NL, facts=facts) == []
    if not (lifted and rate > facts.minimum_hourly_wage):
        week_fines = fines(first + second) + absences(first + second)
        assert -sum((f.amount for f in week_fines), Decimal(0)) <= money_of(rate * 4)


@settings(max_examples=200, deadline=None)
@given(
    lates=st.lists(st.integers(min_value=-1, max_value=60), min_size=2, max_size=7),
    mode=st.sampled_from([LatenessMode.PER_MINUTE, LatenessMode.PER_OCCURRENCE]),
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(50), places=2),
    absence=st.sampled_from([AbsenceMode.NONE, AbsenceMode.FIXED]),
    rate=st.decimals(min_value=Decimal("7.25"), max_value=Decimal("7.40"), places=2),
    hours=st.integers(min_value=4, max_value=10),
    split=st.integers(min_value=1, max_value=6),
)
def test_a_us_week_split_across_two_periods_keeps_the_floor(
    lates: list[int],
    mode: LatenessMode,
    amount: Decimal,
    absence: AbsenceMode,
    rate: Decimal,
    hours: int,
    split: int,
) -> None:
    """29 CFR 531.35 per workweek (776.4) over a week two pay periods share, split at a
    random day: the first period closed with its pay and fines frozen, the second's fines
    capped (or the first's given back) so that the week as a whole keeps the minimum wage,
    at or just above it, where each period's cents of rounding fall differently."""
    policy = replace(
        US_FINES,
        lateness_mode=mode,
        lateness_amount=amount,
        absence_mode=absence,
        absence_amount=amount,
    )
    facts = replace(US_FACTS, rate_per_hour=rate)
    sheet = week(lates, zone=NEW_YORK, hours=hours)
    first = computed(Timesheet(sheet.shifts[:split]), policy, US, facts)
    later = replace(facts, paid_elsewhere=frozen(first))
    second = computed(Timesheet(sheet.shifts[split:]), policy, US, later)
    assert breaches(second, pack=US, facts=later) == []
    assert breaches(first + second, pack=US, facts=facts) == []
