"""Pay policies: how a site (or one of its teams) pays, saved only when every value is valid."""

from typing import Any

from django.db import transaction

from organisation.errors import InvalidInput
from organisation.services.organisation import save_validated
from timeclock.models import PayPolicy


@transaction.atomic
def pay_policy_save(*, policy: PayPolicy, fields: dict[str, Any]) -> PayPolicy:
    """Create or change a pay policy; bad values (negative amounts, an empty night window,
    tiers that are not [minutes, amount] pairs) answer 400 with the field, nothing saved."""
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.team is not None and policy.team.site_id != policy.site_id:
        raise InvalidInput("The team is at another site.", extra={"fields": ["team"]})
    tiers = policy.lateness_tiers
    if not isinstance(tiers, list) or not all(
        isinstance(t, list) and len(t) == 2 and isinstance(t[0], int) and t[0] >= 0 for t in tiers
    ):
        raise InvalidInput(
            "Lateness tiers are [[from minutes, amount], ...].",
            extra={"fields": ["lateness_tiers"]},
        )
    save_validated(policy)
    return policy
