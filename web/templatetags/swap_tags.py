"""Template filters of the swap pages."""

from django import template

from web.swap_reasons import swap_reason_text

register = template.Library()


@register.filter
def swap_reason(reason: str | None) -> str:
    return swap_reason_text(reason or "")
