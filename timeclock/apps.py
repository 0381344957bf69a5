"""App config for the time clock: from punches to payroll."""

from django.apps import AppConfig


class TimeclockConfig(AppConfig):
    name = "timeclock"
    verbose_name = "Time clock and pay"

    def ready(self) -> None:
        from timeclock import schema  # noqa: F401  (registers the device auth scheme)
