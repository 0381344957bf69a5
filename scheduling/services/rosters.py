"""Roster use cases: request a build, build (in the job), save, revise, publish, notify.

A build saves a new draft version of its line; publishing supersedes the line's previous
published version in one transaction, locked on the line's rows so that a retried or doubled
publish has one effect. Manual edits are in roster_edits.
"""

import hashlib
import json
import math
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.errors import DomainError
from organisation.jobs import EnqueueableTask, Progress, job_create, job_is_cancelled
from organisation.local_grid import wall_instant
from organisation.models import Employee, Job, Site, Team
from scheduling.coverage import uncoverable
from scheduling.errors import (
    RosterNotDraft,
    RosterPeriodInPast,
    RosterPeriodOverlaps,
    RosterPeriodTooLong,
    RosterSuperseded,
    ShiftOverlap,
    TemplatesCannotCover,
)
from scheduling.models import Roster, RosterChange, RosterNotice, Shift, ShiftBreak
from scheduling.selectors.rosters import (
    RosterInput,
    roster_line,
    roster_problem_build,
    scope_key,
)
from scheduling.solver.model import Solution, Status
from scheduling.solver.search import SolveOptions
from scheduling.solver.solve import solve
from scheduling.working_time import WorkingTimeLimits, WorkPeriod, working_time_issues

MAX_DAYS = 112


class RosterContradicts(DomainError):
    code = "roster_rules_contradict"
    default_message = "Hard rules contradict each other before any demand is considered."


class RosterNotFound(DomainError):
    code = "roster_not_found_in_time"
    default_message = "No roster was found within the time limit; allow more time."


# --- Requesting a build --------------------------------------------------------------------


@dataclass(frozen=True)
class BuildRequest:
    site: Site
    team: Team | None
    start: date
    days: int
    time_limit_seconds: float
    seed: int = 0
    base: Roster | None = None


