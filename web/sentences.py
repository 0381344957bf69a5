"""The services' sentences (scheduling/sentences.py) in the reader's language: the template
of the sentence's code through the catalogue, its values formatted for the active locale.

A sentence whose code this version does not know (a pay line frozen by an older one) shows
the English text stored beside it."""

from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format, time_format
from django.utils.translation import gettext

from organisation.sentences import (
    DURATION_KEYS,
    NORMALISED_KEYS,
    SIGNED_KEYS,
    Sentence,
    Value,
    english_value,
)
from scheduling.notice_sentences import NOTICE_SENTENCES as SCHEDULING_NOTICES
from scheduling.rules import RULE_SENTENCES as RULES
from scheduling.working_time import WORKING_TIME_SENTENCES as WORKING_TIME
from timeclock.notice_sentences import NOTICE_SENTENCES as TIMECLOCK_NOTICES
from timeclock.pay import PAY_SENTENCES as PAY
from web.labels import LABELS

__all__ = ["NOTICES", "PAY", "RULES", "WORKING_TIME", "duration_text", "local_value", "say"]

NOTICES = {**SCHEDULING_NOTICES, **TIMECLOCK_NOTICES}


def duration_text(minutes: int) -> str:
    """Whole minutes as the reader's language writes a duration ("10 h 50 min", "10 u 50 min")."""
    hours, rest = divmod(abs(int(minutes)), 60)
    sign = "-" if minutes < 0 else ""
    if not hours:
        text = gettext("{minutes} min").format(minutes=rest)
    elif rest:
        text = gettext("{hours} h {minutes} min").format(hours=hours, minutes=rest)
    else:
        text = gettext("{hours} h").format(hours=hours)
    return sign + text


def local_value(key: str, value: Value) -> str:
    """A value as the reader's language writes it (dates, decimal commas, pay codes)."""
    if isinstance(value, date):
        return date_format(value, gettext("D j M") if key == "day" else gettext("j M"))
    if isinstance(value, time):
        return time_format(value, "H:i")
    if isinstance(value, Decimal):
        text = number_format(value.normalize() if key in NORMALISED_KEYS else value)
        return f"+{text}" if key in SIGNED_KEYS and value >= 0 else text
    if key in DURATION_KEYS and isinstance(value, int):
        return duration_text(value)
    if key in ("pay_code", "status"):
        return str(LABELS.get(str(value), value))
    return english_value(key, value)  # counts and names read the same in any language


def say(sentences: Iterable[Sentence | Mapping[str, Any]], templates: Mapping[str, str]) -> str:
    """The sentences in the active language, joined by '; '; '' if one has an unknown code or
    values its template no longer names (a sentence stored by an older version)."""
    parts = []
    for item in sentences:
        sentence = item if isinstance(item, Sentence) else Sentence.from_json(item)
        template = templates.get(sentence.code)
        if template is None:
            return ""
        values = {k: local_value(k, v) for k, v in sentence.values}
        try:
            parts.append(gettext(template).format(**values))
        except (KeyError, IndexError):
            return ""
    return "; ".join(parts)
