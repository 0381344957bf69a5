"""The login lockout (RELIABILITY.md R4.5; OWASP Authentication Cheat Sheet, "Account
lockout"): at most LOGIN_TRIES password checks per username in LOGIN_WINDOW, however many
arrive at once. A try is reserved under a row lock before the password is checked, so 50
concurrent wrong logins evaluate 5 and refuse 45 (429 with Retry-After); a successful login
clears the count. The count is in the database, shared by every web worker (a per-process
cache would allow 5 per worker)."""

import math
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from organisation.errors import LoginLocked
from organisation.models.logins import LoginTries

LOGIN_TRIES = 5
LOGIN_WINDOW = timedelta(minutes=15)


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def login_try_reserve(*, username: str, now: datetime) -> None:
    """Count one login try for `username` before its password is checked; LoginLocked (with
    the seconds until the window ends) when the window's tries are used up."""
    key = _key(username)
    with transaction.atomic():
        row = LoginTries.objects.select_for_update().filter(username=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    LoginTries.objects.create(username=key, tries=1, window_started_at=now)
                return
            except IntegrityError:  # another try created it meanwhile: take its lock
                row = LoginTries.objects.select_for_update().get(username=key)
        if now - row.window_started_at >= LOGIN_WINDOW:
            row.tries, row.window_started_at = 0, now
        if row.tries >= LOGIN_TRIES:
            wait = row.window_started_at + LOGIN_WINDOW - now
            raise LoginLocked(
                extra={"retry_after_seconds": max(1, math.ceil(wait.total_seconds()))}
            )
        row.tries += 1
        row.save(update_fields=["tries", "window_started_at"])


def login_succeeded(*, username: str) -> None:
    """A right password: the username's count starts again."""
    LoginTries.objects.filter(username=_key(username)).delete()
