"""Pay policies: how a site (or one of its teams) pays, saved only when every value is valid."""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.models import Site, Team
from organisation.services.organisation import save_validated
from timeclock.errors import PayPolicyChangeTooEarly, PayPolicyFinesNoPack, PayPolicyUnlawful
from timeclock.jurisdictions.rules import PolicyTerms, policy_refusals
from timeclock.models import PayPolicy
from timeclock.selectors.jurisdictions import site_pack
from timeclock.selectors.pay_policies import pay_policy_earliest_change, pay_policy_rows_in_effect

MAX_TIER_MINUTES = 1440
MAX_TIER_AMOUNT = Decimal(1_000_000)
# Training hours pay between half and five times the base rate: below half a trainee's hour
# falls under most minimum wages, above five no policy pays (the overtime multiplier stops at
# ten). A mentor's premium per hour beside a trainee: 0 (none) up to 1000 in the currency.
TRAINING_MULTIPLIER_RANGE = (Decimal("0.5"), Decimal(5))
MENTORING_PREMIUM_RANGE = (Decimal(0), Decimal(1000))


@transaction.atomic
def pay_policy_save(*, policy: PayPolicy, fields: dict[str, Any]) -> PayPolicy:
    """Create or change a pay policy; bad values (negative amounts, an empty night window,
    tiers that are not [minutes, amount] pairs) answer 400 with the field, nothing saved."""
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.team is not None and policy.team.site_id != policy.site_id:
        raise InvalidInput("The team is at another site.", extra={"fields": ["team"]})
    policy.lateness_tiers = lateness_tiers_clean(policy.lateness_tiers)
    _training_pay_check(policy)
    if _windows_overlap(policy):
        raise InvalidInput(
            "The evening overlaps the night: a minute would earn both premiums.",
            extra={"fields": ["evening_end"]},
        )
    pay_policy_check_pack(policy=policy)
    save_validated(policy)
    return policy


def _training_pay_check(policy: PayPolicy) -> None:
    """Training pay within its bounds (TRAINING_MULTIPLIER_RANGE, MENTORING_PREMIUM_RANGE),
    refused on the field: the model's own check says only that a constraint was violated."""
    for name, (low, high) in (
        ("training_rate_multiplier", TRAINING_MULTIPLIER_RANGE),
        ("mentoring_premium_per_hour", MENTORING_PREMIUM_RANGE),
    ):
        value = getattr(policy, name)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or not low <= number <= high:
            raise InvalidInput(
                f"{name} is a number from {low} to {high}.",
                extra={"fields": [name], "min": str(low), "max": str(high)},
            )


def _clock_minutes(start: time, end: time) -> set[int]:
    """The minutes of the day a window covers (crossing midnight when it ends before it
    starts)."""
    first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return {m % 1440 for m in range(first, last if last > first else last + 1440)}


def _windows_overlap(policy: PayPolicy) -> bool:
    if policy.evening_start is None or policy.evening_end is None:
        return False
    evening = _clock_minutes(policy.evening_start, policy.evening_end)
    return bool(evening & _clock_minutes(policy.night_start, policy.night_end))


def pay_policy_check_pack(*, policy: PayPolicy) -> None:
    """Refuse fines the site's jurisdiction pack does not allow, naming the article and the
    fields (timeclock/jurisdictions): before anything is written."""
    if policy.site_id is None:
        return  # save_validated names the missing site
    site = policy.site
    pack = site_pack(site)
    refusals = policy_refusals(
        pack,
        PolicyTerms(
            fines_enabled=policy.fines_enabled,
            lateness_mode=policy.lateness_mode,
            absence_mode=policy.absence_mode,
            fine_destination=policy.fine_destination,
            employer_names=(site.name,),
        ),
    )
    if not refusals:
        return
    extra = {
        "pack": pack.code,
        "article": pack.article,
        "fields": sorted({r.field for r in refusals}),
        "refusals": [{"code": r.code, "field": r.field, "article": r.article} for r in refusals],
    }
    if pack.code == "UNKNOWN":
        raise PayPolicyFinesNoPack(
            f"The product has no rule pack for the country {site.country_code}, so fines are "
            "off there: nothing saved.",
            extra=extra | {"country": site.country_code},
        )
    raise PayPolicyUnlawful(
        f"{pack.article} does not allow these fines ({', '.join(r.code for r in refusals)}): "
        "nothing saved.",
        extra=extra,
    )


def lateness_tiers_clean(tiers: Any) -> list[list[Any]]:
    """[[from minutes, amount], ...]: minutes a whole number 0..1440, amount a decimal number
    0..1 000 000 with at most two decimals (a number or a string); stored as [minutes,
    "amount"] so that every payslip reads them back exactly. Anything else answers 400."""
    cleaned = []
    for tier in tiers if isinstance(tiers, list) else [None]:
        minutes, amount = tier if isinstance(tier, list) and len(tier) == 2 else (None, None)
        number = _amount(amount)
        if type(minutes) is not int or not 0 <= minutes <= MAX_TIER_MINUTES or number is None:
            raise InvalidInput(
                'Lateness tiers are [[from minutes, "amount"], ...]: whole minutes from 0 to '
                "1440, amounts from 0 to 1000000 with at most two decimals.",
                extra={"fields": ["lateness_tiers"]},
            )
        cleaned.append([minutes, str(number)])
    return cleaned


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not 0 <= number <= MAX_TIER_AMOUNT or number != round(number, 2):
        return None
    return number.quantize(Decimal("0.01"))


