"""Roster builds: check a period and request its build (a job), solve it in the job, and save
the solution as a new draft version of its series."""

import math
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from organisation.jobs import EnqueueableTask, Progress, job_create, job_is_cancelled
from organisation.local_grid import wall_instant
from organisation.models import Job, Site, Team
from organisation.sentences import english
from scheduling.coverage import uncoverable
from scheduling.errors import (
    RosterContradicts,
    RosterNotFound,
    RosterPeriodInPast,
    RosterPeriodOverlaps,
    RosterPeriodTooLong,
    TemplatesCannotCover,
)
from scheduling.models import Roster, RosterChange, Shift, ShiftBreak
from scheduling.selectors.roster_problem import RosterInput, roster_problem_build
from scheduling.selectors.rosters import scope_key
from scheduling.services.roster_training import (
    readable,
    roster_training_save,
    training_shortfalls_json,
)
from scheduling.solver.model import Contradiction, LowerBounds, Solution, Status
from scheduling.solver.precheck import PRECHECK_SENTENCES
from scheduling.solver.search import SolveOptions
from scheduling.solver.solve import solve

MAX_DAYS = 112


# --- Requesting a build --------------------------------------------------------------------


@dataclass(frozen=True)
class BuildRequest:
    site: Site
    team: Team | None
    start: date
    days: int
    time_limit_seconds: float
    seed: int = 0
    # The same input and seed give the same roster whatever the machine's load: the time
    # limit is read as work (CP-SAT deterministic time, about idle-machine seconds).
    deterministic: bool = False
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
        exclude_series=scope_key(site=request.site, team=request.team),
    )
    _check_coverable(built)
    params = {
        "site": str(request.site.pk),
        "team": str(request.team.pk) if request.team else None,
        "start": request.start.isoformat(),
        "days": request.days,
        "time_limit_seconds": request.time_limit_seconds,
        "seed": request.seed,
        "deterministic": request.deterministic,
        "base": str(request.base.pk) if request.base else None,
    }
    return job_create(kind="roster_build", task=task, created_by=user, params=params)


def _check_period(request: BuildRequest, now: datetime) -> None:
    if not 1 <= request.days <= MAX_DAYS:
        raise RosterPeriodTooLong(extra={"days": request.days, "max_days": MAX_DAYS})
    today = now.astimezone(ZoneInfo(request.site.timezone)).date()
    if request.start < today:
        raise RosterPeriodInPast(extra={"start": request.start.isoformat(), "today": str(today)})
    _check_overlap(
        site=request.site, team=request.team, start=request.start, days=request.days, jobs=True
    )


def _check_overlap(
    *, site: Site, team: Team | None, start: date, days: int, jobs: bool, job: Job | None = None
) -> None:
    """Refuse a period that another roster of an intersecting scope covers in part: any of
    its versions that is not discarded (published, draft or superseded) and, with jobs, a
    build of such a period that is queued or running (its roster is not saved yet, so two
    builds requested seconds apart both passed before). Only the same series (same scope,
    start and length: a new version) is allowed."""
    key = scope_key(site=site, team=team)
    last = start + timedelta(days=days - 1)
    # Series whose scope intersects: the same team, the site, or (for a site) any of its teams.
    scopes = Q(scope_key=key) | Q(scope_key=f"site:{site.pk}")
    if team is None:
        scopes |= Q(team__site=site)
    clash = (
        Roster.objects.filter(scopes, start_date__lte=last)
        .exclude(status=Roster.Status.DISCARDED)
        .exclude(scope_key=key, start_date=start, days=days)
    )
    for other in clash:
        if other.start_date + timedelta(days=other.days - 1) >= start:
            raise RosterPeriodOverlaps(
                extra={"roster": str(other.pk), "start": str(other.start_date), "days": other.days}
            )
    if not jobs:
        return
    pending = Job.objects.filter(
        kind="roster_build",
        status__in=(Job.Status.QUEUED, Job.Status.RUNNING),
        params__site=str(site.pk),
    )
    if job is not None:
        pending = pending.exclude(pk=job.pk)
    for other_job in pending:
        params = other_job.params
        other_team = params.get("team")
        if team is not None and other_team is not None and other_team != str(team.pk):
            continue
        other_start = date.fromisoformat(params["start"])
        other_days = int(params["days"])
        if other_team == (str(team.pk) if team else None) and (other_start, other_days) == (
            start,
            days,
        ):
            continue  # the same series: a second version
        if other_start <= last and other_start + timedelta(days=other_days - 1) >= start:
            raise RosterPeriodOverlaps(
                extra={"job": str(other_job.pk), "start": str(other_start), "days": other_days}
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
        exclude_series=scope_key(site=site, team=team),
    )
    progress(2, "Input ready; solving.")
    solution = solve(
        built.problem,
        SolveOptions(
            time_limit_seconds=limit,
            num_workers=settings.WFM_SOLVER_WORKERS,
            seed=int(params.get("seed") or 0),
            deterministic=bool(params.get("deterministic")),
        ),
        progress=_solver_progress(str(job.pk), limit, progress),
    )
    _refuse_unsolved(solution, built)
    if job_is_cancelled(job_id=str(job.pk)):
        return None
    progress(97, "Saving the roster.")
    with transaction.atomic():
        # Checked again under the site's lock: another build of an overlapping period may
        # have been requested (and saved) while this one was queued or solving.
        Site.objects.select_for_update().filter(pk=site.pk).first()
        _check_overlap(site=site, team=team, start=built.first_day, days=days, jobs=False, job=job)
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


