"""What a roster is planned against, so that its coverage tells the truth: per queue its
requirement, what other series' published rosters already cover of it, what is left for this
roster; the other teams of the site that also serve the queue, and whether they have
published for the period; and whether a team should rather plan the whole site."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from organisation.models import Queue, Team
from organisation.selectors.organisation import scope_employees
from scheduling.errors import RosterNoStaffing
from scheduling.models import Roster
from scheduling.selectors.roster_demand import roster_demand_split


@dataclass(frozen=True)
class QueueBasis:
    queue: Queue
    required_agent_hours: float  # the queue's whole requirement over the period
    covered_agent_hours: float  # of it, covered by other series' published rosters
    covered_by: tuple[str, ...]  # those rosters' scopes (team or site names)
    shared_with: tuple[Team, ...]  # other teams of the site skilled for the queue
    unpublished: tuple[Team, ...]  # of those, the ones with nothing published for the period

    @property
    def unpublished_names(self) -> str:
        return ", ".join(t.name for t in self.unpublished)

    @property
    def planned_agent_hours(self) -> float:
        return round(self.required_agent_hours - self.covered_agent_hours, 2)


@dataclass(frozen=True)
class DemandBasis:
    site_wide: bool
    queues: list[QueueBasis] = field(default_factory=list)

    @property
    def warnings(self) -> list[QueueBasis]:
        """Queues another team serves with nothing published: this roster is scored against
        their whole requirement, part of which that team will cover."""
        return [q for q in self.queues if q.unpublished]


def roster_demand_basis(*, roster: Roster) -> DemandBasis:
    last = roster.start_date + timedelta(days=roster.days - 1)
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=roster.start_date, last_day=last
    )
    queues = {str(q.pk): q for q in Queue.objects.filter(employees__in=people).distinct()}
    if not queues:
        return DemandBasis(site_wide=roster.team_id is None)
    try:
        split = roster_demand_split(
            site=roster.site,
            queues=queues,
            first_day=roster.start_date,
            days=roster.days,
            exclude_series=roster.scope_key,
        )
    except RosterNoStaffing:
        return DemandBasis(site_wide=roster.team_id is None)
    published = _published_scopes(roster, last)
    found = []
    for queue_id, queue in sorted(queues.items(), key=lambda kv: kv[1].name):
        gross, net = split.per_queue.get(queue_id, (0, 0))
        shared = _other_teams(roster, queue)
        found.append(
            QueueBasis(
                queue=queue,
                required_agent_hours=round(gross * split.interval_minutes / 60, 2),
                covered_agent_hours=round((gross - net) * split.interval_minutes / 60, 2),
                covered_by=tuple(
                    name for name, queue_ids in published.queues.items() if queue_id in queue_ids
                ),
                shared_with=tuple(shared),
                unpublished=tuple(t for t in shared if not _has_published(t, published)),
            )
        )
    return DemandBasis(site_wide=roster.team_id is None, queues=found)


def _other_teams(roster: Roster, queue: Queue) -> list[Team]:
    """Teams of the site, outside the roster's scope, with people skilled for the queue."""
    if roster.team_id is None:
        return []
    return list(
        Team.objects.filter(site_id=roster.site_id, employees__queues=queue)
        .exclude(pk=roster.team_id)
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class _Published:
    queues: dict[str, set[str]]  # scope name (team or site) -> queue ids worked
    scope_keys: set[str]


def _published_scopes(roster: Roster, last: date) -> _Published:
    """The other series published over the period at the site."""
    found = _Published({}, set())
    others = (
        Roster.objects.filter(
            site_id=roster.site_id, status=Roster.Status.PUBLISHED, start_date__lte=last
        )
        .exclude(scope_key=roster.scope_key)
        .select_related("team", "site")
    )
    for other in others:
        if other.start_date + timedelta(days=other.days) <= roster.start_date:
            continue
        name = other.team.name if other.team else other.site.name
        queue_ids = {str(q) for q in other.shifts.values_list("queue_id", flat=True).distinct()}
        found.queues.setdefault(name, set()).update(queue_ids)
        found.scope_keys.add(other.scope_key)
    return found


def _has_published(team: Team, published: _Published) -> bool:
    return f"team:{team.pk}" in published.scope_keys or any(
        key.startswith("site:") for key in published.scope_keys
    )


def site_planning_advised(*, team: Team, start: date, days: int) -> bool:
    """Whether a team's roster for the period should rather be the whole site's: another
    team of the site serves one of its queues and nothing is published there for the period
    yet, so that a team roster would be scored against requirement the other team covers."""
    queues = Queue.objects.filter(employees__team=team)
    shares = (
        Team.objects.filter(site_id=team.site_id, employees__queues__in=queues)
        .exclude(pk=team.pk)
        .exists()
    )
    if not shares:
        return False
    last = start + timedelta(days=days - 1)
    return not any(
        r.start_date + timedelta(days=r.days) > start
        for r in Roster.objects.filter(
            site_id=team.site_id, status=Roster.Status.PUBLISHED, start_date__lte=last
        )
    )
