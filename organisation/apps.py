"""App config for the organisation: sites, teams, queues, employees, roles, jobs, audit, notices,
and the pieces every app above shares (local time grid, sentences, the decision-API base)."""

from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    # The label predates the split of the project shell from this app: it names the tables
    # (wfm_employee, ...) and the migration history of every existing database, so it stays.
    label = "wfm"
    verbose_name = "Organisation"