def roster_build_request(
    *,
    request: BuildRequest,
    task: EnqueueableTask,
    user: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Job:
    """Check the period and the input now (a clear error, not a failed job), then start the
    solve as a job."""
    now = now or timezone.now()
    _check_period(request, now)
    built = roster_problem_build(
        site=request.site,
        team=request.team,
        first_day=request.start,
        days=request.days,
        now=now,
        base=request.base,
        exclude_line=scope_key(site=request.site, team=request.team),
    )
    _check_coverable(built)
    params = {
        "site": str(request.site.pk),
        "team": str(request.team.pk) if request.team else None,
        "start": request.start.isoformat(),
        "days": request.days,
        "time_limit_seconds": request.time_limit_seconds,
        "seed": request.seed,
        "base": str(request.base.pk) if request.base else None,
    }
    return job_create(kind="roster_build", task=task, created_by=user, params=params)


def _check_period(request: BuildRequest, now: datetime) -> None:
    if not 1 <= request.days <= MAX_DAYS:
        raise RosterPeriodTooLong(extra={"days": request.days, "max_days": MAX_DAYS})
    today = now.astimezone(ZoneInfo(request.site.timezone)).date()
    if request.start < today:
        raise RosterPeriodInPast(extra={"start": request.start.isoformat(), "today": str(today)})
    key = scope_key(site=request.site, team=request.team)
    last = request.start + timedelta(days=request.days - 1)
    # Lines whose scope intersects: the same team, the site, or (for a site) any of its teams.
    scopes = Q(scope_key=key) | Q(scope_key=f"site:{request.site.pk}")
    if request.team is None:
        scopes |= Q(team__site=request.site)
    else:
        scopes |= Q(scope_key=f"team:{request.team.pk}")
    clash = (
        Roster.objects.filter(scopes, start_date__lte=last)
        .exclude(status=Roster.Status.DISCARDED)
        .exclude(scope_key=key, start_date=request.start, days=request.days)
    )
    for other in clash:
        if other.start_date + timedelta(days=other.days - 1) >= request.start:
            raise RosterPeriodOverlaps(
                extra={"roster": str(other.pk), "start": str(other.start_date), "days": other.days}
            )


def _check_coverable(built: RosterInput) -> None:
    missing = uncoverable(built.problem)
    if not missing:
        return
    samples = [
        {
            "queue": built.queues[queue].name,
            "local_start": built.local_start(day, period),
        }
        for queue, day, period in missing[:20]
    ]
    raise TemplatesCannotCover(extra={"intervals": len(missing), "first": samples})


# --- Building (in the job) -----------------------------------------------------------------


def roster_build(*, job: Job, progress: Progress, now: datetime | None = None) -> Roster | None:
    """Solve the job's period and save it as a new draft version; None when the job was
    cancelled meanwhile. Running the same job again returns the roster it already saved."""
    existing = Roster.objects.filter(job=job).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    params = job.params
    site = Site.objects.get(pk=params["site"])
    team = Team.objects.get(pk=params["team"]) if params.get("team") else None
    base = Roster.objects.get(pk=params["base"]) if params.get("base") else None
    days = int(params["days"])
    limit = float(params["time_limit_seconds"])
    built = roster_problem_build(
        site=site,
        team=team,
        first_day=date.fromisoformat(params["start"]),
        days=days,
        now=now,
        base=base,
        exclude_line=scope_key(site=site, team=team),
    )
    progress(2, "Input ready; solving.")
    solution = solve(
        built.problem,
        SolveOptions(
            time_limit_seconds=limit,
            num_workers=settings.WFM_SOLVER_WORKERS,
            seed=int(params.get("seed") or 0),
        ),
        progress=_solver_progress(str(job.pk), limit, progress),
    )
    _refuse_unsolved(solution)
    if job_is_cancelled(job_id=str(job.pk)):
        return None
    progress(97, "Saving the roster.")
    return roster_save(built=built, solution=solution, job=job, base=base, user=job.created_by)


def _solver_progress(job_id: str, limit: float, progress: Progress) -> Any:
    trace: list[list[float]] = []
    last = [0.0]

    def report(seconds: float, objective: float, bound: float) -> None:
        trace.append([round(seconds, 2), _finite(objective), _finite(bound)])
        if time.monotonic() - last[0] < 0.5:
            return
        last[0] = time.monotonic()
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(trace=trace[-200:])
        percent = 2 + int(94 * min(seconds / max(limit, 0.1), 1.0))
        bound_text = f"{bound:,.0f}" if math.isfinite(bound) else "none yet"
        progress(percent, f"objective {objective:,.0f}, bound {bound_text}")

    return report


def _refuse_unsolved(solution: Solution) -> None:
    if solution.status == Status.INFEASIBLE:
        raise RosterContradicts(
            extra={
                "contradictions": [
                    {"employee": c.employee, "rule": c.rule, "message": c.message}
                    for c in solution.contradictions
                ]
            }
        )
    if solution.status == Status.UNKNOWN:
        raise RosterNotFound()


def solver_stats(built: RosterInput, solution: Solution) -> dict[str, Any]:
    return {
        "status": str(solution.status),
        "objective": _finite(solution.objective),
        "bound": _finite(solution.bound),
        "gap": _finite(solution.gap, digits=6),
        "wall_seconds": round(solution.wall_seconds, 3),
        "terms": {name: _finite(value) for name, value in solution.terms.items()},
        "unmet_intervals": len(solution.unmet_intervals),
        "unmet_first": [
            {
                "queue": built.queues[u.queue].name if u.queue in built.queues else u.queue,
                "local_start": built.local_start(u.day, u.period),
                "required": u.required,
                "scheduled": u.scheduled,
            }
            for u in solution.unmet_intervals[:100]
        ],
        "binding_rules": list(solution.binding_rules),
        "trace": [
            [round(t, 2), _finite(objective), _finite(bound)]
            for t, objective, bound in solution.progress[-200:]
        ],
    }


def _finite(value: float, digits: int = 2) -> float | None:
    """JSON has no infinity: an unknown bound is null."""
    return round(value, digits) if math.isfinite(value) else None


@transaction.atomic
def roster_save(
    *,
    built: RosterInput,
    solution: Solution,
    job: Job | None,
    base: Roster | None,
    user: AbstractBaseUser | None,
) -> Roster:
    """A new draft version of the line with the solution's shifts, in bulk (a fixed number of
    queries whatever the roster's size)."""
    site, team = built.site, built.team
    key = scope_key(site=site, team=team)
    version = _next_version(key, built.first_day)
    roster = Roster.objects.create(
        site=site,
        team=team,
        scope_key=key,
        start_date=built.first_day,
        days=built.problem.days,
        version=version,
        based_on=base,
        job=job,
        interval_minutes=built.problem.interval_minutes,
        solver=solver_stats(built, solution),
        created_by=user,
    )
    shifts, breaks = _rows(built, roster, solution)
    Shift.objects.bulk_create(shifts)
    ShiftBreak.objects.bulk_create(breaks)
    RosterChange.objects.create(
        roster=roster,
        actor=user,
        action=RosterChange.Action.BUILT,
        after={"shifts": len(shifts), "status": str(solution.status)},
    )
    return roster


def _next_version(key: str, start: date) -> int:
    # Lock the line's rows so two builds of one line cannot take the same version.
    list(Roster.objects.select_for_update().filter(scope_key=key, start_date=start).values("pk"))
    current = Roster.objects.filter(scope_key=key, start_date=start).aggregate(v=Max("version"))
    return int(current["v"] or 0) + 1


def _rows(
    built: RosterInput, roster: Roster, solution: Solution
) -> tuple[list[Shift], list[ShiftBreak]]:
    tz, first = built.timezone, built.first_day
    pinned = {(str(s.employee_id), s.start, s.end): s for s in built.pinned_shifts}
    shifts: list[Shift] = []
    breaks: list[ShiftBreak] = []
    for a in solution.assignments:
        start = wall_instant(minute=a.start_minute, first_day=first, timezone=tz)
        end = wall_instant(minute=a.end_minute, first_day=first, timezone=tz)
        kept = pinned.get((a.employee, start, end))
        queue = built.template_queues.get(a.template)
        shift = Shift(
            id=uuid.uuid4(),
            roster=roster,
            employee=built.employees[a.employee],
            template=built.templates.get(a.template),
            queue=queue,
            activity=a.activity,
            start=start,
            end=end,
            local_date=first + timedelta(days=a.day),
            state=roster.status,
            pinned=kept is not None and kept.pinned,
            source=kept.source if kept is not None else Shift.Source.SOLVER,
            note=kept.note if kept is not None else "",
            origin=(kept.origin or kept.pk) if kept is not None else None,
        )
        shifts.append(shift)
        breaks.extend(
            ShiftBreak(
                shift=shift,
                start=wall_instant(minute=b.start_minute, first_day=first, timezone=tz),
                end=wall_instant(
                    minute=b.start_minute + b.length_minutes, first_day=first, timezone=tz
                ),
                paid=b.paid,
            )
            for b in a.breaks
        )
    return shifts, breaks


# --- Versions ------------------------------------------------------------------------------


def lock_line(roster: Roster) -> list[Roster]:
    """Every version of the roster's line, locked in primary-key order.

    Read twice: on PostgreSQL a waiting SELECT ... FOR UPDATE returns the rows that existed
    when it began (updated to their latest state), so a version that the transaction we
    waited for inserted would be missing. Every writer of a new version holds these locks,
    so the second read, taken with them held, sees the whole line."""
    list(roster_line(roster=roster).select_for_update().order_by("pk").values_list("pk"))
    return list(roster_line(roster=roster).select_for_update().order_by("pk"))


@transaction.atomic
def roster_revise(*, roster: Roster, user: AbstractBaseUser | None) -> Roster:
    """The open draft revision of a published roster (created as a copy the first time); a
    draft is its own revision."""
    line = lock_line(roster)
    roster = next(r for r in line if r.pk == roster.pk)
    if roster.status == Roster.Status.DRAFT:
        return roster
    if roster.status != Roster.Status.PUBLISHED:
        raise RosterSuperseded()
    open_draft = next(
        (r for r in line if r.status == Roster.Status.DRAFT and r.based_on_id == roster.pk), None
    )
    if open_draft is not None:
        return open_draft
    draft = Roster.objects.create(
        site=roster.site,
        team=roster.team,
        scope_key=roster.scope_key,
        start_date=roster.start_date,
        days=roster.days,
        version=max(r.version for r in line) + 1,
        based_on=roster,
        interval_minutes=roster.interval_minutes,
        solver={**roster.solver, "revised_from_version": roster.version},
        created_by=user,
    )
    copy_shifts(source=roster, target=draft)
    RosterChange.objects.create(
        roster=draft,
        actor=user,
        action=RosterChange.Action.REVISED,
        before={"version": roster.version},
    )
    return draft


def copy_shifts(*, source: Roster, target: Roster) -> None:
    """Copy a version's shifts and breaks into another version, each copy keeping its
    shift's stable key (origin). On PostgreSQL two INSERT ... SELECT statements do it in the
    database (a 10,000-shift roster in well under a second); elsewhere row by row."""
    if connection.vendor == "postgresql":
        _copy_in_database(source, target)
        return
    shifts: list[Shift] = []
    breaks: list[ShiftBreak] = []
    for old in source.shifts.prefetch_related("breaks"):
        new = Shift(
            id=uuid.uuid4(),
            roster=target,
            employee_id=old.employee_id,
            template_id=old.template_id,
            queue_id=old.queue_id,
            activity=old.activity,
            start=old.start,
            end=old.end,
            local_date=old.local_date,
            state=target.status,
            pinned=old.pinned,
            source=old.source,
            note=old.note,
            origin=old.origin or old.pk,
        )
        shifts.append(new)
        breaks.extend(
            ShiftBreak(shift=new, start=b.start, end=b.end, paid=b.paid) for b in old.breaks.all()
        )
    Shift.objects.bulk_create(shifts)
    ShiftBreak.objects.bulk_create(breaks)


_COPY_SHIFTS = """
    INSERT INTO scheduling_shift (id, roster_id, state, origin, employee_id, template_id,
        queue_id, activity, start, "end", local_date, pinned, source, note)
    SELECT gen_random_uuid(), %(target)s, %(state)s, COALESCE(origin, id), employee_id,
        template_id, queue_id, activity, start, "end", local_date, pinned, source, note
    FROM scheduling_shift WHERE roster_id = %(source)s
"""
_COPY_BREAKS = """
    INSERT INTO scheduling_shiftbreak (shift_id, start, "end", paid)
    SELECT n.id, b.start, b."end", b.paid
    FROM scheduling_shiftbreak b
    JOIN scheduling_shift o ON o.id = b.shift_id
    JOIN scheduling_shift n ON n.roster_id = %(target)s AND n.origin = COALESCE(o.origin, o.id)
    WHERE o.roster_id = %(source)s
"""


def _copy_in_database(source: Roster, target: Roster) -> None:
    params = {"source": source.pk, "target": target.pk, "state": target.status}
    with connection.cursor() as cursor:
        cursor.execute(_COPY_SHIFTS, params)
        cursor.execute(_COPY_BREAKS, params)


@transaction.atomic
def roster_discard(*, roster: Roster, user: AbstractBaseUser | None) -> Roster:
    line = lock_line(roster)
    roster = next(r for r in line if r.pk == roster.pk)
    if roster.status != Roster.Status.DRAFT:
        raise RosterNotDraft()
    roster.status = Roster.Status.DISCARDED
    roster.save(update_fields=["status"])
    roster.shifts.update(state=Roster.Status.DISCARDED)
    RosterChange.objects.create(roster=roster, actor=user, action=RosterChange.Action.DISCARDED)
    return roster


# --- Publishing ----------------------------------------------------------------------------


ShiftKey = tuple[str, datetime, datetime, str, str | None]


def _key(shift: Shift) -> ShiftKey:
    return (
        str(shift.employee_id),
        shift.start,
        shift.end,
        shift.activity,
        str(shift.queue_id) if shift.queue_id else None,
    )


@dataclass(frozen=True)
class RosterDiff:
    added: list[Shift]
    removed: list[Shift]

    @property
    def employees(self) -> set[str]:
        return {str(s.employee_id) for s in [*self.added, *self.removed]}


def roster_diff(*, old: Roster | None, new: Roster) -> RosterDiff:
    """Shifts added and removed between two versions (a moved shift is both)."""
    new_shifts = list(new.shifts.select_related("employee__user", "queue"))
    if old is None:
        return RosterDiff(added=new_shifts, removed=[])
    old_shifts = list(old.shifts.select_related("employee__user", "queue"))
    old_keys = {_key(s) for s in old_shifts}
    new_keys = {_key(s) for s in new_shifts}
    return RosterDiff(
        added=[s for s in new_shifts if _key(s) not in old_keys],
        removed=[s for s in old_shifts if _key(s) not in new_keys],
    )


def content_sha256(shifts: Iterable[Shift]) -> str:
    rows = sorted(
        [k[0], k[1].isoformat(), k[2].isoformat(), k[3], k[4] or ""]
        for k in (_key(s) for s in shifts)
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


@dataclass(frozen=True)
class PublishResult:
    roster: Roster
    previous: Roster | None
    diff: RosterDiff | None  # None: already published by an earlier call
    notices: int
    working_time: tuple[dict[str, str], ...] = ()  # warnings (policy "warn")


class WorkingTimeViolations(DomainError):
    code = "working_time_violations"
    http_status = 409
    default_message = "The roster breaks working-time rules (rest, breaks, averages)."


def working_time_check(
    *, roster: Roster, previous: Roster | None, only: set[str] | None = None
) -> list[dict[str, str]]:
    """EU working-time rules for the people of a roster about to be published (or `only`
    those ids: a trade changes nobody else), over the reference period before it and with
    the roster in place of its previous version."""
    first = roster.start_date
    last = first + timedelta(days=roster.days - 1)
    since = first - timedelta(weeks=WorkingTimeLimits().reference_weeks)
    staff = Employee.objects.filter(shifts__roster=roster).distinct().select_related("user")
    if only is not None:
        staff = staff.filter(pk__in=only)
    people = {e.pk: e for e in staff}
    shifts = (
        Shift.objects.filter(employee__in=list(people), local_date__gte=since, local_date__lte=last)
        .filter(Q(roster=roster) | Q(state=Roster.Status.PUBLISHED))
        .exclude(roster=previous)
        .prefetch_related("breaks")
    )
    periods: dict[Any, list[WorkPeriod]] = {}
    for s in shifts:
        breaks = sum(int((b.end - b.start).total_seconds() // 60) for b in s.breaks.all())
        periods.setdefault(s.employee_id, []).append(WorkPeriod(s.start, s.end, breaks))
    found = []
    for employee_id, mine in sorted(periods.items(), key=lambda kv: people[kv[0]].number):
        person = people[employee_id]
        for issue in working_time_issues(
            mine,
            first=first,
            last=last,
            timezone=roster.site.timezone,
            opted_out_of_48h=person.opted_out_of_48h,
        ):
            found.append(
                {
                    "employee": person.number,
                    "name": person.full_name,
                    "rule": issue.rule,
                    "day": issue.day.isoformat(),
                    "message": issue.message,
                    "reason": issue.reason.as_json(),
                }
            )
    return found


def roster_publish(
    *, roster: Roster, user: AbstractBaseUser | None, now: datetime | None = None
) -> PublishResult:
    try:
        return retry_on_deadlock(
            lambda: publish_in_transaction(roster=roster, user=user, now=now or timezone.now())
        )
    except IntegrityError as exc:  # another line's published shift overlaps (PostgreSQL)
        raise ShiftOverlap(
            "A shift overlaps a published shift of the same person in another roster."
        ) from exc


@transaction.atomic
def publish_in_transaction(
    *,
    roster: Roster,
    user: AbstractBaseUser | None,
    now: datetime,
    working_time_of: set[str] | None = None,
    diff: RosterDiff | None = None,
) -> PublishResult:
    """Publish a draft, superseding the line's published version. `working_time_of` and
    `diff`: a caller that knows which people and shifts changed (a trade) saves the work of
    finding out over the whole roster."""
    line = lock_line(roster)
    roster = next(r for r in line if r.pk == roster.pk)
    previous = next((r for r in line if r.status == Roster.Status.PUBLISHED), None)
    if roster.status == Roster.Status.PUBLISHED:
        return PublishResult(roster, None, None, 0)  # a retry or a double click: one effect
    if roster.status != Roster.Status.DRAFT or (
        previous is not None and previous.version > roster.version
    ):
        raise RosterSuperseded(extra={"published_version": previous.version if previous else None})
    working_time = working_time_check(roster=roster, previous=previous, only=working_time_of)
    if working_time and settings.WFM_WORKING_TIME_POLICY == "enforce":
        raise WorkingTimeViolations(extra={"violations": working_time[:100]})
    for other in line:
        stale = other.status == Roster.Status.DRAFT and other.version < roster.version
        if other is previous or stale:
            other.status = Roster.Status.SUPERSEDED
            other.save(update_fields=["status"])
            other.shifts.update(state=Roster.Status.SUPERSEDED)
    roster.shifts.update(state=Roster.Status.PUBLISHED)
    roster.status = Roster.Status.PUBLISHED
    roster.published_at = now
    roster.published_by = user  # type: ignore[assignment]
    roster.content_sha256 = content_sha256(roster.shifts.all())
    roster.save(update_fields=["status", "published_at", "published_by", "content_sha256"])
    diff = diff or roster_diff(old=previous, new=roster)
    affected = sorted(diff.employees)
    RosterNotice.objects.bulk_create(
        [RosterNotice(roster=roster, employee_id=e) for e in affected], ignore_conflicts=True
    )
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
            "working_time_warnings": len(working_time),
        },
    )
    audit_record(
        action="roster_published",
        actor=user,
        object_type="roster",
        object_id=str(roster.pk),
        data={"version": roster.version, "content_sha256": roster.content_sha256},
    )
    from scheduling.tasks import roster_notify

    roster_id = str(roster.pk)
    transaction.on_commit(lambda: roster_notify.delay(roster_id))
    return PublishResult(roster, previous, diff, len(affected), tuple(working_time))


def roster_notices_send(*, roster_id: str) -> int:
    """E-mail every operator with an unsent notice of the version; each notice once, even
    when two workers run this together (rows are claimed under a lock)."""
    sent = 0
    with transaction.atomic():
        notices = list(
            RosterNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(roster_id=roster_id, sent_at__isnull=True)
            .select_related("employee__user", "roster__site", "roster__team")
            .order_by("pk")
        )
        for notice in notices:
            user = notice.employee.user
            if user.email:
                send_mail(
                    subject=_notice_subject(notice.roster),
                    message=_notice_body(notice.roster, notice.employee.full_name),
                    from_email=None,
                    recipient_list=[user.email],
                )
                sent += 1
        RosterNotice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=timezone.now())
    return sent


def _notice_subject(roster: Roster) -> str:
    return f"Your schedule from {roster.start_date:%d %b %Y} (version {roster.version})"


def _notice_body(roster: Roster, name: str) -> str:
    scope = roster.team.name if roster.team else roster.site.name
    return (
        f"Hello {name},\n\nThe {scope} roster for {roster.days} days from "
        f"{roster.start_date:%A %d %B %Y} has been published (version {roster.version}) and "
        "changes your shifts. See your schedule or your calendar feed for the details.\n"
    )
