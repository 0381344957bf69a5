"""App config for the organisation app (sites, teams, queues, employees, jobs)."""

from django.apps import AppConfig


class WfmConfig(AppConfig):
    name = "wfm"
    verbose_name = "Organisation"
