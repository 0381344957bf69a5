"""`python manage.py verify_audit_chain`: check every audit event's hash against the chain;
exit 1 naming the first row that does not follow."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from organisation.audit import audit_first_bad
from organisation.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def handle(self, *args: Any, **options: Any) -> None:
        bad = audit_first_bad()
        if bad is not None:
            raise CommandError(f"audit chain broken at row {bad}")
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} events")
