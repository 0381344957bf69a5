"""A team's policy for swaps and time off: read (defaults when it has none) and changed by
its managers."""

from typing import Any

from django.db import transaction

from organisation.models import Team
from organisation.services.organisation import save_validated
from scheduling.models import RequestPolicy


def request_policy(team_id: object) -> RequestPolicy:
    """The team's policy, or the defaults when it has none."""
    return RequestPolicy.objects.filter(team_id=team_id).first() or RequestPolicy(team_id=team_id)


@transaction.atomic
def request_policy_update(*, team: Team, **fields: Any) -> RequestPolicy:
    policy = RequestPolicy.objects.select_for_update().filter(team=team).first()
    policy = policy or RequestPolicy(team=team)
    for name, value in fields.items():
        setattr(policy, name, value)
    save_validated(policy)
    return policy
