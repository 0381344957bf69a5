"""Who an open pay period pays across sites: someone paid here who is now at another site,
or who has shifts on another site's rosters in the period. This site's shifts are priced
at the rate in force on each day in this site's currency (the rate history; without a rate
in it, their hourly rate, perhaps in another currency), and weekly overtime and the weekly
fine cap count each site's shifts apart. Payroll checks them before closing (the close
refuses unless forced with a reason)."""

from collections import defaultdict
from typing import Any

from organisation.models import Employee
from organisation.sentences import Sentence
from scheduling.models import Roster, Shift
from timeclock.models import PayPeriod

MOVED_SITE = "moved_site"  # the exception's code, beside missing_in, late, ...


def across_sites(*, period: PayPeriod, people: list[Employee]) -> dict[str, Sentence]:
    """Per person (id) of `people` (with their current team and site) whom the open `period`
    pays across sites, the warning to show; {} for a closed period (frozen). One query."""
    if period.status != PayPeriod.Status.OPEN or not people:
        return {}
    elsewhere: dict[str, set[str]] = defaultdict(set)
    for person in people:
        if person.team.site_id != period.site_id:
            elsewhere[str(person.pk)].add(person.team.site.name)
    rows = (
        Shift.objects.filter(
            employee_id__in=[p.pk for p in people],
            state=Roster.Status.PUBLISHED,
            local_date__gte=period.start_date,
            local_date__lte=period.end_date,
        )
        .exclude(roster__site_id=period.site_id)
        .values_list("employee_id", "roster__site__name")
        .distinct()
    )
    for employee_id, site_name in rows:
        elsewhere[str(employee_id)].add(site_name)
    return {key: _warning(names) for key, names in elsewhere.items()}


def _warning(names: Any) -> Sentence:
    return Sentence.of(MOVED_SITE, name=", ".join(sorted(names)))
