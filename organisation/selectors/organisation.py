"""Reads of the organisation, scoped to what the asking user may see.

Managers see their own teams, operators their own data, payroll and admins everything.
Every API list and detail goes through these, so an object outside the scope is a 404.
"""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum

from organisation.models import Employee, Job, Queue, Site, Team
from organisation.roles import PAYROLL, Role, user_roles

User = AbstractBaseUser | AnonymousUser


def _sees_everything(user: User) -> bool:
    return bool(user_roles(user) & PAYROLL)


def _own_employee_filter(user: User, prefix: str) -> Q:
    """Q for rows reached from the user's own Employee record (operators)."""
    if Role.OPERATOR in user_roles(user):
        return Q(**{f"{prefix}user": user})
    return Q(pk__in=[])


def site_list_visible(*, user: User) -> QuerySet[Site]:
    if _sees_everything(user):
        return Site.objects.all()
    condition = Q(teams__managers=user) if Role.MANAGER in user_roles(user) else Q(pk__in=[])
    condition |= _own_employee_filter(user, "teams__employees__")
    return Site.objects.filter(condition).distinct()


def team_list_visible(*, user: User) -> QuerySet[Team]:
    qs = Team.objects.select_related("site").prefetch_related("managers")
    if _sees_everything(user):
        return qs
    condition = Q(managers=user) if Role.MANAGER in user_roles(user) else Q(pk__in=[])
    condition |= _own_employee_filter(user, "employees__")
    return qs.filter(condition).distinct()


def team_list_managed(*, user: User) -> QuerySet[Team]:
    """Teams the user may act on as a manager (all of them for admins)."""
    if Role.ADMIN in user_roles(user):
        return Team.objects.all()
    if Role.MANAGER in user_roles(user):
        return Team.objects.filter(managers=user)
    return Team.objects.none()


def site_list_managed(*, user: User) -> QuerySet[Site]:
    """Sites where the user manages at least one team (all sites for admins)."""
    if Role.ADMIN in user_roles(user):
        return Site.objects.all()
    return Site.objects.filter(teams__in=team_list_managed(user=user)).distinct()


def queue_list_visible(*, user: User) -> QuerySet[Queue]:
    qs = Queue.objects.select_related("site")
    if _sees_everything(user):
        return qs
    return qs.filter(site__in=site_list_visible(user=user))


def employee_list_visible(*, user: User) -> QuerySet[Employee]:
    qs = Employee.objects.select_related("user", "team__site").prefetch_related("queues")
    if _sees_everything(user):
        return qs
    condition = (
        Q(team__managers=user) if Role.MANAGER in user_roles(user) else Q(pk__in=[])
    ) | _own_employee_filter(user, "")
    return qs.filter(condition).distinct()


def job_list_visible(*, user: User) -> QuerySet[Job]:
    if Role.ADMIN in user_roles(user):
        return Job.objects.all()
    return Job.objects.filter(created_by=user) if user.is_authenticated else Job.objects.none()


def employee_list_active(*, on: date) -> QuerySet[Employee]:
    """Employees whose employment covers the day `on`."""
    return Employee.objects.filter(employment_start__lte=on).filter(
        Q(employment_end__isnull=True) | Q(employment_end__gte=on)
    )


def headcount_report_build(*, on: date) -> dict[str, Any]:
    """Headcount and contracted hours per site, team and queue, for employees active `on`."""
    active = employee_list_active(on=on)
    in_active = Q(employees__in=active)
    sites: list[dict[str, Any]] = []
    for site in Site.objects.order_by("name"):
        teams = (
            Team.objects.filter(site=site)
            .annotate(headcount=Count("employees", filter=in_active, distinct=True))
            .prefetch_related("managers")
            .order_by("name")
        )
        employees = active.filter(team__site=site)
        queues = (
            Queue.objects.filter(site=site)
            .annotate(skilled=Count("employees", filter=in_active, distinct=True))
            .order_by("name")
        )
        sites.append(
            {
                "name": site.name,
                "timezone": site.timezone,
                "country_code": site.country_code,
                "currency": site.currency,
                "minimum_hourly_wage": str(site.minimum_hourly_wage),
                "employees": employees.count(),
                "home_workers": employees.filter(is_home_worker=True).count(),
                "contracted_max_hours_per_week": (
                    employees.aggregate(total=Sum("max_weekly_minutes"))["total"] or 0
                )
                // 60,
                "teams": [
                    {
                        "name": team.name,
                        "headcount": team.headcount,
                        "managers": sorted(
                            m.get_full_name() or m.username for m in team.managers.all()
                        ),
                    }
                    for team in teams
                ],
                "queues": [
                    {
                        "name": queue.name,
                        "client": queue.client_name,
                        "service_goal": (
                            f"{queue.service_level_target * 100:.0f}/{queue.service_level_seconds}"
                        ),
                        "max_occupancy": str(queue.max_occupancy),
                        "shrinkage": str(queue.shrinkage),
                        "skilled_operators": queue.skilled,
                    }
                    for queue in queues
                ],
            }
        )
    return {"on": on.isoformat(), "sites": sites}


def scope_employees(
    *, site: Site, team: Team | None, first_day: date, last_day: date
) -> QuerySet[Employee]:
    """Employees of the team (or site) employed on some day of the period."""
    employees = Employee.objects.filter(team__site=site) if team is None else team.employees
    return (
        employees.filter(employment_start__lte=last_day)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=first_day))
        .select_related("user", "team__site")
        .prefetch_related("queues")
        .order_by("number")
    )


def own_employee(user: User) -> Employee | None:
    return getattr(user, "employee", None) if user.is_authenticated else None


def employee_list_managed(*, user: User) -> QuerySet[Employee]:
    """Employees of the teams the user manages (every team for an admin), with what the
    people page shows."""
    return (
        Employee.objects.filter(team__in=team_list_managed(user=user))
        .select_related("user", "team__site")
        .prefetch_related("queues")
        .order_by("team__site__name", "team__name", "number")
    )
