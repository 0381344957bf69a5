"""Reads for rosters: who may see and manage which, a roster's series of versions, and its
shifts. The solver's input is built in roster_problem."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from organisation.models import Employee, Site, Team
from organisation.roles import Role, user_roles
from organisation.selectors.organisation import User, site_list_managed, team_list_managed
from scheduling.models import Roster, Shift, ShiftBreak


def roster_list_visible(*, user: User) -> QuerySet[Roster]:
    """Managers: rosters of their teams and sites; operators: published rosters that include
    their team; payroll and admin: all."""
    rosters = Roster.objects.select_related("site", "team")
    roles = user_roles(user)
    if Role.ADMIN in roles or Role.PAYROLL in roles:
        return rosters
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= Q(team__in=team_list_managed(user=user)) | Q(
            team__isnull=True, site__in=site_list_managed(user=user)
        )
    employee = getattr(user, "employee", None)
    if employee is not None:
        scope |= Q(status=Roster.Status.PUBLISHED) & (
            Q(team_id=employee.team_id) | Q(team__isnull=True, site_id=employee.team.site_id)
        )
    return rosters.filter(scope)


def roster_is_managed(*, user: User, roster: Roster) -> bool:
    """Managers of the roster's team; for a site roster, of every team at the site."""
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return True
    if Role.MANAGER not in roles:
        return False
    managed = team_list_managed(user=user)
    if roster.team_id is not None:
        return managed.filter(pk=roster.team_id).exists()
    return not Team.objects.filter(site_id=roster.site_id).exclude(pk__in=managed).exists()


def roster_training_is_readable(*, user: User, roster: Roster) -> bool:
    """The roster's Training and meetings page: whoever manages the roster, and for a site
    roster also a manager of a team of that site whose people are trainees or mentors in its
    pairings or attend a session it placed (the demo's site roster has no single manager of
    every team, yet each team's manager signs off its trainees). Another site's manager never:
    the team must be at the roster's site."""
    if roster_is_managed(user=user, roster=roster):
        return True
    if roster.team_id is not None:
        return False
    teams = team_list_managed(user=user).filter(site_id=roster.site_id)
    people = Employee.objects.filter(team__in=teams)
    return (
        roster.pairings.filter(Q(trainee__in=people) | Q(mentor__in=people)).exists()
        or roster.placed.filter(employee__in=people).exists()
    )


def scope_key(*, site: Site, team: Team | None) -> str:
    return f"team:{team.pk}" if team is not None else f"site:{site.pk}"


def roster_series(*, roster: Roster) -> QuerySet[Roster]:
    """The roster's series: every version of its scope and period start."""
    return Roster.objects.filter(scope_key=roster.scope_key, start_date=roster.start_date)


def shifts_of(*, roster: Roster) -> QuerySet[Shift]:
    return (
        roster.shifts.select_related("employee__user", "queue", "template")
        .prefetch_related("breaks")
        .order_by("start", "employee__number")
    )


def shifts_for_rules(*, roster: Roster) -> QuerySet[Shift]:
    """The roster's shifts with only what the rules check and the cover count read
    (roster_rules.shift_assignments): a 500 x 28 roster's 10,000 shifts load in a fraction of
    the time of shifts_of, which brings each person and user along."""
    breaks = ShiftBreak.objects.only("shift_id", "start", "end", "paid")
    return (
        roster.shifts.select_related("template")
        .only(
            "roster",  # the related manager sets it on every row
            "start",
            "end",
            "employee",
            "queue",
            "activity",
            "template",
            "template__queue_id",
            "template__activity",
        )
        .prefetch_related(Prefetch("breaks", queryset=breaks))
        .order_by("start", "employee_id")
    )


def my_shifts(*, employee: Employee, start: datetime, end: datetime) -> QuerySet[Shift]:
    """The employee's published shifts starting in [start, end)."""
    return (
        Shift.objects.filter(
            employee=employee, state=Roster.Status.PUBLISHED, start__gte=start, start__lt=end
        )
        .select_related("queue", "roster__site")
        .prefetch_related("breaks")
        .order_by("start")
    )


def site_list_plannable(*, user: User) -> QuerySet[Site]:
    """Sites the user may roster as a whole: admins every site, managers the sites where
    they manage every team (as roster_is_managed asks of a site roster)."""
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return Site.objects.all()
    if Role.MANAGER not in roles:
        return Site.objects.none()
    managed = team_list_managed(user=user)
    unmanaged = Team.objects.exclude(pk__in=managed).values("site_id")
    return Site.objects.filter(teams__in=managed).exclude(pk__in=unmanaged).distinct()
