"""Wrong logins per username: the count behind the login lockout (RELIABILITY.md R4.5)."""

from django.db import models


class LoginTries(models.Model):
    """Logins tried for one username (lowercased) since `window_started_at`; a successful login
    deletes the row. Kept by organisation.services.logins, one row lock per try."""

    username = models.CharField(max_length=150, primary_key=True)
    tries = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "login tries"

    def __str__(self) -> str:
        return f"{self.username}: {self.tries} since {self.window_started_at:%Y-%m-%d %H:%M}"
