"""Pay policies: how a site (or one of its teams) pays, saved only when every value is valid."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from organisation.errors import InvalidInput
from organisation.services.organisation import save_validated
from timeclock.models import PayPolicy

MAX_TIER_MINUTES = 1440
MAX_TIER_AMOUNT = Decimal(1_000_000)


@transaction.atomic
def pay_policy_save(*, policy: PayPolicy, fields: dict[str, Any]) -> PayPolicy:
    """Create or change a pay policy; bad values (negative amounts, an empty night window,
    tiers that are not [minutes, amount] pairs) answer 400 with the field, nothing saved."""
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.team is not None and policy.team.site_id != policy.site_id:
        raise InvalidInput("The team is at another site.", extra={"fields": ["team"]})
    policy.lateness_tiers = lateness_tiers_clean(policy.lateness_tiers)
    save_validated(policy)
    return policy


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
