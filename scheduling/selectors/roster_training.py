"""The training part of the solver's input, from the database: each person's level per queue
on the period's first day, the site's training policy in whole percent, the active trainees'
supervised hours per week, and the classroom sessions and meetings whose window meets the
period, with their allowed starts on the solver's wall-clock axis (local_grid.wall_minute)."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Q

from organisation.local_grid import local_day_bounds, wall_minute
from organisation.models import Employee as EmployeeRow
from organisation.models import Site
from organisation.selectors.proficiency import proficiency_levels
from scheduling.models import ClassroomSession, Enrolment, Meeting
from scheduling.selectors.training import training_policy_of
from scheduling.solver.model import (
    Employee,
    Proficiency,
    QueueProficiency,
    Session,
    SessionKind,
    TraineePlan,
    TrainingPolicy,
)


@dataclass(frozen=True)
class RosterTraining:
    employees: tuple[Employee, ...]
    policy: TrainingPolicy
    plans: tuple[TraineePlan, ...]
    sessions: tuple[Session, ...]
    rows: dict[str, ClassroomSession | Meeting]  # solver session id -> row


def _percent(share: object) -> int:
    return round(float(str(share)) * 100)


def roster_training_build(
    *,
    site: Site,
    people: list[EmployeeRow],
    employees: tuple[Employee, ...],
    first_day: date,
    days: int,
    interval_minutes: int,
    sessions: bool = True,
) -> RosterTraining:
    """`employees` (the solver's, in `people`'s order) with their levels per queue; the plans
    and sessions of the people in scope (a few queries whatever the head count). `sessions`
    False: none to place (a rule check of shifts already made needs levels and plans only)."""
    levels = proficiency_levels(employees=people, on=first_day)
    ids = {str(p.pk) for p in people}
    with_levels = tuple(
        replace(
            e,
            proficiency=tuple(
                QueueProficiency(queue=queue, level=Proficiency(level))
                for (person, queue), level in sorted(levels.items())
                if person == e.id and level != Proficiency.PROFICIENT
            ),
        )
        for e in employees
    )
    row = training_policy_of(site=site)
    policy = TrainingPolicy(
        trainees_per_mentor=row.trainees_per_mentor,
        trainee_share_percent=_percent(row.trainee_share),
        junior_share_percent=_percent(row.junior_share),
    )
    enrolments = list(
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE,
            employee_id__in=[p.pk for p in people],
            enrolled_on__lte=first_day + timedelta(days=days - 1),
        ).select_related("programme")
    )
    plans = tuple(
        TraineePlan(
            employee=str(e.employee_id),
            queue=str(e.programme.queue_id),
            min_supervised_minutes_per_week=e.programme.min_supervised_minutes_per_week,
            max_supervised_minutes_per_week=e.programme.max_supervised_minutes_per_week,
        )
        for e in enrolments
    )
    placed, rows = (
        _sessions(site, ids, enrolments, first_day, days, interval_minutes)
        if sessions
        else ((), {})
    )
    return RosterTraining(with_levels, policy, plans, placed, rows)


def _sessions(
    site: Site,
    ids: set[str],
    enrolments: list[Enrolment],
    first_day: date,
    days: int,
    interval_minutes: int,
) -> tuple[tuple[Session, ...], dict[str, ClassroomSession | Meeting]]:
    start, end = local_day_bounds(
        first_day=first_day, last_day=first_day + timedelta(days=days - 1), timezone=site.timezone
    )
    trainees: dict[str, list[str]] = {}
    for e in enrolments:
        trainees.setdefault(str(e.programme_id), []).append(str(e.employee_id))
    sessions: list[Session] = []
    rows: dict[str, ClassroomSession | Meeting] = {}
    near = Q(window_start__lt=end, window_end__gt=start)
    classes = ClassroomSession.objects.filter(near, programme__site=site).select_related(
        "programme"
    )
    for c in classes.order_by("window_start", "pk"):
        trainer = str(c.trainer_id) if c.trainer_id and str(c.trainer_id) in ids else None
        group = sorted(trainees.get(str(c.programme_id), []))[: c.capacity]
        if not group:
            continue
        found = _session(
            f"session:{c.pk}",
            SessionKind.CLASSROOM,
            c,
            (trainer, *group),
            trainer,
            100,
            c.topic,
            site,
            first_day,
            days,
            interval_minutes,
        )
        if found is not None:
            sessions.append(found)
            rows[found.id] = c
    for m in Meeting.objects.filter(near, site=site).prefetch_related("attendees"):
        group = sorted(str(a.pk) for a in m.attendees.all() if str(a.pk) in ids)
        if not group:
            continue
        kind = SessionKind.COACHING if m.kind == Meeting.Kind.COACHING else SessionKind.MEETING
        found = _session(
            f"meeting:{m.pk}",
            kind,
            m,
            (None, *group),
            None,
            _percent(m.min_share),
            m.title,
            site,
            first_day,
            days,
            interval_minutes,
        )
        if found is not None:
            sessions.append(found)
            rows[found.id] = m
    return tuple(sessions), rows


def _session(
    sid: str,
    kind: SessionKind,
    row: ClassroomSession | Meeting,
    attendees: tuple[str | None, ...],
    trainer: str | None,
    percent: int,
    topic: str,
    site: Site,
    first_day: date,
    days: int,
    interval_minutes: int,
) -> Session | None:
    """The session on the solver's axis, its window clipped to the period and its starts on
    the interval grid; None when no start fits the period (it belongs to another one)."""
    horizon = days * 1440
    earliest = max(
        0, wall_minute(instant=row.window_start, first_day=first_day, timezone=site.timezone)
    )
    last_end = min(
        horizon, wall_minute(instant=row.window_end, first_day=first_day, timezone=site.timezone)
    )
    earliest = -(-earliest // interval_minutes) * interval_minutes
    latest = last_end - row.length_minutes
    latest -= latest % interval_minutes
    if latest < earliest:
        return None
    return Session(
        id=sid,
        kind=kind,
        length_minutes=row.length_minutes,
        attendees=tuple(a for a in attendees if a),
        earliest_start_minute=earliest,
        latest_start_minute=latest,
        step_minutes=interval_minutes,
        min_attendance_percent=percent,
        trainer=trainer,
        topic=topic,
    )
