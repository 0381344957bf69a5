"""`python manage.py purge_records --kind time_cards|payroll --before DATE`: delete records
past their retention period; refused inside it (2 years for time cards, 3 for payroll)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organisation.errors import DomainError
from timeclock.services.retention import retention_purge


class Command(BaseCommand):
    help = "Purge time cards or payroll lines older than a date, never inside retention."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=["time_cards", "payroll"], required=True)
        parser.add_argument("--before", type=date.fromisoformat, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deleted = retention_purge(
                kind=options["kind"], before=options["before"], today=timezone.localdate()
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message} {exc.extra}") from exc
        self.stdout.write(f"Deleted {deleted} {options['kind']} rows before {options['before']}.")
