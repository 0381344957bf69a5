"""Pay policy versions: which row pays a period (the latest version whose first day is on or
before the period's first day; a team's before its site's), and the first day a change made
now may take effect (the day after the site's last pay period: an open period is never paid
by two policies)."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Q

from organisation.local_grid import local_date
from organisation.models import Site
from timeclock.models import PayPeriod, PayPolicy

Key = tuple[object, object]  # (site id, team id or None)


def pay_policy_rows_in_effect(
    *, site_ids: Iterable[object], team_ids: Iterable[object], on: date
) -> dict[Key, PayPolicy]:
    """The version of each site's and team's policy in effect on the local day `on`, keyed by
    (site id, team id or None). One query."""
    rows = PayPolicy.objects.filter(
        Q(site_id__in=list(site_ids), team__isnull=True) | Q(team_id__in=list(team_ids)),
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
    )
    found: dict[Key, PayPolicy] = {}
    for row in rows:
        key = (row.site_id, row.team_id)
        held = found.get(key)
        if held is None or (held.effective_from or date.min) < (row.effective_from or date.min):
            found[key] = row
    return found


def pay_policy_row_for(
    found: dict[Key, PayPolicy], *, site_id: object, team_id: object
) -> PayPolicy | None:
    """The team's version, else its site's, else None (the defaults pay)."""
    return found.get((site_id, team_id)) or found.get((site_id, None))


def pay_policy_earliest_change(*, site: Site, now: datetime) -> date:
    """The first day a change made now may take effect: the day after the site's last pay
    period, or the site's today when it has none."""
    last = (
        PayPeriod.objects.filter(site=site)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if last is None:
        return local_date(instant=now, timezone=site.timezone)
    return last + timedelta(days=1)


def pay_policy_versions(*, sites: Iterable[Site]) -> list[PayPolicy]:
    """Every version of the sites' and their teams' policies, by site, team and first day."""
    return list(
        PayPolicy.objects.filter(site__in=list(sites))
        .select_related("site", "team")
        .order_by("site__name", "team__name", "effective_from")
    )
