"""ACD feed ingestion: agent states and interval statistics, exactly once per event id.

Like punches (services/punches.py), every row gets a result in the order sent: `accepted`,
`duplicate` (the same event id and content again, forever: no second row) or `refused` with a
code (a state that ends before it starts, overlapping states of one operator, an unknown
operator or queue, counts that do not add up, a time in a closed pay period, an event id
stored earlier with other content). A batch is one transaction: its accepted rows are all
stored or none is; a refused row is never half-written.
"""

import bisect
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.errors import DomainError
from organisation.local_grid import local_date
from organisation.models import Employee, Queue, Site
from timeclock.errors import (
    AcdCountsInconsistent,
    AcdNotStorable,
    AcdPeriodClosed,
    AcdUnknownQueue,
    AgentStateEndsBeforeStart,
    AgentStateOverlap,
    UnknownEmployee,
)
from timeclock.models import AcdInterval, AgentState, Device, PayPeriod

UNSTORABLE = (DataError, IntegrityError, OverflowError)
# The interval lengths an ACD reports in (Avaya CMS: 15, 30 or 60; Genesys: 15 or 30; others
# 5 or 10): divisors of an hour, at least 5 minutes, so that every interval starts on the
# site's local grid and tiles the hour.
INTERVAL_LENGTHS = (5, 6, 10, 12, 15, 20, 30, 60)
STATE_CLOSED = (
    "This state lies in or runs into a closed pay period (a state without an end runs until "
    "the operator's next state, or now); the feed for it is not taken."
)
# A state without an end occupies the instant it starts, for the overlap check.
INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class AgentStateInput:
    event_id: uuid.UUID
    employee_number: str
    state: str
    started_at: datetime
    ended_at: datetime | None = None

    @cached_property
    def body_sha256(self) -> str:
        return _digest(self)


@dataclass(frozen=True)
class AcdIntervalInput:
    event_id: uuid.UUID
    queue: str  # the queue's name at the site, or its id
    interval_start: datetime
    interval_minutes: int
    offered: int
    answered: int
    abandoned: int
    answered_within_goal: int
    handle_seconds: int
    wait_seconds: int

    @cached_property
    def body_sha256(self) -> str:
        return _digest(self)


@dataclass(frozen=True)
class AcdResult:
    event_id: str
    status: str  # accepted | duplicate | refused
    error: dict[str, str] | None = None


def _digest(item: Any) -> str:
    """SHA-256 of the row's fields in order (instants in UTC): a replay has the same."""

    def plain(value: Any) -> str:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        return "" if value is None else str(value)

    body = "\x1f".join(plain(getattr(item, f.name)) for f in fields(item))
    return hashlib.sha256(body.encode()).hexdigest()


def _refused(event_id: uuid.UUID, error: Any) -> AcdResult:
    return AcdResult(str(event_id), "refused", {"code": error.code, "message": error.message})


# --- Agent states --------------------------------------------------------------------------


@transaction.atomic
def agent_states_ingest(
    *,
    items: list[AgentStateInput],
    site: Site,
    device: Device | None,
    source: str = "feed",
    now: datetime | None = None,
) -> list[AcdResult]:
    """Store each state once; a result per item in the order given."""
    now = now or timezone.now()
    employees = {
        e.number: e
        for e in Employee.objects.filter(
            team__site=site, number__in={i.employee_number for i in items}
        ).only("id", "number")
    }
    results: dict[int, AcdResult] = {}
    valid: list[tuple[int, AgentStateInput, Employee]] = []
    for n, item in enumerate(items):
        employee = employees.get(item.employee_number)
        if employee is None:
            results[n] = _refused(item.event_id, UnknownEmployee())
        elif item.ended_at is not None and item.ended_at <= item.started_at:
            results[n] = _refused(item.event_id, AgentStateEndsBeforeStart())
        else:
            valid.append((n, item, employee))
    closed = _closed_from(site, [i.started_at for _, i, _ in valid])
    spans = _state_spans(valid, now) if closed else {}
    candidates: list[tuple[int, AgentStateInput, Employee]] = []
    for n, item, employee in valid:
        if closed and _reaches_closed(closed, *spans[n], site):
            results[n] = _refused(item.event_id, AcdPeriodClosed(STATE_CLOSED))
        else:
            candidates.append((n, item, employee))
    fresh = _known(AgentState, candidates, results)
    fresh = _without_overlaps(fresh, results)
    rows = [
        (
            n,
            AgentState(
                event_id=item.event_id,
                body_sha256=item.body_sha256,
                employee=employee,
                state=item.state,
                started_at=item.started_at,
                ended_at=item.ended_at,
                source=source,
                device=device,
                ingest_id=uuid.uuid4(),
                received_at=now,
            ),
        )
        for n, item, employee in fresh
    ]
    results.update(_store(AgentState, rows, AgentStateOverlap))
    return [results[n] for n in range(len(items))]


