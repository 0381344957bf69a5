"""The audit trail: append-only events chained by hash, so that an edited or deleted row is
found (R1.3). Each row stores sha256(previous hash ‖ canonical JSON of the row)."""

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from organisation.models import AuditEvent

GENESIS = "0" * 64
# The key of the PostgreSQL advisory lock that puts appends in one line.
CHAIN_LOCK = 0x57464D41


def _canonical(event: AuditEvent) -> str:
    # The row's content, not its id: order is the chain's own (each hash covers the one before).
    return json.dumps(
        {
            "at": event.at.isoformat(),
            "actor": event.actor,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "data": event.data,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )


def _digest(previous: str, event: AuditEvent) -> str:
    return hashlib.sha256((previous + _canonical(event)).encode()).hexdigest()


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | None,
    object_type: str,
    object_id: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event."""
    (event,) = audit_record_many(
        [
            {
                "action": action,
                "actor": actor.get_username() if actor is not None else "",
                "object_type": object_type,
                "object_id": object_id,
                "data": data,
            }
        ]
    )
    return event


@transaction.atomic
def audit_record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append events in order (actor as a username), in one line with every other append:
    three queries whatever the count.

    On PostgreSQL a transaction-scoped advisory lock comes first. Locking the tail row
    alone is not enough: under READ COMMITTED a transaction that waited for that lock gets
    the row it waited for, not the one the holder appended (the query is not run again), and
    the chain forks. Once the advisory lock is ours, the tail read sees every append before."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    tail = AuditEvent.objects.select_for_update().order_by("-id").first()
    previous = tail.sha256 if tail else GENESIS
    now = timezone.now()
    rows = []
    for e in events:
        row = AuditEvent(
            at=now,
            actor=e.get("actor", ""),
            action=e["action"],
            object_type=e["object_type"],
            object_id=str(e["object_id"]),
            data=json.loads(json.dumps(e.get("data") or {}, default=str)),
            previous_sha256=previous,
        )
        row.sha256 = previous = _digest(previous, row)
        rows.append(row)
    return AuditEvent.objects.bulk_create(rows, batch_size=2000)


def audit_first_bad(batch: int = 5000) -> int | None:
    """The id of the first row whose hash does not follow from the rows before it, or None."""
    previous = GENESIS
    for event in _in_order(batch):
        if event.previous_sha256 != previous or event.sha256 != _digest(previous, event):
            return int(event.pk)
        previous = event.sha256
    return None


def _in_order(batch: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].pk
