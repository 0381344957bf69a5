"""Writes to the organisation: one atomic use case per function, validated before saving."""

import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from organisation.audit import audit_record
from organisation.errors import BelowMinimumWage, InvalidInput
from organisation.models import Employee, Queue, Site, Team
from organisation.roles import Role, role_group, user_roles
from organisation.services.pay_rates import pay_rate_record, pay_rates_convert
from organisation.validators import validate_pin

User = get_user_model()


# Model-level errors (check constraints) are reported like DRF's cross-field errors.
_API_FIELD = {"__all__": "non_field_errors"}


def save_validated(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """full_clean (field validators, check and unique constraints) then save, or InvalidInput."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InvalidInput(
            "Invalid input.",
            extra={
                "fields": {
                    _API_FIELD.get(field, field): [
                        {"code": e.code or "invalid", "message": m} for e, m in _pairs(errs)
                    ]
                    for field, errs in exc.error_dict.items()
                }
            },
        ) from exc
    instance.save()


def _pairs(errors: list[ValidationError]) -> list[tuple[ValidationError, str]]:
    return [(e, message) for e in errors for message in e.messages]


def _field_error(field: str, code: str, message: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid input: {message}",
        extra={"fields": {field: [{"code": code, "message": message}]}},
    )


def _apply(instance: models.Model, changes: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        name = sorted(unknown)[0]
        raise _field_error(name, "unknown_field", "This field cannot be changed here.")
    for name, value in changes.items():
        setattr(instance, name, value)


# --- Sites ---------------------------------------------------------------------------------

SITE_FIELDS = ("name", "timezone", "country_code", "us_state", "currency", "minimum_hourly_wage")


@transaction.atomic
def site_create(
    *,
    name: str,
    timezone: str,
    country_code: str,
    currency: str,
    minimum_hourly_wage: Decimal,
    us_state: str = "",
) -> Site:
    site = Site(
        name=name,
        timezone=timezone,
        country_code=country_code,
        us_state=us_state,
        currency=currency,
        minimum_hourly_wage=minimum_hourly_wage,
    )
    save_validated(site)
    return site


@transaction.atomic
def site_update(
    *, site: Site, rate_conversion: Decimal | None = None, actor: Any = None, **changes: Any
) -> Site:
    """Change a site. A new currency records every employee's rates in it, converted by
    `rate_conversion` (refused without one; pay_rates_convert), audited as `actor`'s."""
    currency_before = Site.objects.filter(pk=site.pk).values_list("currency", flat=True).first()
    _apply(site, changes, SITE_FIELDS)
    save_validated(site)
    if currency_before is not None and site.currency != currency_before:
        pay_rates_convert(
            site=site, before=currency_before, conversion=rate_conversion, actor=actor
        )
    if "minimum_hourly_wage" in changes:
        below = Employee.objects.filter(team__site=site, hourly_rate__lt=site.minimum_hourly_wage)
        if below.exists():
            raise BelowMinimumWage(
                "Employees at this site are paid below the new minimum wage; raise their "
                "rates first.",
                extra={"employees": sorted(below.values_list("number", flat=True))[:50]},
            )
    return site


@transaction.atomic
def site_delete(*, site: Site) -> None:
    site.delete()


# --- Teams ---------------------------------------------------------------------------------


def _check_managers(managers: Iterable[AbstractUser]) -> list[AbstractUser]:
    managers = list(managers)
    for manager in managers:
        if Role.MANAGER not in user_roles(manager) and Role.ADMIN not in user_roles(manager):
            raise _field_error(
                "managers", "not_a_manager", f"{manager.get_username()} is not a manager."
            )
    return managers


@transaction.atomic
def team_create(*, site: Site, name: str, managers: Iterable[AbstractUser] = ()) -> Team:
    checked = _check_managers(managers)
    team = Team(site=site, name=name)
    save_validated(team)
    team.managers.set(checked)
    return team


@transaction.atomic
def team_update(
    *, team: Team, managers: Iterable[AbstractUser] | None = None, **changes: Any
) -> Team:
    _apply(team, changes, ("name",))
    save_validated(team)
    if managers is not None:
        team.managers.set(_check_managers(managers))
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    team.delete()


# --- Queues --------------------------------------------------------------------------------

QUEUE_FIELDS = (
    "name",
    "client_name",
    "service_level_target",
    "service_level_seconds",
    "max_occupancy",
    "shrinkage",
    "default_aht_seconds",
    "patience_seconds",
)


@transaction.atomic
def queue_create(*, site: Site, name: str, **settings: Any) -> Queue:
    queue = Queue(site=site, name=name)
    _apply(queue, settings, QUEUE_FIELDS)
    save_validated(queue)
    return queue


@transaction.atomic
def queue_update(*, queue: Queue, **changes: Any) -> Queue:
    _apply(queue, changes, QUEUE_FIELDS)
    save_validated(queue)
    return queue


@transaction.atomic
def queue_delete(*, queue: Queue) -> None:
    queue.delete()


# --- Employees -----------------------------------------------------------------------------

USER_FIELDS = ("first_name", "last_name", "email")
# The employee's contract: what the API shows and takes beside the number and the team.
CONTRACT_FIELDS = (
    "min_weekly_minutes",
    "max_weekly_minutes",
    "max_days_per_week",
    "max_consecutive_days",
    "min_rest_minutes",
    "employment_start",
    "employment_end",
    "hourly_rate",
    "is_home_worker",
    "badge_id",
    "opted_out_of_48h",
)
EMPLOYEE_FIELDS = ("number", "team", *CONTRACT_FIELDS)


def _check_employee(employee: Employee, queues: list[Queue] | None) -> None:
    site = employee.team.site
    if employee.hourly_rate < site.minimum_hourly_wage:
        raise BelowMinimumWage(
            f"{employee.hourly_rate} is below {site.name}'s minimum hourly wage "
            f"{site.minimum_hourly_wage} {site.currency}.",
            extra={"minimum_hourly_wage": str(site.minimum_hourly_wage)},
        )
    if queues is None:
        queues = list(employee.queues.all()) if employee.pk else []
    foreign = [q.name for q in queues if q.site_id != site.pk]
    if foreign:
        raise _field_error(
            "queues", "queue_at_other_site", f"Queues at another site than the team: {foreign}."
        )


def _hash_pin(pin: str) -> str:
    try:
        validate_pin(pin)
    except ValidationError as exc:
        raise _field_error("pin", "invalid_pin", exc.messages[0]) from exc
    return make_password(pin)


@transaction.atomic
def employee_create(
    *,
    username: str,
    number: str,
    team: Team,
    employment_start: date,
    hourly_rate: Decimal,
    queues: Iterable[Queue] = (),
    pin: str | None = None,
    actor: Any = None,
    **fields: Any,
) -> Employee:
    """Create the operator's login (in the operator group) and their employee record, with
    the first row of their pay rate history (from the employment start)."""
    user_changes = {k: fields.pop(k) for k in USER_FIELDS if k in fields}
    user = User(username=username, **user_changes)
    user.set_unusable_password()
    save_validated(user, exclude=["password"])
    user.groups.add(role_group(Role.OPERATOR))
    employee = Employee(
        user=user,
        number=number,
        team=team,
        employment_start=employment_start,
        hourly_rate=hourly_rate,
    )
    fields.pop("rate_valid_from", None)  # the first rate is from the employment start
    _apply(employee, fields, EMPLOYEE_FIELDS)
    queue_list = list(queues)
    _check_employee(employee, queue_list)
    if pin is not None:
        employee.pin_hash = _hash_pin(pin)
    save_validated(employee)
    employee.queues.set(queue_list)
    pay_rate_record(
        employee=employee,
        rate=employee.hourly_rate,
        valid_from=employee.employment_start,
        actor=actor,
    )
    return employee


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    queues: Iterable[Queue] | None = None,
    pin: str | None = None,
    actor: Any = None,
    rate_valid_from: date | None = None,
    **changes: Any,
) -> Employee:
    """Change an employee. A new `hourly_rate`, or a team at a site paying in another
    currency, is recorded in the rate history from `rate_valid_from` (default: the site's
    today; organisation.services.pay_rates)."""
    user_changes = {k: changes.pop(k) for k in USER_FIELDS if k in changes}
    if user_changes:
        _apply(employee.user, user_changes, USER_FIELDS)
        save_validated(employee.user, exclude=["password"])
    opted_out_before = employee.opted_out_of_48h
    rate_before, currency_before = employee.hourly_rate, employee.team.site.currency
    _apply(employee, changes, EMPLOYEE_FIELDS)
    queue_list = list(queues) if queues is not None else None
    _check_employee(employee, queue_list)
    if pin is not None:
        employee.pin_hash = _hash_pin(pin)
    save_validated(employee)
    if (
        employee.hourly_rate != rate_before
        or employee.team.site.currency != currency_before
        or rate_valid_from is not None
    ):
        pay_rate_record(
            employee=employee,
            rate=employee.hourly_rate,
            valid_from=rate_valid_from,
            actor=actor,
        )
    if queue_list is not None:
        employee.queues.set(queue_list)
    if employee.opted_out_of_48h != opted_out_before:
        audit_record(
            action="opt_out_48h_changed",
            actor=None,
            object_type="employee",
            object_id=str(employee.pk),
            data={"opted_out_of_48h": employee.opted_out_of_48h},
        )
    return employee


@transaction.atomic
def employee_delete(*, employee: Employee) -> None:
    """Remove an employee who never produced records; others get an employment_end instead."""
    user = employee.user
    employee.delete()
    user.delete()


# --- Issue 21: PIN reset from the people page ----------------------------------------------

PIN_DIGITS = 6


@transaction.atomic
def employee_pin_reset(*, employee: Employee, by: AbstractUser | None) -> str:
    """A new random PIN for the employee, returned once (only its hash is kept); audited."""
    pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
    employee.pin_hash = _hash_pin(pin)
    employee.save(update_fields=["pin_hash", "updated_at"])
    audit_record(action="pin_reset", actor=by, object_type="employee", object_id=str(employee.pk))
    return pin
