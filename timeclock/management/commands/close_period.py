"""`python manage.py close_period PERIOD` or `close_period --site S --start D --end D`:
freeze a pay period (creating it first when given by site and dates). Idempotent."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from organisation.errors import DomainError
from organisation.models import Site
from timeclock.models import PayLineRecord, PayPeriod
from timeclock.services.periods import period_close, period_create


class Command(BaseCommand):
    help = "Close a pay period: compute, freeze and fingerprint every employee's pay lines."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("period", nargs="?", help="Pay period id")
        parser.add_argument("--site", help="Site name (with --start and --end)")
        parser.add_argument("--start", type=date.fromisoformat)
        parser.add_argument("--end", type=date.fromisoformat)
        parser.add_argument("--force-reason", default="", help="Close despite missing punches")
        parser.add_argument(
            "--approve-adjustments",
            action="store_true",
            help="Book the adjustments for earlier closed periods it lists",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = self._period(options)
            period = period_close(
                period=period,
                user=None,
                force_reason=options["force_reason"],
                approve_adjustments=options["approve_adjustments"],
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message} {exc.extra or ''}") from exc
        lines = PayLineRecord.objects.filter(period=period)
        total = sum(line.amount for line in lines)
        self.stdout.write(
            f"Closed {period} : {lines.values('employee').distinct().count()} employees, "
            f"{lines.count()} lines, {total} {period.site.currency}; export sha256 "
            f"{period.export_sha256[:16]}..."
        )

    def _period(self, options: dict[str, Any]) -> PayPeriod:
        if options["period"]:
            found = PayPeriod.objects.filter(pk=options["period"]).first()
            if found is None:
                raise CommandError("No such pay period.")
            return found
        if not (options["site"] and options["start"] and options["end"]):
            raise CommandError("Give a period id, or --site, --start and --end.")
        site = Site.objects.filter(name=options["site"]).first()
        if site is None:
            raise CommandError(f"No site named {options['site']!r}.")
        existing = PayPeriod.objects.filter(
            site=site, start_date=options["start"], end_date=options["end"]
        ).first()
        return existing or period_create(
            site=site, start_date=options["start"], end_date=options["end"]
        )
