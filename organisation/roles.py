"""The four human roles (Django groups) and how to ask a user which ones they hold."""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group


class Role(StrEnum):
    MANAGER = "manager"
    OPERATOR = "operator"
    PAYROLL = "payroll"
    ADMIN = "admin"


# The role sets that answer "who may": admins may do what each role may.
ADMINS = frozenset({Role.ADMIN})
MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})
PAYROLL = frozenset({Role.ADMIN, Role.PAYROLL})
OPERATORS = frozenset({Role.OPERATOR})
# Who reads jobs and reports: everyone but operators.
STAFF = frozenset({Role.ADMIN, Role.MANAGER, Role.PAYROLL})


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """Roles held through group membership; superusers hold ADMIN. Cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_wfm_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:  # type: ignore[attr-defined]
        roles.add(Role.ADMIN)
    result = frozenset(roles)
    user._wfm_roles = result  # type: ignore[union-attr]
    return result


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def role_group(role: Role) -> Group:
    """The group that grants `role` (created by migration; recreated if someone removed it)."""
    group, _ = Group.objects.get_or_create(name=role.value)
    return group
