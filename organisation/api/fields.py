"""Serializer fields shared by the APIs."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Every date and instant the API takes lies in this window (README, "The API"): wide enough
# for any employment, pay period or terminal whose clock fell back to 1970, narrow enough that
# no date arithmetic (a period's pay date, a roster's days, a device's skew) leaves the
# calendar or the database's columns.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2099, 12, 31)
EARLIEST_INSTANT = datetime.combine(EARLIEST_DATE, time(), tzinfo=UTC)
END_INSTANT = datetime.combine(LATEST_DATE + timedelta(days=1), time(), tzinfo=UTC)
WINDOW_MESSAGE = "Give a date from 1970-01-01 to 2099-12-31."


class SaneDateField(serializers.DateField):
    """A date inside the window 1970-01-01 .. 2099-12-31."""

    default_error_messages = {
        **serializers.DateField.default_error_messages,
        "date_out_of_range": WINDOW_MESSAGE,
    }

    def to_internal_value(self, value: Any) -> date:
        parsed: date = super().to_internal_value(value)
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            self.fail("date_out_of_range")
        return parsed


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime that must carry its UTC offset: a naive time is ambiguous (which
    zone? which of the two autumn 02:30s?), so it is refused rather than guessed. It must lie
    in 1970-01-01 .. 2099-12-31 (UTC) unless `bounded=False` (a device's sent_at, which is
    judged, never refused)."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "naive": "Give the UTC offset, e.g. 2026-03-29T21:58:00+02:00.",
        "date_out_of_range": WINDOW_MESSAGE,
    }

    def __init__(self, *args: Any, bounded: bool = True, **kwargs: Any) -> None:
        self.bounded = bounded
        super().__init__(*args, **kwargs)

    def to_internal_value(self, value: Any) -> datetime:
        moment = self._aware(value)
        if self.bounded and not EARLIEST_INSTANT <= moment < END_INSTANT:
            self.fail("date_out_of_range")
        return moment

    def _aware(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            parsed: datetime | None = value
        elif isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
        else:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            self.fail("naive")
        return super().to_internal_value(value)  # type: ignore[no-any-return]


class LocalDateTimeField(serializers.DateTimeField):
    """An instant written in the local time of the zone named by the serializer's context
    ("timezone", an IANA name), with its offset: 2026-06-07T22:00:00+02:00, the same instant
    as 20:00Z, as the site's clocks showed it."""

    def default_timezone(self) -> Any:
        zone = self.context.get("timezone")
        return ZoneInfo(zone) if zone else super().default_timezone()


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "email"},
            {"type": "string", "maxLength": 0},
        ],
        "description": "An e-mail address, or empty when there is none",
    }
)
class OptionalEmailField(serializers.EmailField):
    """An e-mail address that may be blank: documented as an address or the empty string,
    both as written, so clients and the schema agree."""


class SentenceOutput(serializers.Serializer):
    """One sentence of an explanation (scheduling/sentences.py): a stable code and its values,
    for clients that show it in their own language; the English text is beside it."""

    code = serializers.CharField()
    values = serializers.DictField()
