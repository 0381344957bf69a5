"""`python manage.py export_payroll PERIOD --format csv|xlsx|records|billable|adp|datev --output
FILE`: the export of a closed period, the same bytes every time (adp and datev refused, naming
what is missing, until the site's payroll codes and everyone's numbers are set)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from organisation.errors import DomainError
from timeclock.models import PayPeriod, PayrollExport
from timeclock.services.payroll_exports import payroll_export


class Command(BaseCommand):
    help = "Write a closed pay period's payroll export (CSV, XLSX, records, billable, ADP, DATEV)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("period", help="Pay period id")
        parser.add_argument("--format", choices=PayrollExport.Format.values, default="csv")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        period = PayPeriod.objects.filter(pk=options["period"]).first()
        if period is None:
            raise CommandError("No such pay period.")
        try:
            export = payroll_export(period=period, format=options["format"])
        except DomainError as exc:  # naming the unmapped codes or the people without a number
            named = list(exc.extra.get("codes") or exc.extra.get("fields") or []) + [
                f"{e['name']} ({e['number']})" for e in exc.extra.get("employees", [])
            ]
            raise CommandError(f"{exc.code}: {exc.message} {', '.join(named)}".strip()) from exc
        options["output"].write_bytes(bytes(export.content))
        self.stdout.write(
            f"Wrote {options['output']} ({len(export.content)} bytes, sha256 {export.sha256})"
        )
