"""Devices as the set-up page lists them: per site, with the punches each sent today."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from organisation.local_grid import local_date, local_day_bounds
from organisation.models import Site
from timeclock.models import Device


def device_list_with_today(*, sites: list[Site], now: datetime) -> QuerySet[Device]:
    """The sites' devices with `punches_today`: punches they sent that happened on their
    site's local today. One query for the devices, whatever their number."""
    today = Q(pk__in=[])
    for site in sites:
        day = local_date(instant=now, timezone=site.timezone)
        start, end = local_day_bounds(first_day=day, last_day=day, timezone=site.timezone)
        today |= Q(site=site, punches__occurred_at__gte=start, punches__occurred_at__lt=end)
    return (
        Device.objects.filter(site__in=sites)
        .select_related("site")
        .annotate(punches_today=Count("punches", filter=today))
        .order_by("site__name", "revoked_at", "name")
    )
