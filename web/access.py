"""Who may open which page: login first, then the role (403), then the object's scope (404,
through the same selectors the API uses)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from organisation.models import Employee
from organisation.roles import Role, has_role

View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous users go to the login page; users without one of `roles` get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("web:login"))
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def employee_required(view: View) -> View:
    """Pages about the user's own employee record (operators); others get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if own_employee(request) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def own_employee(request: HttpRequest) -> Employee | None:
    try:
        return Employee.objects.select_related("team__site", "user").get(user=request.user)
    except Employee.DoesNotExist:
        return None