def _refuse_unsolved(solution: Solution, built: RosterInput) -> None:
    if solution.status == Status.INFEASIBLE:
        raise RosterContradicts(
            extra={
                "contradictions": [_contradiction_json(built, c) for c in solution.contradictions]
            }
        )
    if solution.status == Status.UNKNOWN:
        raise RosterNotFound()


def _contradiction_json(built: RosterInput, c: Contradiction) -> dict[str, Any]:
    """A contradiction for people to read: names for ids; its sentence, where it has one, for
    the reader's language (web: contradiction_text)."""
    reason = built.readable(c.reason) if c.reason is not None else None
    return {
        "employee": c.employee,
        "name": built.employees[c.employee].full_name if c.employee in built.employees else None,
        "rule": c.rule,
        "message": english([reason], PRECHECK_SENTENCES) if reason else readable(built, c.message),
        "reason": reason.as_json() if reason else None,
    }


def solver_stats(built: RosterInput, solution: Solution) -> dict[str, Any]:
    return {
        "status": str(solution.status),
        "objective": _finite(solution.objective),
        "bound": _finite(solution.bound),
        "gap": _finite(solution.gap, digits=6),
        "wall_seconds": round(solution.wall_seconds, 3),
        "terms": {name: _finite(value) for name, value in solution.terms.items()},
        "unmet_intervals": len(solution.unmet_intervals),
        "under_agent_intervals": solution.under_agent_intervals,
        "under_shifts": solution.under_shifts,
        # What no roster of these people under these rules can beat (the LP relaxation), or
        # None when it could not be computed in time: "short X, at least Y unavoidable".
        "lower_bounds": _bounds_json(solution.lower_bounds),
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
        "training_shortfalls": training_shortfalls_json(built, solution),
        "trace": [
            [round(t, 2), _finite(objective), _finite(bound)]
            for t, objective, bound in solution.progress[-200:]
        ],
    }


def _bounds_json(bounds: LowerBounds | None) -> dict[str, Any] | None:
    if bounds is None:
        return None
    return {
        "objective": _finite(bounds.objective),
        "under_agent_intervals": bounds.under_agent_intervals,
        "under_shifts": bounds.under_shifts,
        "paid_minutes": bounds.paid_minutes,
    }


def _finite(value: float, digits: int = 2) -> float | None:
    """JSON has no infinity: an unknown bound is null."""
    return round(value, digits) if math.isfinite(value) else None


# --- Saving a solution ---------------------------------------------------------------------


@transaction.atomic
def roster_save(
    *,
    built: RosterInput,
    solution: Solution,
    job: Job | None,
    base: Roster | None,
    user: AbstractBaseUser | None,
) -> Roster:
    """A new draft version of the series with the solution's shifts, in bulk (a fixed number of
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
    roster_training_save(built=built, roster=roster, solution=solution)
    RosterChange.objects.create(
        roster=roster,
        actor=user,
        action=RosterChange.Action.BUILT,
        after={"shifts": len(shifts), "status": str(solution.status)},
    )
    return roster


def _next_version(key: str, start: date) -> int:
    # Lock the series' rows so two builds of one series cannot take the same version.
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
