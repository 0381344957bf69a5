"""Publishing a draft: it supersedes its series' published version in one transaction, under
the series lock, so that a retried or doubled publish has one effect; working time is checked,
the change recorded and audited, and the people whose shifts changed are notified."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.jobs import task_enqueue_on_commit
from organisation.models import Employee
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from scheduling.errors import RosterSuperseded, ShiftOverlap, WorkingTimeViolations
from scheduling.models import Roster, RosterChange, RosterNotice
from scheduling.selectors.roster_diffs import RosterDiff, roster_diff, shifts_content_sha256
from scheduling.selectors.roster_working_time import roster_working_time_check
from scheduling.services.roster_notices import roster_notice_subject
from scheduling.services.roster_pairings import roster_pairings_redo
from scheduling.services.roster_versions import roster_series_lock


@dataclass(frozen=True)
class PublishResult:
    roster: Roster
    previous: Roster | None
    diff: RosterDiff | None  # None: already published by an earlier call
    notices: int
    working_time: tuple[dict[str, str], ...] = ()  # warnings (policy "warn")


def roster_publish(
    *, roster: Roster, user: AbstractBaseUser | None, now: datetime | None = None
) -> PublishResult:
    try:
        return retry_on_deadlock(
            lambda: roster_publish_locked(roster=roster, user=user, now=now or timezone.now())
        )
    except IntegrityError as exc:  # another series' published shift overlaps (PostgreSQL)
        raise ShiftOverlap(
            "A shift overlaps a published shift of the same person in another roster."
        ) from exc


@transaction.atomic
def roster_publish_locked(
    *,
    roster: Roster,
    user: AbstractBaseUser | None,
    now: datetime,
    working_time_of: set[str] | None = None,
    diff: RosterDiff | None = None,
) -> PublishResult:
    """Publish a draft, superseding the series' published version, inside the caller's
    transaction and under the series lock (taken here; a caller may hold it already). No retry
    on deadlock: roster_publish adds it. `working_time_of` and `diff`: a caller that knows
    which people and shifts changed (a trade) saves the work of finding out over the whole
    roster."""
    series = roster_series_lock(roster)
    roster = next(r for r in series if r.pk == roster.pk)
    previous = next((r for r in series if r.status == Roster.Status.PUBLISHED), None)
    if roster.status == Roster.Status.PUBLISHED:
        return PublishResult(roster, None, None, 0)  # a retry or a double click: one effect
    if roster.status != Roster.Status.DRAFT or (
        previous is not None and previous.version > roster.version
    ):
        raise RosterSuperseded(extra={"published_version": previous.version if previous else None})
    working_time = roster_working_time_check(roster=roster, previous=previous, only=working_time_of)
    if working_time and settings.WFM_WORKING_TIME_POLICY == "enforce":
        raise WorkingTimeViolations(extra={"violations": working_time[:100]})
    roster_pairings_redo(roster=roster, now=now)  # who was moved may have left a trainee
    _supersede(series, roster, previous)
    _mark_published(roster, user, now)
    diff = diff or roster_diff(old=previous, new=roster)
    affected = sorted(diff.employees)
    RosterNotice.objects.bulk_create(
        [RosterNotice(roster=roster, employee_id=e) for e in affected], ignore_conflicts=True
    )
    _notify_in_app(roster, affected)
    _record(roster, previous, diff, user, len(working_time))
    task_enqueue_on_commit("scheduling.roster_notify", str(roster.pk))
    return PublishResult(roster, previous, diff, len(affected), tuple(working_time))


def _notify_in_app(roster: Roster, affected: list[str]) -> None:
    """The operators whose shifts changed see it in the app too (the e-mail is the roster
    notice's, sent by scheduling.roster_notify)."""
    people = Employee.objects.filter(pk__in=affected).select_related("user")
    notice_many(
        recipients=[p.user for p in people],
        event_key=f"roster:{roster.pk}:published",
        message=Message(
            roster_notice_subject(roster),
            "",
            Sentence.of("roster_published", day=roster.start_date, version=roster.version),
        ),
        email=False,
    )


def _supersede(series: list[Roster], roster: Roster, previous: Roster | None) -> None:
    """The published version and the drafts older than `roster` are superseded."""
    for other in series:
        stale = other.status == Roster.Status.DRAFT and other.version < roster.version
        if other is previous or stale:
            other.status = Roster.Status.SUPERSEDED
            other.save(update_fields=["status"])
            other.shifts.update(state=Roster.Status.SUPERSEDED)


def _mark_published(roster: Roster, user: AbstractBaseUser | None, now: datetime) -> None:
    roster.shifts.update(state=Roster.Status.PUBLISHED)
    roster.status = Roster.Status.PUBLISHED
    roster.published_at = now
    roster.published_by = user  # type: ignore[assignment]
    roster.content_sha256 = shifts_content_sha256(roster.shifts.all())
    roster.save(update_fields=["status", "published_at", "published_by", "content_sha256"])


def _record(
    roster: Roster,
    previous: Roster | None,
    diff: RosterDiff,
    user: AbstractBaseUser | None,
    working_time_warnings: int,
) -> None:
    """The publication in the roster's changes and in the audit log."""
    RosterChange.objects.create(
        roster=roster,
        actor=user,
        action=RosterChange.Action.PUBLISHED,
        before={"version": previous.version} if previous else None,
        after={
            "version": roster.version,
            "added": len(diff.added),
            "removed": len(diff.removed),
            "content_sha256": roster.content_sha256,
            "working_time_warnings": working_time_warnings,
        },
    )
    audit_record(
        action="roster_published",
        actor=user,
        object_type="roster",
        object_id=str(roster.pk),
        data={"version": roster.version, "content_sha256": roster.content_sha256},
    )
