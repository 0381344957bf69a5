"""`python manage.py web_demo`: make sure the demo data is there (run `demo` once when the
database has no sites), forecast the next two weeks so managers can build rosters from the web
pages, and give two demo operators a password so each role can log in."""

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from organisation.models import Employee, Queue, Site
from scheduling.demo import INTERVAL_MINUTES
from scheduling.models import StaffingRequirement
from scheduling.services.forecasting import forecast_build
from wfm.management.commands.demo import DEMO_PASSWORD

# One office operator and the first home operator of the demo organisation.
OFFICE_OPERATOR = "op001"


class Command(BaseCommand):
    help = "Load the demo data if absent and print the web logins of each role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--roster-seconds", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Site.objects.exists():
            self.stdout.write("No data yet: running the demo (a few minutes, once) ...")
            call_command(
                "demo", password=options["password"], roster_seconds=options["roster_seconds"]
            )
        self._forecast_ahead()
        operators = [
            e
            for e in (
                Employee.objects.select_related("user")
                .filter(user__username=OFFICE_OPERATOR)
                .first(),
                Employee.objects.select_related("user")
                .filter(is_home_worker=True)
                .order_by("number")
                .first(),
            )
            if e is not None
        ]
        for employee in operators:
            if not employee.user.has_usable_password():
                employee.user.set_password(options["password"])
                employee.user.save(update_fields=["password"])
        self.stdout.write(self.style.MIGRATE_HEADING("Web logins (http://127.0.0.1:8000/)"))
        for name, role in (
            ("anna.devries", "manager"),
            ("pat.payroll", "payroll"),
            ("admin", "admin"),
        ):
            self.stdout.write(f"  {role:<15}{name:<15}password: {options['password']}")
        for employee in operators:
            kind = "home operator" if employee.is_home_worker else "operator"
            self.stdout.write(
                f"  {kind:<15}{employee.user.username:<15}password: {options['password']}"
            )

    def _forecast_ahead(self) -> None:
        """Staffing for the two weeks from next Monday, for queues that have none there."""
        today = timezone.localdate()
        monday = today + timedelta(days=7 - today.weekday())
        for queue in Queue.objects.select_related("site").order_by("name"):
            if StaffingRequirement.objects.filter(
                queue=queue, interval_start__date__gte=monday
            ).exists():
                continue
            forecast_build(queue=queue, start=monday, days=14, interval_minutes=INTERVAL_MINUTES)
            self.stdout.write(f"  forecast {queue.name}: 14 days from {monday}")
