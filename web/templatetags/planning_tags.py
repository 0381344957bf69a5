"""Template helpers of the planning and set-up pages: shares as percentages in the reader's
language, the history reader's sentences translated, minutes as hours."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from web.history_text import row_message as _row_message
from web.planning_forms import plain

register = template.Library()


@register.filter
def percent(share: Any, decimals: int = 0) -> str:
    """A share (0.8) as a percentage in the reader's language ("80 %", "80,5 %")."""
    if share is None or share == "":
        return ""
    value = Decimal(str(share)) * 100
    return f"{number_format(value, decimal_pos=int(decimals))} %"


@register.filter
def plain_decimal(value: Any) -> Any:
    """1.1500 as 1.15 and 10.0000 as 10, in the reader's language (1,15 in Dutch)."""
    return number_format(plain(Decimal(str(value)))) if value not in (None, "") else ""


@register.filter
def row_message(text: str) -> str:
    return _row_message(text)


LAYOUTS = {
    "interval_counts": _("Interval counts"),
    "anonymous_bank": _("Per-call records (Anonymous Bank)"),
    "per_call": _("Per-call records"),
}
METHODS = {
    "auto": _("Auto"),
    "weekday_profile": _("Recent same weekdays"),
    "daily_profile": _("Day level times intraday shares"),
    "seasonal_naive": _("Same day last week"),
    "fallback": _("Fallback (short history)"),
}


@register.filter
def label_layout(code: str) -> Any:
    return LAYOUTS.get(code, code)


@register.filter
def label_method(code: str) -> Any:
    return METHODS.get(code, code)
