"""`python manage.py import_history QUEUE FILE`: load call history for a queue.

Interval counts (`interval_start,calls[,aht_seconds]`) or per-call records; the layout is
detected. Bad rows are listed with their line numbers and nothing is written.
"""

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from organisation.errors import DomainError
from organisation.models import Queue
from scheduling.services.forecasting import history_import


def queue_find(name_or_id: str, site: str | None) -> Queue:
    queues = Queue.objects.select_related("site")
    try:
        return queues.get(pk=uuid.UUID(name_or_id))
    except (ValueError, Queue.DoesNotExist):
        pass
    matches = queues.filter(name=name_or_id)
    if site:
        matches = matches.filter(site__name=site)
    found = list(matches[:2])
    if not found:
        raise CommandError(f"No queue named {name_or_id!r}{' at ' + site if site else ''}.")
    if len(found) > 1:
        raise CommandError(f"Several sites have a queue {name_or_id!r}; add --site.")
    return found[0]


class Command(BaseCommand):
    help = "Import a call-history CSV (interval counts or per-call records) into a queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("queue", help="Queue name (or id)")
        parser.add_argument("file", type=Path)
        parser.add_argument("--site", help="Site name, when several sites have that queue")
        parser.add_argument(
            "--interval-minutes", type=int, help="Bins for per-call records (default 15)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queue = queue_find(options["queue"], options["site"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            record, created = history_import(
                queue=queue,
                data=path.read_bytes(),
                filename=path.name,
                interval_minutes=options["interval_minutes"],
            )
        except DomainError as exc:
            for error in exc.extra.get("errors", []):
                self.stderr.write(f"  line {error['line']}: {error['message']}")
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        if not created:
            self.stdout.write(
                f"{path.name} was already imported for {queue} ({record.created_at})."
            )
            return
        self.stdout.write(
            f"Imported {record.rows_read} rows ({record.layout}) into {record.intervals_written} "
            f"{record.interval_minutes}-minute intervals of {queue}, "
            f"{record.first_interval:%Y-%m-%d %H:%M}Z .. {record.last_interval:%Y-%m-%d %H:%M}Z."
        )
