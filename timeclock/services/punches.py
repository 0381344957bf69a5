"""Punch ingestion, exactly once per event id, forever, from devices and the remote clock.

Ingestion never drops what a device sends: an event that cannot be stored is answered
`rejected` with a code, and a stored event whose device time looks wrong is kept and marked
for review (R2.5). Repeated taps are all kept; attendance counts them once and marks them
duplicate suspects (R2.8). The same event id is a duplicate forever; with a different body it is a
conflict, answered and logged, and the first row stays (R2.1, R2.2).
"""

import hashlib
import ipaddress
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.models import Employee
from timeclock.errors import (
    EmployeeOtherSite,
    PunchNotStorable,
    RemoteClockNotAllowed,
    UnknownEmployee,
)
from timeclock.models import ClockPolicy, Device, Punch, SecurityEvent
from timeclock.selectors.devices import device_takes_other_sites

# What the database can refuse in a row that passed validation (a value out of its range, a
# row that vanished meanwhile): the row is rejected, the others stored. Anything else (the
# database gone) fails the request, and the terminal sends it again.
UNSTORABLE = (DataError, IntegrityError, OverflowError)
SKEW_REVIEW_SECONDS = 120  # a device clock further off than this is corrected and looked at
FUTURE_TOLERANCE = timedelta(minutes=5)
OLDEST_PLAUSIBLE = timedelta(days=62)
MAX_SKEW_SECONDS = 2**31 - 1


