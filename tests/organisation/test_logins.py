"""The login lockout (RELIABILITY.md R4.5): five tries per username in 15 minutes, counted
before the password is checked, on the API token and the web login alike; 429 with
Retry-After after that; a right password starts the count again. On PostgreSQL, 50 wrong
logins at once evaluate exactly five passwords."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from organisation.errors import LoginLocked
from organisation.models import LoginTries
from organisation.services.logins import (
    LOGIN_TRIES,
    LOGIN_WINDOW,
    login_succeeded,
    login_try_reserve,
)
from tests.conftest import Org
from tests.races import race

NOW = datetime(2026, 3, 29, 0, 59, tzinfo=UTC)  # the night Amsterdam's clocks go forward
TOKEN = "/api/v1/auth/token"


def _user(org: Org) -> Any:
    user = org.op_a1.user
    user.set_password("right-password-1")
    user.save()
    return user


@pytest.mark.django_db
def test_five_tries_then_locked_until_the_window_ends(db: None) -> None:
    for _ in range(LOGIN_TRIES):
        login_try_reserve(username="Ann", now=NOW)
    with pytest.raises(LoginLocked) as locked:
        login_try_reserve(username=" ann ", now=NOW + timedelta(minutes=10))  # one username
    assert locked.value.extra["retry_after_seconds"] == 5 * 60
    assert LoginTries.objects.get().tries == LOGIN_TRIES  # refused tries are not counted
    login_try_reserve(username="ann", now=NOW + LOGIN_WINDOW)  # a new window
    assert LoginTries.objects.get().tries == 1
    login_succeeded(username="ANN")
    assert not LoginTries.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_the_sixth_try_even_with_the_right_password(org: Org) -> None:
    user = _user(org)
    client = APIClient()
    for _ in range(LOGIN_TRIES):
        wrong = client.post(TOKEN, {"username": user.username, "password": "nope"}, format="json")
        assert wrong.json()["code"] == "invalid_credentials"
    right = {"username": user.username, "password": "right-password-1"}
    locked = client.post(TOKEN, right, format="json")
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert 0 < int(locked["Retry-After"]) <= 15 * 60


@pytest.mark.django_db
def test_a_right_password_starts_the_count_again(org: Org) -> None:
    user = _user(org)
    client = APIClient()
    for _ in range(LOGIN_TRIES - 1):
        client.post(TOKEN, {"username": user.username, "password": "nope"}, format="json")
    right = {"username": user.username, "password": "right-password-1"}
    assert client.post(TOKEN, right, format="json").status_code == 200
    for _ in range(LOGIN_TRIES - 1):
        client.post(TOKEN, {"username": user.username, "password": "nope"}, format="json")
    assert client.post(TOKEN, right, format="json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_web_login_says_why_and_answers_429(org: Org, language: str) -> None:
    user = _user(org)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    form = {"username": user.username, "password": "nope"}
    for _ in range(LOGIN_TRIES):
        assert client.post(reverse("web:login"), form).status_code == 200
    locked = client.post(reverse("web:login"), {**form, "password": "right-password-1"})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    text = {"en": "Too many logins tried for this user", "nl": "Te vaak geprobeerd"}[language]
    assert text in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres")
def test_fifty_wrong_logins_at_once_evaluate_five_passwords(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _user(org)
    checked: list[str] = []
    real = ModelBackend.authenticate

    def counting(self: Any, request: Any, username: Any = None, **kwargs: Any) -> Any:
        checked.append(username)  # a password checked
        return real(self, request, username=username, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)

    def wrong() -> int:
        body = {"username": user.username, "password": "nope"}
        return APIClient().post(TOKEN, body, format="json").status_code

    statuses = race(*[wrong] * 50)
    assert len(checked) == LOGIN_TRIES
    assert sorted(statuses) == [400] * LOGIN_TRIES + [429] * (50 - LOGIN_TRIES)


@pytest.mark.django_db
def test_the_admin_login_counts_too_and_stays_shut_when_locked(org: Org) -> None:
    """Every password login goes through the lockout (one authentication backend): tries on
    the web page count on the admin's page, and a locked username cannot log in there."""
    user = _user(org)
    user.is_staff = True
    user.save()
    client = Client()
    for _ in range(LOGIN_TRIES):
        client.post(reverse("web:login"), {"username": user.username, "password": "nope"})
    admin = client.post(
        "/admin/login/", {"username": user.username, "password": "right-password-1"}
    )
    assert admin.status_code == 200  # the form again, not a redirect into the admin
    assert "_auth_user_id" not in client.session
    assert LoginTries.objects.get().tries == LOGIN_TRIES
