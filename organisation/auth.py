"""The authentication backend of every password login (the web login page, the API token, the
Django admin): Django's ModelBackend behind the login lockout (organisation.services.logins).
A locked username is not checked at all; the view that asked learns why from
`request.login_locked` (the refusal, with its Retry-After) and answers 429."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from organisation.errors import LoginLocked
from organisation.services.logins import login_succeeded, login_try_reserve


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            login_try_reserve(username=username, now=timezone.now())
        except LoginLocked as exc:
            if request is not None:
                request.login_locked = exc  # type: ignore[attr-defined]
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_succeeded(username=username)
        return user


def login_locked(request: HttpRequest) -> LoginLocked | None:
    """The lockout that refused this request's login, if one did."""
    return getattr(request, "login_locked", None)
