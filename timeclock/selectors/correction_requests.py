"""Correction requests as the asking user may see them: operators their own, managers their
teams', admins all (anything else is a 404); a manager's queue of pending requests."""

from django.db.models import Q, QuerySet

from organisation.models import Employee
from organisation.roles import Role, user_roles
from organisation.selectors.organisation import User, team_list_managed
from timeclock.models import CorrectionRequest

_REQUEST_RELATED = ("employee__user", "employee__team__site", "punch", "decided_by")


def correction_request_list_visible(*, user: User) -> QuerySet[CorrectionRequest]:
    rows = CorrectionRequest.objects.select_related(*_REQUEST_RELATED)
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return rows
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= Q(employee__team__in=team_list_managed(user=user))
    if user.is_authenticated:
        scope |= Q(employee__user=user)
    return rows.filter(scope)


def correction_request_approvals(*, user: User) -> QuerySet[CorrectionRequest]:
    """Pending requests of the manager's teams, oldest first; the manager's own are left to
    another manager."""
    return (
        CorrectionRequest.objects.select_related(*_REQUEST_RELATED)
        .filter(
            employee__team__in=team_list_managed(user=user),
            status=CorrectionRequest.Status.PENDING,
        )
        .exclude(employee__user=user)
        .order_by("created_at", "pk")
    )


def correction_request_list_own(*, employee: Employee) -> QuerySet[CorrectionRequest]:
    return (
        CorrectionRequest.objects.filter(employee=employee)
        .select_related(*_REQUEST_RELATED)
        .order_by("-created_at", "pk")
    )
