"""Template helpers of the schedule board's forms: a field's widget tied to its error (or
help) by aria-describedby, so a screen reader reads the error with the field."""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from web.sentences import duration_text

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    attrs: dict[str, Any] = {}
    if field.errors:
        attrs = {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}-error"}
    elif field.help_text:
        attrs = {"aria-describedby": f"{field.auto_id}-help"}
    return field.as_widget(attrs=attrs)


@register.filter
def duration(minutes: int | None) -> str:
    """Whole minutes as a duration in the reader's language: "10 h 50 min"."""
    return "" if minutes is None else duration_text(int(minutes))
