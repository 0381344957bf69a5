"""Template helpers of the schedule board."""

from django import template

from web.sentences import duration_text

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """Whole minutes as a duration in the reader's language: "10 h 50 min"."""
    return "" if minutes is None else duration_text(int(minutes))