def _state_spans(
    items: list[tuple[int, AgentStateInput, Employee]], now: datetime
) -> dict[int, tuple[datetime, datetime]]:
    """Each state's span for the closed-period check: from its start to its end; a state
    without an end lasts until the operator's next known state (of the batch or stored), or
    until now when there is none."""
    open_items = [(n, i, e) for n, i, e in items if i.ended_at is None]
    following: dict[Any, list[datetime]] = defaultdict(list)
    if open_items:
        for _, item, employee in items:
            following[employee.pk].append(item.started_at)
        stored = AgentState.objects.filter(
            employee_id__in={e.pk for _, _, e in open_items},
            started_at__gt=min(i.started_at for _, i, _ in open_items),
        ).values_list("employee_id", "started_at")
        for employee_id, started in stored:
            following[employee_id].append(started)
        for starts in following.values():
            starts.sort()
    spans = {}
    for n, item, employee in items:
        end = item.ended_at
        if end is None:
            starts = following[employee.pk]
            at = bisect.bisect_right(starts, item.started_at)
            end = starts[at] if at < len(starts) else max(now, item.started_at + INSTANT)
        spans[n] = (item.started_at, end)
    return spans


def _span(start: datetime, end: datetime | None) -> tuple[datetime, datetime]:
    return start, end if end is not None else start + INSTANT


def _without_overlaps(
    fresh: list[tuple[int, AgentStateInput, Employee]], results: dict[int, AcdResult]
) -> list[tuple[int, AgentStateInput, Employee]]:
    """The items that overlap no stored state of their operator nor an earlier item of the
    batch; the others are refused (agent_state_overlap). A stored state carrying one of the
    items' own event ids was stored by a concurrent batch since `_known` looked (a resend
    racing its original): it is no overlap, and `_store` answers the item as its replay."""
    if not fresh:
        return []
    own = {item.event_id for _, item, _ in fresh}
    low = min(i.started_at for _, i, _ in fresh)
    high = max(_span(i.started_at, i.ended_at)[1] for _, i, _ in fresh)
    stored = AgentState.objects.filter(
        employee_id__in={e.pk for _, _, e in fresh}, started_at__lt=high
    ).filter(Q(ended_at__gt=low) | Q(ended_at__isnull=True, started_at__gte=low))
    taken: dict[Any, list[tuple[datetime, datetime]]] = defaultdict(list)
    for event_id, employee_id, s, e in stored.values_list(
        "event_id", "employee_id", "started_at", "ended_at"
    ):
        if event_id not in own:
            taken[employee_id].append(_span(s, e))
    for spans in taken.values():
        spans.sort()
    kept = []
    for n, item, employee in fresh:
        spans = taken[employee.pk]
        start, end = _span(item.started_at, item.ended_at)
        at = bisect.bisect_left(spans, (start, end))
        before = spans[at - 1] if at else None
        after = spans[at] if at < len(spans) else None
        if (before and before[1] > start) or (after and after[0] < end):
            results[n] = _refused(item.event_id, AgentStateOverlap())
            continue
        spans.insert(at, (start, end))
        kept.append((n, item, employee))
    return kept


# --- Interval statistics -------------------------------------------------------------------


class AcdIntervalLength(DomainError):
    code = "acd_interval_length"
    default_message = (
        "An ACD interval lasts 5, 6, 10, 12, 15, 20, 30 or 60 minutes (a divisor of an hour)."
    )


class AcdIntervalMisaligned(DomainError):
    code = "acd_interval_misaligned"
    default_message = (
        "The interval does not start on its grid: a 15-minute interval starts at :00, :15, :30 "
        "or :45 of the site's local time (a 30-minute one at :00 or :30, and so on)."
    )


class AcdIntervalOverlap(DomainError):
    code = "acd_interval_overlap"
    http_status = 409
    default_message = (
        "Another interval of this queue with another start or length covers part of this "
        "one: its calls would be counted twice. Restate an interval with the same start and "
        "length."
    )