# --- Versions from the pay policy page (issue 21) ------------------------------------------

# What a version holds besides its site, team and first day.
VERSION_FIELDS = (
    "pay_frequency",
    "rounding_minutes",
    "exact_time_only",
    "weekly_overtime_hours",
    "daily_overtime_hours",
    "overtime_multiplier",
    "night_start",
    "night_end",
    "night_premium",
    "weekend_premium",
    "holiday_premium",
    "evening_start",
    "evening_end",
    "evening_premium",
    "saturday_premium",
    "sunday_premium",
    "fines_enabled",
    "fine_destination",
    "grace_minutes",
    "lateness_mode",
    "lateness_amount",
    "lateness_tiers",
    "absence_mode",
    "absence_amount",
    "training_rate_multiplier",
    "mentoring_premium_per_hour",
)


@transaction.atomic
def pay_policy_change(
    *,
    site: Site,
    team: Team | None,
    effective_from: date,
    fields: dict[str, Any],
    by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> PayPolicy:
    """A new version of the site's (or team's) policy paying the periods from
    `effective_from` on, which is the day after the site's last pay period or later: a period
    already opened or closed keeps the policy it started with. A version already planned for
    that day is changed instead. Audited with the values."""
    earliest = pay_policy_earliest_change(site=site, now=now or timezone.now())
    if effective_from < earliest:
        raise PayPolicyChangeTooEarly(extra={"earliest": earliest.isoformat()})
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise InvalidInput("Unknown policy fields.", extra={"fields": sorted(unknown)})
    policy = (
        PayPolicy.objects.select_for_update()
        .filter(site=site, team=team, effective_from=effective_from)
        .first()
    ) or PayPolicy(site=site, team=team, effective_from=effective_from)
    pay_policy_save(policy=policy, fields=fields)
    audit_record(
        action="pay_policy_changed",
        actor=by,
        object_type="pay_policy",
        object_id=str(policy.pk),
        data={
            "site": str(site.pk),
            "team": str(team.pk) if team else None,
            "effective_from": effective_from.isoformat(),
            "fields": {k: str(v) if v is not None else None for k, v in fields.items()},
        },
    )
    return policy


def pay_policies_check_site(*, site: Site, on: date) -> None:
    """The site's and its teams' policies (the versions in effect on `on` and those to come)
    against the pack the site's country and state select now (`site` as it is about to be
    saved): a change of country or state that would leave a fine the new pack refuses is
    refused, the article and the policy named, nothing saved. Pay checks again (a policy
    from before the packs), but the payslip should never be where it is first found."""
    rows = PayPolicy.objects.filter(
        Q(site=site, team__isnull=True) | Q(team__site=site),
        Q(effective_from__isnull=True) | Q(effective_from__gte=on) | Q(pk__in=_in_effect(site, on)),
    ).order_by("effective_from", "pk")
    for row in rows:
        row.site = site  # the site as it is about to be saved (its new country)
        try:
            pay_policy_check_pack(policy=row)
        except (PayPolicyUnlawful, PayPolicyFinesNoPack) as refused:
            where = row.team.name if row.team_id else site.name
            raise type(refused)(
                f"{site.name} cannot change its country or state: the pay policy of {where} "
                f"sets fines that {refused.extra.get('article') or 'the new country'} does not "
                "allow. Change the policy first; nothing saved.",
                extra=refused.extra | {"policy": str(row.pk), "site": str(site.pk)},
            ) from refused


def _in_effect(site: Site, on: date) -> list[Any]:
    found = pay_policy_rows_in_effect(
        site_ids=[site.pk],
        team_ids=Team.objects.filter(site=site).values_list("pk", flat=True),
        on=on,
    )
    return [row.pk for row in found.values()]


def site_country_change_check(
    sender: Any, instance: Site, raw: bool = False, **kwargs: Any
) -> None:
    """pre_save of a Site (connected in TimeclockConfig.ready: the organisation app knows no
    pay policies): a new country or state is checked against the site's policies first."""
    if raw:
        return  # fixtures load rows as they are
    before = Site.objects.filter(pk=instance.pk).values_list("country_code", "us_state").first()
    after = (instance.country_code.strip().upper(), instance.us_state.strip().upper())
    if before is None or (before[0].strip().upper(), before[1].strip().upper()) == after:
        return
    today = timezone.now().astimezone(ZoneInfo(instance.timezone)).date()
    pay_policies_check_site(site=instance, on=today)
