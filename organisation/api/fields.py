"""Serializer fields shared by the APIs."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime
from rest_framework import serializers


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime that must carry its UTC offset: a naive time is ambiguous (which
    zone? which of the two autumn 02:30s?), so it is refused rather than guessed."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "naive": "Give the UTC offset, e.g. 2026-03-29T21:58:00+02:00.",
    }

    def to_internal_value(self, value: Any) -> datetime:
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


class SentenceOutput(serializers.Serializer):
    """One sentence of an explanation (scheduling/sentences.py): a stable code and its values,
    for clients that show it in their own language; the English text is beside it."""

    code = serializers.CharField()
    values = serializers.DictField()
