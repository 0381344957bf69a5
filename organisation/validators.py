"""Field validators for the organisation: time zones, countries, currencies, PINs."""

import re
import zoneinfo
from functools import cache

import holidays
from django.core.exceptions import ValidationError


@cache
def _iana_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_iana_timezone(value: str) -> None:
    if value not in _iana_zones():
        raise ValidationError(
            "%(value)s is not an IANA time zone (e.g. Europe/Amsterdam).",
            code="invalid_timezone",
            params={"value": value},
        )


def validate_country_code(value: str) -> None:
    if value not in holidays.list_supported_countries():
        raise ValidationError(
            "%(value)s is not an ISO 3166-1 alpha-2 country with a holiday calendar.",
            code="invalid_country",
            params={"value": value},
        )


def validate_currency_code(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValidationError(
            "Currency must be an ISO 4217 code of three capital letters.", code="invalid_currency"
        )


def validate_badge_id(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9-]{1,32}", value):
        raise ValidationError("A badge id is 1-32 letters, digits or dashes.", code="invalid_badge")


def validate_pin(value: str) -> None:
    if not re.fullmatch(r"\d{4,8}", value):
        raise ValidationError("A PIN is 4 to 8 digits.", code="invalid_pin")
