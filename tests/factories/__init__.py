"""Factories for organisation rows: small functions with sensible defaults, overridable."""

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from organisation.models import Employee, Queue, Site, Team
from organisation.roles import Role, role_group
from organisation.services import organisation as services

_seq = itertools.count(1)


def user_make(*, role: Role | None = None, **fields: Any) -> AbstractUser:
    n = next(_seq)
    fields.setdefault("username", f"user{n}")
    user = get_user_model().objects.create_user(password="pw", **fields)
    if role is not None:
        user.groups.add(role_group(role))
    return user


def site_make(**fields: Any) -> Site:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "name": f"Site {n}",
        "timezone": "Europe/Amsterdam",
        "country_code": "NL",
        "currency": "EUR",
        "minimum_hourly_wage": Decimal("14.0000"),
    }
    return services.site_create(**(defaults | fields))


def team_make(
    *, site: Site | None = None, managers: list[AbstractUser] | None = None, name: str = ""
) -> Team:
    n = next(_seq)
    return services.team_create(
        site=site or site_make(), name=name or f"Team {n}", managers=managers or []
    )


def queue_make(*, site: Site | None = None, **fields: Any) -> Queue:
    n = next(_seq)
    return services.queue_create(
        site=site or site_make(), name=fields.pop("name", f"Queue {n}"), **fields
    )


def employee_make(*, team: Team | None = None, **fields: Any) -> Employee:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "username": f"operator{n}",
        "number": f"N{n:05d}",
        "team": team or team_make(),
        "employment_start": date(2025, 1, 6),
        "hourly_rate": Decimal("16.5000"),
    }
    return services.employee_create(**(defaults | fields))
