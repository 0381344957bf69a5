"""Template helpers of the set-up pages: durations as h:mm, weekday numbers as names in the
reader's language."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from web.setup_forms import hours_text

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    return "" if minutes is None else hours_text(int(minutes))


@register.filter
def durations(minutes: Iterable[int]) -> str:
    return ", ".join(hours_text(int(m)) for m in minutes)


@register.filter
def weekday_names(days: Iterable[int]) -> str:
    """[0, 1, 2, 3, 4] -> "Mon-Fri" (with an en dash); others as a list ("Mon, Wed, Sat")."""
    found = sorted(days)
    if not found:
        return ""
    if found == list(range(found[0], found[-1] + 1)) and len(found) > 2:
        return f"{WEEKDAYS_ABBR[found[0]]}\u2013{WEEKDAYS_ABBR[found[-1]]}"
    return ", ".join(str(WEEKDAYS_ABBR[d]) for d in found)


KINDS = {
    "unavailable": _("Unavailable"),
    "prefer_off": _("Rather not work"),
    "time_off": _("Approved time off"),
}


@register.filter
def label_kind(code: str) -> Any:
    return KINDS.get(code, code)


FINES = {
    "none": _("None"),
    "per_minute": _("Per late minute"),
    "per_occurrence": _("Per time late"),
    "tiered": _("By tiers"),
    "fixed": _("A fixed amount"),
    "shift_pay_multiple": _("Times the shift's pay"),
}


@register.filter
def label_fine(code: str) -> Any:
    return FINES.get(code, code)
