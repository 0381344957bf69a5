"""Reads of notices: a person's own, newest first."""

from django.db.models import QuerySet

from organisation.models import Notice
from organisation.selectors.organisation import User


def my_notices(*, user: User) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)
