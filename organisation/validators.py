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


# The USPS codes of the 50 states and the District of Columbia: a US site's state selects
# its rule pack (timeclock/jurisdictions/packs.py); territories are not states here.
US_STATES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
        "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC",
    )
)


def validate_site_state(*, country_code: str, us_state: str) -> None:
    """A US site's state is a state's two-letter code (or none: the federal pack applies);
    a site elsewhere has none."""
    if not us_state:
        return
    if country_code != "US":
        raise ValidationError(
            {
                "us_state": ValidationError(
                    "Only a US site has a state: leave it empty for a site in %(country)s.",
                    code="us_state_outside_us",
                    params={"country": country_code},
                )
            }
        )
    if us_state not in US_STATES:
        raise ValidationError(
            {
                "us_state": ValidationError(
                    "%(value)s is not a US state: give its two-letter code, e.g. NY.",
                    code="us_state_unknown",
                    params={"value": us_state},
                )
            }
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
