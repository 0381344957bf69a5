"""The site's adherence setting: how long out of adherence is listed as an event."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.models import Site
from timeclock.models import ClockPolicy

THRESHOLD_RANGE = (1, 120)


@transaction.atomic
def adherence_threshold_set(*, site: Site, minutes: int, user: AbstractBaseUser) -> ClockPolicy:
    """Set the site's threshold (1-120 minutes; default 5), audited."""
    low, high = THRESHOLD_RANGE
    if not low <= minutes <= high:
        raise InvalidInput(f"The threshold is {low} to {high} minutes.")
    policy, _ = ClockPolicy.objects.select_for_update().get_or_create(site=site)
    before = policy.adherence_threshold_minutes
    policy.adherence_threshold_minutes = minutes
    policy.save(update_fields=["adherence_threshold_minutes"])
    audit_record(
        action="adherence_threshold_set",
        actor=user,
        object_type="site",
        object_id=str(site.pk),
        data={"before": before, "after": minutes},
    )
    return policy
