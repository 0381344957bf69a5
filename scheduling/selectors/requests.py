"""Reads of swaps, the open-shift board, time off and notices, scoped to the asking user.

Operators see requests they are party to and their team's open-shift posts (the board lists
the ones they could still pick up); managers see their teams' requests; nobody else sees
any. Out of scope is a 404 at the API.
"""

from datetime import datetime

from django.db.models import Q, QuerySet

from organisation.models import Employee
from organisation.roles import Role, user_roles
from organisation.selectors.organisation import User, own_employee, team_list_managed
from scheduling.models import ShiftSwap, TimeOffRequest

_SWAP_RELATED = (
    "requester__user",
    "counterpart__user",
    "shift__queue",
    "shift__roster__site",
    "counterpart_shift__queue",
    "team",
)


def swap_list_visible(*, user: User) -> QuerySet[ShiftSwap]:
    swaps = ShiftSwap.objects.select_related(*_SWAP_RELATED)
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return swaps
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= Q(team__in=team_list_managed(user=user))
    me = own_employee(user)
    if me is not None and Role.OPERATOR in roles:
        scope |= Q(requester=me) | Q(counterpart=me)
        scope |= Q(kind=ShiftSwap.Kind.OPEN, team_id=me.team_id)
    return swaps.filter(scope)


def open_board(*, employee: Employee, now: datetime) -> QuerySet[ShiftSwap]:
    """Open shifts of the employee's team that they could pick up: not their own, not yet
    expired, on a queue they are skilled for (or no queue)."""
    skills = list(employee.queues.values_list("pk", flat=True))
    return (
        ShiftSwap.objects.select_related(*_SWAP_RELATED)
        .filter(
            kind=ShiftSwap.Kind.OPEN,
            status=ShiftSwap.Status.PENDING,
            team_id=employee.team_id,
            expires_at__gt=now,
        )
        .exclude(requester=employee)
        .filter(Q(shift__queue__isnull=True) | Q(shift__queue__in=skills))
        .order_by("shift__start", "pk")
    )


def swap_approvals(*, user: User) -> QuerySet[ShiftSwap]:
    """Accepted swaps of the manager's teams waiting for a decision, oldest first; requests
    the manager is a party to are left to another manager."""
    me = own_employee(user)
    swaps = (
        ShiftSwap.objects.select_related(*_SWAP_RELATED)
        .filter(team__in=team_list_managed(user=user), status=ShiftSwap.Status.ACCEPTED)
        .order_by("accepted_at", "pk")
    )
    if me is not None:
        swaps = swaps.exclude(requester=me).exclude(counterpart=me)
    return swaps


def swap_open_posts(*, user: User) -> QuerySet[ShiftSwap]:
    """Open-shift posts of the manager's teams nobody has taken yet (approving one releases
    the shift), soonest to expire first; the manager's own posts are left to another."""
    me = own_employee(user)
    posts = (
        ShiftSwap.objects.select_related(*_SWAP_RELATED)
        .filter(
            team__in=team_list_managed(user=user),
            kind=ShiftSwap.Kind.OPEN,
            status=ShiftSwap.Status.PENDING,
        )
        .order_by("expires_at", "pk")
    )
    if me is not None:
        posts = posts.exclude(requester=me)
    return posts


def time_off_list_visible(*, user: User) -> QuerySet[TimeOffRequest]:
    requests = TimeOffRequest.objects.select_related("employee__user", "team", "decided_by")
    roles = user_roles(user)
    if Role.ADMIN in roles:
        return requests
    scope = Q(pk__in=[])
    if Role.MANAGER in roles:
        scope |= Q(team__in=team_list_managed(user=user))
    me = own_employee(user)
    if me is not None:
        scope |= Q(employee=me)
    return requests.filter(scope)


def time_off_approvals(*, user: User) -> QuerySet[TimeOffRequest]:
    return (
        TimeOffRequest.objects.select_related("employee__user", "team", "decided_by")
        .filter(team__in=team_list_managed(user=user), status=TimeOffRequest.Status.PENDING)
        .exclude(employee__user=user)
        .order_by("created_at", "pk")
    )