@transaction.atomic
def acd_intervals_ingest(
    *,
    items: list[AcdIntervalInput],
    site: Site,
    device: Device | None,
    source: str = "feed",
    now: datetime | None = None,
) -> list[AcdResult]:
    """Store each interval once; a result per item in the order given. An interval restated
    with a new event id is stored too: readers take the latest received."""
    now = now or timezone.now()
    queues = _queues(site, {i.queue for i in items})
    closed = _closed_from(site, [i.interval_start for i in items])
    results: dict[int, AcdResult] = {}
    candidates: list[tuple[int, AcdIntervalInput, Queue]] = []
    for n, item in enumerate(items):
        queue = queues.get(item.queue)
        if queue is None:
            results[n] = _refused(item.event_id, AcdUnknownQueue())
        elif not _counts_add_up(item):
            results[n] = _refused(item.event_id, AcdCountsInconsistent())
        elif _reaches_closed(
            closed,
            item.interval_start,
            item.interval_start + timedelta(minutes=max(item.interval_minutes, 0)),
            site,
        ):
            results[n] = _refused(item.event_id, AcdPeriodClosed())
        elif item.interval_minutes not in INTERVAL_LENGTHS:
            results[n] = _refused(item.event_id, AcdIntervalLength())
        elif not _on_grid(item.interval_start, item.interval_minutes, site):
            results[n] = _refused(item.event_id, AcdIntervalMisaligned())
        else:
            candidates.append((n, item, queue))
    candidates = _without_interval_overlaps(candidates, results)
    rows = [
        (
            n,
            AcdInterval(
                event_id=item.event_id,
                body_sha256=item.body_sha256,
                queue=queue,
                interval_start=item.interval_start,
                interval_minutes=item.interval_minutes,
                offered=item.offered,
                answered=item.answered,
                abandoned=item.abandoned,
                answered_within_goal=item.answered_within_goal,
                handle_seconds=item.handle_seconds,
                wait_seconds=item.wait_seconds,
                source=source,
                device=device,
                ingest_id=uuid.uuid4(),
                received_at=now,
            ),
        )
        for n, item, queue in _known(AcdInterval, candidates, results)
    ]
    results.update(_store(AcdInterval, rows, AcdNotStorable))
    return [results[n] for n in range(len(items))]


def _on_grid(start: datetime, minutes: int, site: Site) -> bool:
    """Whether the interval starts on its length's grid in the site's local time."""
    local = start.astimezone(ZoneInfo(site.timezone))
    return not (local.second or local.microsecond or (local.hour * 60 + local.minute) % minutes)


def _without_interval_overlaps(
    candidates: list[tuple[int, AcdIntervalInput, Queue]], results: dict[int, AcdResult]
) -> list[tuple[int, AcdIntervalInput, Queue]]:
    """The candidates that overlap no stored interval of their queue, nor an earlier candidate
    of the batch, with another start or length (acd_interval_overlap otherwise): the same start
    and length again is a restatement (or a resend), which readers take the latest of."""
    if not candidates:
        return []
    low = min(i.interval_start for _, i, _ in candidates) - timedelta(minutes=60)
    high = max(i.interval_start + timedelta(minutes=i.interval_minutes) for _, i, _ in candidates)
    taken: dict[Any, set[tuple[datetime, int]]] = defaultdict(set)
    stored = AcdInterval.objects.filter(
        queue_id__in={q.pk for _, _, q in candidates},
        interval_start__gte=low,
        interval_start__lt=high,
    ).values_list("queue_id", "interval_start", "interval_minutes")
    for queue_id, start, minutes in stored:
        taken[queue_id].add((start, minutes))
    kept = []
    for n, item, queue in candidates:
        mine = (item.interval_start, item.interval_minutes)
        end = item.interval_start + timedelta(minutes=item.interval_minutes)
        if any(
            (start, minutes) != mine
            and start < end
            and item.interval_start < start + timedelta(minutes=minutes)
            for start, minutes in taken[queue.pk]
        ):
            results[n] = _refused(item.event_id, AcdIntervalOverlap())
            continue
        taken[queue.pk].add(mine)
        kept.append((n, item, queue))
    return kept


def _counts_add_up(item: AcdIntervalInput) -> bool:
    return (
        item.answered <= item.offered
        and item.abandoned <= item.offered
        and item.answered + item.abandoned <= item.offered
        and item.answered_within_goal <= item.answered
    )


def _queues(site: Site, keys: set[str]) -> dict[str, Queue]:
    ids = set()
    for key in keys:
        try:
            ids.add(uuid.UUID(key))
        except ValueError:
            continue
    rows = Queue.objects.filter(Q(name__in=keys) | Q(pk__in=ids), site=site)
    found: dict[str, Queue] = {}
    for queue in rows:
        found[queue.name] = queue
        found[str(queue.pk)] = queue
    return found


# --- Shared: closed periods, known event ids, the insert -----------------------------------


