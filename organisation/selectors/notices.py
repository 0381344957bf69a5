"""Reads of notices: a person's own, newest first."""

from django.db.models import QuerySet

from organisation.models import Notice
from organisation.selectors.organisation import User


def my_notices(*, user: User) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def notice_unread_count(*, user: User) -> int:
    """How many of the user's notices they have not seen in the app."""
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
