"""App config for the time clock: from punches to payroll."""

from django.apps import AppConfig


class TimeclockConfig(AppConfig):
    name = "timeclock"
    verbose_name = "Time clock and pay"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from organisation.models import Site
        from timeclock import schema  # noqa: F401  (registers the device auth scheme)
        from timeclock.services.pay_policies import site_country_change_check

        # A site's new country or state must allow its pay policies' fines (issue 25).
        pre_save.connect(
            site_country_change_check, sender=Site, dispatch_uid="site_country_change_check"
        )
