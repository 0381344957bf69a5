"""`python manage.py demo`: the main job on the embedded default, end to end, with a summary.

Stage 1 (this issue): load the demo organisation and report its headcount through a job.
Every job runs in-process here, whatever broker is configured.
"""

from typing import Any

from django.core.management.base import BaseCommand

from fixtures.demo_organisation import demo_organisation
from wfm import tasks
from wfm.celery import app as celery_app
from wfm.demo import demo_organisation_load
from wfm.jobs import job_create
from wfm.models import Job

DEMO_PASSWORD = "wfm-demo-2026"


class Command(BaseCommand):
    help = "Load the demo organisation and run the whole chain on it, printing a summary."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help="Password given to the demo admin, managers and payroll officer when created.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        celery_app.conf.task_always_eager = True
        spec = demo_organisation()
        self.stdout.write("Loading the demo organisation ...")
        demo_organisation_load(spec=spec, password=options["password"])
        job = job_create(kind="headcount_report", task=tasks.headcount_report, created_by=None)
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            self.stderr.write(f"headcount report failed: {job.message}")
            raise SystemExit(1)
        self._print_organisation(job.result)
        self._print_logins(spec, options["password"])

    def _print_organisation(self, report: dict[str, Any]) -> None:
        w = self.stdout.write
        w("")
        w(self.style.MIGRATE_HEADING(f"Organisation on {report['on']}"))
        for site in report["sites"]:
            w("")
            w(
                self.style.SUCCESS(site["name"]) + f"  {site['timezone']}  {site['country_code']}  "
                f"min wage {site['minimum_hourly_wage']} {site['currency']}/h  "
                f"{site['employees']} operators ({site['home_workers']} home)  "
                f"contracted up to {site['contracted_max_hours_per_week']} h/week"
            )
            w(f"  {'team':<22}{'operators':>10}  managers")
            for team in site["teams"]:
                w(f"  {team['name']:<22}{team['headcount']:>10}  {', '.join(team['managers'])}")
            w(f"  {'queue':<24}{'goal':>7}{'occ.':>7}{'shrink':>8}{'skilled':>9}  client")
            for q in site["queues"]:
                w(
                    f"  {q['name']:<24}{q['service_goal']:>7}"
                    f"{float(q['max_occupancy']):>7.0%}{float(q['shrinkage']):>8.0%}"
                    f"{q['skilled_operators']:>9}  {q['client'] or '-'}"
                )

    def _print_logins(self, spec: Any, password: str) -> None:
        w = self.stdout.write
        w("")
        w(self.style.MIGRATE_HEADING("Logins (make run, then http://127.0.0.1:8000/admin/)"))
        for person in spec.staff:
            w(f"  {person.role:<9}{person.username:<15}password: {password}")
        w(f"  operators: {len(spec.operators)} (op001 ...), no password; badges 4701 ...")