def _closed_from(site: Site, instants: Iterable[datetime]) -> list[tuple[date, date]]:
    """The site's closed pay periods that end on or after the local day of the earliest
    instant (none is read for an empty batch): a span reaching forward from it may run into
    any of them."""
    days = [local_date(instant=i, timezone=site.timezone) for i in instants]
    if not days:
        return []
    return list(
        PayPeriod.objects.filter(
            site=site, status=PayPeriod.Status.CLOSED, end_date__gte=min(days)
        ).values_list("start_date", "end_date")
    )


def _reaches_closed(
    closed: list[tuple[date, date]], start: datetime, end: datetime, site: Site
) -> bool:
    """Whether the span from `start` to `end` (end excluded) touches a local day of a closed
    period of the site: a state that starts before a closed week and ends in it changes it."""
    if not closed:
        return False
    first = local_date(instant=start, timezone=site.timezone)
    last = local_date(instant=max(start, end - INSTANT), timezone=site.timezone)
    return any(lo <= last and first <= hi for lo, hi in closed)


def _known(
    model: type[models.Model], candidates: list[tuple[int, Any, Any]], results: dict[int, AcdResult]
) -> list[tuple[int, Any, Any]]:
    """The candidates whose event id is new (and the first of the batch to carry it); the
    others answered as duplicates, or refused when the content differs (event_id_conflict)."""
    stored = _digests(model, [item.event_id for _, item, _ in candidates])
    fresh = []
    for n, item, owner in candidates:
        digest = item.body_sha256
        if item.event_id in stored:
            results[n] = _replay(item.event_id, stored[item.event_id], digest)
        else:
            stored[item.event_id] = digest
            fresh.append((n, item, owner))
    return fresh


def _digests(model: type[models.Model], event_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The stored body digest of each event id already stored (one array parameter on
    PostgreSQL, however many ids)."""
    if not event_ids:
        return {}
    if connection.vendor != "postgresql":
        rows = model.objects.filter(event_id__in=event_ids)  # type: ignore[attr-defined]
        return dict(rows.values_list("event_id", "body_sha256"))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT event_id, body_sha256 FROM {table} WHERE event_id = ANY(%s::uuid[])",
            [event_ids],
        )
        return {
            key if isinstance(key, uuid.UUID) else uuid.UUID(key): digest
            for key, digest in cursor.fetchall()
        }


def _replay(event_id: uuid.UUID, stored: str, sent: str) -> AcdResult:
    if stored == sent:
        return AcdResult(str(event_id), "duplicate")
    return AcdResult(
        str(event_id),
        "refused",
        {
            "code": "event_id_conflict",
            "message": "This event id was stored earlier with different content.",
        },
    )


def _store(
    model: type[models.Model], rows: list[tuple[int, Any]], refusal: type[Exception]
) -> dict[int, AcdResult]:
    """Insert the rows in one statement; a row a concurrent batch stored meanwhile answers as
    a replay. When the database refuses the statement (a racing overlapping state), each row
    again in a savepoint of its own, so one bad row only refuses itself."""
    if not rows:
        return {}
    try:
        with transaction.atomic():
            created = _insert(model, [row for _, row in rows])
        refused: set[uuid.UUID] = set()
    except UNSTORABLE:
        created, refused = set(), set()
        for _, row in rows:
            try:
                with transaction.atomic():
                    created |= _insert(model, [row])
            except UNSTORABLE:
                refused.add(row.event_id)
    raced = _digests(model, [r.event_id for _, r in rows if r.event_id not in created | refused])
    results = {}
    for n, row in rows:
        if row.event_id in created:
            results[n] = AcdResult(str(row.event_id), "accepted")
        elif row.event_id in refused:
            results[n] = _refused(row.event_id, refusal())
        else:
            results[n] = _replay(row.event_id, raced[row.event_id], row.body_sha256)
    return results


def _insert(model: type[models.Model], rows: list[Any]) -> set[uuid.UUID]:
    """INSERT … ON CONFLICT (event_id) DO NOTHING RETURNING event_id: the new event ids.
    On PostgreSQL the rows go as one array per column (unnest): a 500-row batch is 10
    parameters, not 5,000 for the driver to bind."""
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    conflict = f" ON CONFLICT ({quote('event_id')}) DO NOTHING RETURNING {quote('event_id')}"
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest({arrays})"
        params: list[Any] = [[getattr(r, f.attname) for r in rows] for f in fields]
    else:
        values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}"
        params = [
            f.get_db_prep_save(f.pre_save(r, add=True), connection) for r in rows for f in fields
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql + conflict, params)
        returned = cursor.fetchall()
    return {value if isinstance(value, uuid.UUID) else uuid.UUID(value) for (value,) in returned}
