"""Shift templates as the set-up pages list them: per site, active ones first."""

from django.db.models import QuerySet

from organisation.models import Site
from scheduling.models import ShiftTemplate


def shift_template_list(*, sites: QuerySet[Site]) -> QuerySet[ShiftTemplate]:
    return (
        ShiftTemplate.objects.filter(site__in=sites)
        .select_related("site", "queue")
        .order_by("site__name", "-is_active", "earliest_start", "name")
    )
