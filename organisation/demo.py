"""Load the demo organisation idempotently through the services (running it twice is a no-op)."""

from dataclasses import asdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from fixtures.demo_organisation import OrganisationSpec
from organisation.models import Employee, Queue, Site, Team
from organisation.roles import Role, role_group
from organisation.services import organisation as services

User = get_user_model()


def _staff_load(spec: OrganisationSpec, password: str) -> dict[str, AbstractUser]:
    users = {}
    for person in spec.staff:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={"first_name": person.first_name, "last_name": person.last_name},
        )
        if created:
            user.set_password(password)
            user.is_staff = person.role == Role.ADMIN
            user.is_superuser = person.role == Role.ADMIN
            user.save()
        user.groups.add(role_group(Role(person.role)))
        users[person.username] = user
    return users


@transaction.atomic
def demo_organisation_load(*, spec: OrganisationSpec, password: str) -> None:
    """Create or update every site, queue, team, manager and operator of `spec`."""
    users = _staff_load(spec, password)
    sites: dict[str, Site] = {}
    for site_spec in spec.sites:
        fields = asdict(site_spec)
        site = Site.objects.filter(name=site_spec.name).first()
        sites[site_spec.name] = (
            services.site_update(site=site, **fields) if site else services.site_create(**fields)
        )
    queues: dict[tuple[str, str], Queue] = {}
    for queue_spec in spec.queues:
        site = sites[queue_spec.site]
        fields = {k: v for k, v in asdict(queue_spec).items() if k not in ("site", "name")}
        queue = Queue.objects.filter(site=site, name=queue_spec.name).first()
        queues[(site.name, queue_spec.name)] = (
            services.queue_update(queue=queue, **fields)
            if queue
            else services.queue_create(site=site, name=queue_spec.name, **fields)
        )
    teams: dict[tuple[str, str], Team] = {}
    for team_spec in spec.teams:
        site = sites[team_spec.site]
        managers = [users[team_spec.manager]]
        team = Team.objects.filter(site=site, name=team_spec.name).first()
        teams[(site.name, team_spec.name)] = (
            services.team_update(team=team, managers=managers)
            if team
            else services.team_create(site=site, name=team_spec.name, managers=managers)
        )
    existing = {e.number: e for e in Employee.objects.select_related("team__site")}
    for op in spec.operators:
        fields = {
            "first_name": op.first_name,
            "last_name": op.last_name,
            "email": f"{op.username}@demo.organisation.invalid",
            "team": teams[(op.site, op.team)],
            "min_weekly_minutes": op.min_weekly_minutes,
            "max_weekly_minutes": op.max_weekly_minutes,
            "max_days_per_week": op.max_days_per_week,
            "employment_start": op.employment_start,
            "hourly_rate": op.hourly_rate,
            "is_home_worker": op.is_home_worker,
            "badge_id": op.badge_id,
        }
        op_queues = [queues[(op.site, name)] for name in op.queues]
        employee = existing.get(op.number)
        if employee:
            services.employee_update(employee=employee, queues=op_queues, **fields)
        else:
            services.employee_create(
                username=op.username, number=op.number, queues=op_queues, **fields
            )
