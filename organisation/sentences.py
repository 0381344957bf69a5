"""Sentences the services write for people: a stable code with its values, and one English
template per code.

The services keep the English text (API, exports, audit trail); the web shows the same
template translated into the reader's language, with the values formatted for it. Templates
are written inside gettext_noop() so that makemessages finds them here; translation happens
only when a page shows the sentence. Pure: no Django.

A value's kind comes from its name (KINDS), so the values survive a round trip through JSON as
plain numbers and strings that API clients can read too.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

Value = int | str | Decimal | date | time


def gettext_noop(message: str) -> str:
    """Marks a template for the translation catalogue (Django's makemessages looks for this
    name); it is translated where it is shown."""
    return message


DATE_KEYS = frozenset({"day", "date", "week", "first", "last"})
TIME_KEYS = frozenset({"start", "end", "earliest", "latest"})  # local wall-clock times
DECIMAL_KEYS = frozenset(
    {"hours", "limit", "multiplier", "percent", "amount", "longest", "cap", "taken"}
)
# Written without trailing zeros: a policy stores "1.5000", people read "x1.5" and "+25 %".
NORMALISED_KEYS = frozenset({"multiplier", "percent"})
SIGNED_KEYS = frozenset({"change_hours", "change_amount"})
# Durations in whole minutes, written "10 h 50 min", "40 h", "30 min".
DURATION_KEYS = frozenset({"rest", "worked", "allowed", "needed", "length", "step"})
INT_KEYS = frozenset(
    {
        "minutes",
        "grace",
        "tier",
        "required",
        "count",
        "offset",
        "days",
        "index",
        "last_index",
        "version",
    }
    | DURATION_KEYS
)


@dataclass(frozen=True)
class Sentence:
    code: str
    values: tuple[tuple[str, Value], ...] = ()

    @classmethod
    def of(cls, code: str, **values: Value) -> "Sentence":
        unknown = set(values) - KNOWN_KEYS
        if unknown:
            raise ValueError(f"no kind for {sorted(unknown)}: add them to sentences.py")
        return cls(code, tuple(sorted(values.items())))

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "values": {k: _encode(v) for k, v in self.values}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Sentence":
        values = data.get("values") or {}
        return cls(str(data["code"]), tuple(sorted((k, _decode(k, v)) for k, v in values.items())))


# `status`: a code people read as a word (approved, rejected): the web says it in its labels.
TEXT_KEYS = frozenset(
    {"code", "template", "queue", "previous", "pay_code", "name", "status", "article", "country"}
    | {"session", "other"}  # training sessions' ids (scheduling/rules_training.py)
)
KNOWN_KEYS = DATE_KEYS | TIME_KEYS | DECIMAL_KEYS | SIGNED_KEYS | INT_KEYS | TEXT_KEYS


def _encode(value: Value) -> int | str:
    if isinstance(value, int):
        return value
    return value.isoformat() if isinstance(value, date | time) else str(value)


def _decode(key: str, value: Any) -> Value:
    if key in DATE_KEYS:
        return date.fromisoformat(value)
    if key in TIME_KEYS:
        return time.fromisoformat(value)
    if key in DECIMAL_KEYS or key in SIGNED_KEYS:
        return Decimal(value)
    if key in INT_KEYS:
        return int(value)
    return str(value)


def english_value(key: str, value: Value) -> str:
    """A value as the English text shows it."""
    if key == "day" and isinstance(value, date):
        return f"{value:%a %d %b}"
    if key in ("first", "last") and isinstance(value, date):
        return value.isoformat()
    if isinstance(value, date):
        return f"{value:%d %b}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if key in SIGNED_KEYS:
        return f"{value:+}"
    if key in DURATION_KEYS and isinstance(value, int):
        return duration_english(value)
    if key in NORMALISED_KEYS and isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def duration_english(minutes: int) -> str:
    """Whole minutes as people write a duration: 650 -> "10 h 50 min", 2400 -> "40 h"."""
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if not hours:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"


def english(sentences: Iterable[Sentence], templates: Mapping[str, str]) -> str:
    """The sentences in English, joined by '; '."""
    return "; ".join(
        templates[s.code].format(**{k: english_value(k, v) for k, v in s.values}) for s in sentences
    )