@dataclass(frozen=True)
class PunchInput:
    """One event as a device (or the remote clock) sends it, already parsed."""

    event_id: uuid.UUID
    kind: str
    occurred_at: datetime
    badge: str | None = None
    employee_number: str | None = None
    device_seq: int | None = None

    def body_sha256(self) -> str:
        body = {
            "event_id": str(self.event_id),
            "kind": self.kind,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "badge": self.badge,
            "employee_number": self.employee_number,
            "device_seq": self.device_seq,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class PunchResult:
    event_id: str
    status: str  # created | duplicate | rejected
    error: dict[str, str] | None = None
    punch: Punch | None = None


def _skew(sent_at: datetime | None, now: datetime) -> int | None:
    """The device clock less the server's, in seconds; None when unknown, or when it is too
    far off to mean anything (beyond what the skew column holds, about 68 years): then no
    correction is made and the punches are marked for review."""
    if sent_at is None:
        return None
    skew = int((sent_at - now).total_seconds())
    return skew if abs(skew) <= MAX_SKEW_SECONDS else None


def _suspect(skew: int | None) -> bool:
    return skew is not None and abs(skew) > SKEW_REVIEW_SECONDS


def _corrected(occurred_at: datetime, skew: int | None) -> datetime:
    """The device time less the device's measured skew, when its clock is suspect."""
    return occurred_at - timedelta(seconds=skew) if _suspect(skew) and skew else occurred_at


def _review_reason(
    occurred_at: datetime, skew: int | None, now: datetime, clock_unusable: bool = False
) -> str:
    reasons = (
        ["clock_unusable: the device's sent_at is absurd, not corrected"] if clock_unusable else []
    )
    if _suspect(skew):
        reasons.append(f"clock_suspect: device clock off by {skew:+d} s, corrected")
    corrected = _corrected(occurred_at, skew)
    if corrected > now + FUTURE_TOLERANCE:
        reasons.append("in the future")
    if corrected < now - OLDEST_PLAUSIBLE:
        reasons.append("older than two months")
    return "; ".join(reasons)


def _employees(items: list[PunchInput]) -> tuple[dict[str, Employee], dict[str, Employee]]:
    badges = {i.badge for i in items if i.badge}
    numbers = {i.employee_number for i in items if i.employee_number}
    rows = (
        Employee.objects.filter(Q(badge_id__in=badges) | Q(number__in=numbers))
        .select_related("team")
        .only("id", "badge_id", "number", "team__site_id")
    )
    by_badge = {e.badge_id: e for e in rows if e.badge_id}
    by_number = {e.number: e for e in rows}
    return by_badge, by_number  # type: ignore[return-value]


def punches_ingest(
    *,
    items: list[PunchInput],
    source: str,
    device: Device | None,
    sent_at: datetime | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> list[PunchResult]:
    """Store each event once; a result per item in the order given (R2.3)."""
    now = now or timezone.now()
    skew = _skew(sent_at, now)
    clock_unusable = sent_at is not None and skew is None
    by_badge, by_number = _employees(items)
    other_sites = device is not None and device_takes_other_sites(device=device)
    ingest_id = uuid.uuid4()
    results: dict[int, PunchResult] = {}
    rows: list[tuple[int, Punch]] = []
    for n, item in enumerate(items):
        employee = by_badge.get(item.badge or "") or by_number.get(item.employee_number or "")
        if employee is None:
            results[n] = _rejected(item, UnknownEmployee())
            continue
        if device is not None and employee.team.site_id != device.site_id and not other_sites:
            results[n] = _rejected(item, EmployeeOtherSite())
            continue
        rows.append(
            (
                n,
                Punch(
                    event_id=item.event_id,
                    body_sha256=item.body_sha256(),
                    employee=employee,
                    kind=item.kind,
                    occurred_at=item.occurred_at,
                    corrected_at=_corrected(item.occurred_at, skew),
                    received_at=now,
                    source=source,
                    device=device,
                    device_seq=item.device_seq,
                    ingest_id=ingest_id,
                    skew_seconds=skew,
                    review_reason=_review_reason(item.occurred_at, skew, now, clock_unusable),
                    ip_address=ip_address,
                    user_agent=user_agent[:300],
                ),
            )
        )
    results.update(_store(rows, device))
    if device is not None:
        created = any(r.status == "created" for r in results.values())
        _device_seen(device, skew, sent_at, now, created)
    return [results[n] for n in range(len(items))]


def _store(rows: list[tuple[int, Punch]], device: Device | None) -> dict[int, PunchResult]:
    """Insert the new events; each row's result by its position in the request. The same
    event id twice in one request is stored once: the later copies answer as a copy sent
    again would (duplicate, or event_id_conflict with other content). A row the database
    refuses rejects itself only."""
    first: dict[uuid.UUID, Punch] = {}
    for _, punch in rows:
        first.setdefault(punch.event_id, punch)
    created, refused = _insert_new(list(first.values()))
    earlier = {
        p.event_id: p
        for p in Punch.objects.filter(
            event_id__in=[e for e in first if e not in created and e not in refused]
        )
    }
    results: dict[int, PunchResult] = {}
    for n, mine in rows:
        event = mine.event_id
        if event in refused:
            results[n] = PunchResult(str(event), "rejected", refused[event])
        elif first[event] is mine and event in created:
            results[n] = PunchResult(str(event), "created", punch=mine)
        else:
            stored = first[event] if event in created else earlier[event]
            results[n] = _outcome(mine, stored, device)
    return results


def _device_seen(
    device: Device, skew: int | None, sent_at: datetime | None, now: datetime, created: bool
) -> None:
    """Record when the device was last seen and its clock skew; log a suspect clock."""
    # At most one write a second per device (busy terminals do not queue on their row),
    # unless its clock moved by more than a minute.
    stale = Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - timedelta(seconds=1))
    if skew is not None:
        stale |= Q(last_skew_seconds__isnull=True)
        stale |= Q(last_skew_seconds__lt=skew - 60) | Q(last_skew_seconds__gt=skew + 60)
    Device.objects.filter(stale, pk=device.pk).update(last_seen_at=now, last_skew_seconds=skew)
    if _suspect(skew) and created:
        SecurityEvent.objects.create(
            kind="device_clock_suspect",
            device=device,
            detail={"skew_seconds": skew, "sent_at": str(sent_at), "received_at": str(now)},
        )


def _insert_new(rows: list[Punch]) -> tuple[set[uuid.UUID], dict[uuid.UUID, dict[str, str]]]:
    """Store the rows: the new event ids, and the rows the database refused with why. All
    in one statement when it can (the usual case); when the database refuses the statement,
    each row again in a savepoint of its own, so one bad row only rejects itself."""
    if not rows:
        return set(), {}
    try:
        with transaction.atomic():
            return _insert_statement(rows), {}
    except UNSTORABLE:
        if len(rows) == 1:
            return set(), {rows[0].event_id: _unstorable()}
    created: set[uuid.UUID] = set()
    refused: dict[uuid.UUID, dict[str, str]] = {}
    for row in rows:
        try:
            with transaction.atomic():
                created |= _insert_statement([row])
        except UNSTORABLE:
            refused[row.event_id] = _unstorable()
    return created, refused


def _unstorable() -> dict[str, str]:
    error = PunchNotStorable()
    return {"code": error.code, "message": error.message}


def _insert_statement(rows: list[Punch]) -> set[uuid.UUID]:
    """INSERT … ON CONFLICT (event_id) DO NOTHING RETURNING event_id, in one statement: a
    concurrent or earlier copy wins and nothing fails; the ids returned are the new rows."""
    quote = connection.ops.quote_name
    fields = [f for f in Punch._meta.concrete_fields if not f.primary_key]
    event_id = quote(Punch._meta.get_field("event_id").column)
    values = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(Punch._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES {', '.join([values] * len(rows))}"
        f" ON CONFLICT ({event_id}) DO NOTHING RETURNING {event_id}"
    )
    params = [f.get_db_prep_save(f.pre_save(p, add=True), connection) for p in rows for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    return {value if isinstance(value, uuid.UUID) else uuid.UUID(value) for (value,) in returned}


def _outcome(mine: Punch, stored: Punch, device: Device | None) -> PunchResult:
    event = str(mine.event_id)
    if stored.body_sha256 == mine.body_sha256:
        return PunchResult(event, "duplicate", punch=stored)
    SecurityEvent.objects.create(
        kind="event_id_conflict",
        device=device,
        detail={"event_id": event, "stored": stored.body_sha256, "sent": mine.body_sha256},
    )
    return PunchResult(
        event,
        "rejected",
        error={
            "code": "event_id_conflict",
            "message": "This event id was stored earlier with different content.",
        },
        punch=stored,
    )


def _rejected(item: PunchInput, error: Any) -> PunchResult:
    return PunchResult(
        str(item.event_id), "rejected", {"code": error.code, "message": error.message}
    )


# --- Remote clock --------------------------------------------------------------------------


def punch_remote(
    *,
    employee: Employee,
    kind: str,
    ip_address: str | None,
    user_agent: str,
    event_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> PunchResult:
    """An operator's own punch from their browser, at the server's time (R2.13)."""
    now = now or timezone.now()
    policy = ClockPolicy.objects.filter(site_id=employee.team.site_id).first()
    if not employee.is_home_worker and not (policy and policy.remote_for_office_workers):
        raise RemoteClockNotAllowed()
    if (
        policy
        and policy.remote_ip_allowlist
        and not _ip_allowed(ip_address, policy.remote_ip_allowlist)
    ):
        raise RemoteClockNotAllowed("This network is not on the site's list for remote clocking.")
    item = PunchInput(
        event_id=event_id or uuid.uuid4(),
        kind=kind,
        occurred_at=now,
        employee_number=employee.number,
    )
    (result,) = punches_ingest(
        items=[item],
        source=Punch.Source.REMOTE,
        device=None,
        ip_address=ip_address,
        user_agent=user_agent,
        now=now,
    )
    return result


def _ip_allowed(ip_address: str | None, networks: list[str]) -> bool:
    if not ip_address:
        return False
    address = ipaddress.ip_address(ip_address)
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
