"""R1.3: the audit trail is a hash chain; verify_audit_chain finds the first altered row."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from organisation.audit import audit_first_bad, audit_record, audit_record_many
from organisation.models import AuditEvent
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def test_ten_thousand_events_verify_and_an_altered_row_is_named(org: Org) -> None:
    audit_record(
        action="period_closed", actor=org.payroll, object_type="pay_period", object_id="p1"
    )
    audit_record_many(
        [
            {
                "action": "punch_corrected",
                "actor": "manager_a",
                "object_type": "punch",
                "object_id": n,
                "data": {"reason": f"case {n}"},
            }
            for n in range(10_000)
        ]
    )
    audit_record(
        action="roster_published", actor=org.manager_a, object_type="roster", object_id="r1"
    )
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "10002 events" in out.getvalue()
    victim = AuditEvent.objects.order_by("id")[5000]
    with connection.cursor() as cursor:  # as a superuser would, behind the application's back
        cursor.execute(
            "UPDATE wfm_auditevent SET data = %s WHERE id = %s", ['{"reason": "edited"}', victim.pk]
        )
    assert audit_first_bad() == victim.pk
    with pytest.raises(CommandError, match=f"row {victim.pk}"):
        call_command("verify_audit_chain", stdout=StringIO())


def test_a_deleted_row_breaks_the_chain_at_the_next_one(org: Org) -> None:
    events = [
        audit_record(action="a", actor=None, object_type="t", object_id=str(n)) for n in range(5)
    ]
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    assert audit_first_bad() == events[3].pk
