"""The solver's input built from the database: a team's (or site's) period as a Problem, with
the maps back from the solver's string ids to rows. Demand and people in roster_demand and
roster_people.

Solver time is wall-clock minutes from the period's first local midnight (local_grid); shift
instants come back through the site's time zone, so a 22:00-06:00 shift is 7 h of real time
on the spring-forward night and 9 h on the autumn one.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q

from organisation.local_grid import wall_minute
from organisation.models import Employee as EmployeeRow
from organisation.models import Queue, Site, Team
from organisation.selectors.organisation import scope_employees
from organisation.sentences import Sentence, english
from scheduling.errors import RosterNoOperators, RosterNoTemplates
from scheduling.models import Activity, ClassroomSession, Meeting, Roster, Shift, ShiftTemplate
from scheduling.rules import RULE_SENTENCES, Violation
from scheduling.selectors.roster_demand import RosterDemand, roster_demand_build
from scheduling.selectors.roster_people import roster_people_build
from scheduling.selectors.roster_training import roster_training_build
from scheduling.solver.model import BreakRule, Pin, Problem, Weights
from scheduling.solver.model import ShiftTemplate as SolverTemplate


@dataclass(frozen=True)
class RosterInput:
    """The solver's problem and the maps back from its string ids to rows."""

    problem: Problem
    site: Site
    team: Team | None
    first_day: date
    timezone: str
    employees: dict[str, EmployeeRow]
    templates: dict[str, ShiftTemplate]  # solver template id -> row
    template_queues: dict[str, Queue | None]  # solver template id -> queue worked
    queues: dict[str, Queue]
    pinned_shifts: tuple[Shift, ...] = ()
    # Training (issue 24): the solver's session ids -> the classroom session or meeting.
    sessions: dict[str, ClassroomSession | Meeting] = field(default_factory=dict)

    def local_start(self, day: int, period: int) -> str:
        """The wall-clock start of an interval of the horizon, ISO to the minute."""
        minutes = (day * self.problem.periods_per_day + period) * self.problem.interval_minutes
        wall = datetime.combine(self.first_day, time()) + timedelta(minutes=minutes)
        return wall.isoformat(timespec="minutes")

    def violation_json(self, violation: Violation) -> dict[str, Any]:
        """A rule violation with whom and which local day it concerns, for people to read:
        its sentence names templates and queues, never their ids."""
        person = self.employees.get(violation.employee or "")
        day = violation.day
        reason = self.readable(violation.reason)
        return {
            "rule": violation.rule,
            "employee": violation.employee,
            "day": day,
            "message": english([reason], RULE_SENTENCES),
            "reason": reason.as_json(),
            "name": person.full_name if person else None,
            "number": person.number if person else None,
            "date": (self.first_day + timedelta(days=day)).isoformat() if day is not None else None,
        }

    def readable(self, sentence: Sentence) -> Sentence:
        """The sentence with the solver's template and queue ids replaced by their names."""
        return Sentence(
            sentence.code,
            tuple(
                (key, self._name(key, value) if isinstance(value, str) else value)
                for key, value in sentence.values
            ),
        )

    def _name(self, key: str, value: str) -> str:
        if key == "queue":
            queue = self.queues.get(value)
            return queue.name if queue else value
        if key not in ("template", "previous") or value not in self.templates:
            return value
        row, queue = self.templates[value], self.template_queues.get(value)
        if row.queue_id is None and queue is not None:  # a phone template of any queue
            return f"{row.name} ({queue.name})"
        return row.name


def roster_problem_build(
    *,
    site: Site,
    team: Team | None,
    first_day: date,
    days: int,
    now: datetime,
    base: Roster | None = None,
    exclude_series: str | None = None,
    inactive_templates: bool = False,
    only: set[str] | None = None,
    demand_minutes: int | None = None,
    sessions: bool | None = None,
) -> RosterInput:
    """The solver input for a team (or site) and period. `base` is a draft or published
    version whose pinned shifts, and shifts already started, are kept as they are.
    `exclude_series`: the scope key of the series being built, whose published shifts are
    not cover from other rosters. `inactive_templates`: for checking existing shifts, whose
    template may have been retired since (the solver only plans with active ones). `only`:
    just these employees (by id), for checking the people an edit or a trade touches.
    `demand_minutes`: no demand, on a grid of that many minutes (the rules never read the
    demand: an edit's check need not load the period's staffing). `sessions`: the period's
    sessions to place (default: with the demand only)."""
    last_day = first_day + timedelta(days=days - 1)
    tz = site.timezone
    people = list(scope_employees(site=site, team=team, first_day=first_day, last_day=last_day))
    if only is not None:
        people = [p for p in people if str(p.pk) in only]
    if not people:
        raise RosterNoOperators()
    queues = {str(q.pk): q for person in people for q in person.queues.all()}
    template_rows = list(
        ShiftTemplate.objects.filter(site=site)
        if inactive_templates
        else ShiftTemplate.objects.filter(site=site, is_active=True)
    )
    if not template_rows:
        raise RosterNoTemplates()
    templates, template_queues = _solver_templates(template_rows, queues)
    demand = (
        RosterDemand(interval_minutes=demand_minutes, intervals=())
        if demand_minutes
        else roster_demand_build(
            site=site,
            queues=queues,
            first_day=first_day,
            days=days,
            exclude_series=exclude_series or "",
        )
    )
    pinned = _pinned(base, now)
    staff = roster_people_build(
        people=people, templates=templates, first_day=first_day, days=days, tz=tz
    )
    training = roster_training_build(
        site=site,
        people=people,
        employees=staff.employees,
        first_day=first_day,
        days=days,
        interval_minutes=demand.interval_minutes,
        sessions=demand_minutes is None if sessions is None else sessions,
    )
    problem = Problem(
        days=days,
        first_weekday=first_day.weekday(),
        interval_minutes=demand.interval_minutes,
        templates=tuple(templates.values()),
        employees=training.employees,
        interval_demand=demand.intervals,
        requests=staff.requests,
        pins=tuple(_pin(shift, first_day, tz) for shift in pinned),
        # Fairness terms (weekends, nights, late shifts spread evenly) tie everyone together,
        # so the engine can no longer grow a first roster one person at a time; on call-centre
        # sizes that costs the first roster tens of seconds. They stay off until it copes.
        weights=Weights(paid_minute=1),
        min_runs_exempt_at_borders=True,
        training=training.policy,
        trainee_plans=training.plans,
        sessions=training.sessions,
    )
    return RosterInput(
        problem=problem,
        site=site,
        team=team,
        first_day=first_day,
        timezone=tz,
        employees={str(p.pk): p for p in people},
        templates=_rows_by_id(templates, template_rows),
        template_queues=template_queues,
        queues=queues,
        pinned_shifts=tuple(pinned),
        sessions=training.rows,
    )


def _rows_by_id(
    templates: dict[str, SolverTemplate], rows: list[ShiftTemplate]
) -> dict[str, ShiftTemplate]:
    by_pk = {str(row.pk): row for row in rows}
    return {tid: by_pk[tid.split("@")[0]] for tid in templates}


def solver_template_id(template: ShiftTemplate, queue_id: Any | None) -> str:
    """A phone template without a queue is worked on any queue: one solver template each."""
    if template.queue_id is None and template.activity == Activity.PHONE and queue_id is not None:
        return f"{template.pk}@{queue_id}"
    return str(template.pk)


def _solver_templates(
    rows: list[ShiftTemplate], queues: dict[str, Queue]
) -> tuple[dict[str, SolverTemplate], dict[str, Queue | None]]:
    templates: dict[str, SolverTemplate] = {}
    worked: dict[str, Queue | None] = {}
    for row in rows:
        if row.queue_id is None and row.activity == Activity.PHONE:
            targets: list[Queue | None] = list(queues.values())
        elif row.queue_id is not None and str(row.queue_id) not in queues:
            continue  # nobody in scope works its queue
        else:
            targets = [row.queue]
        for queue in targets:
            tid = solver_template_id(row, queue.pk if queue else None)
            templates[tid] = _solver_template(tid, row, queue)
            worked[tid] = queue
    return templates, worked


def _solver_template(tid: str, row: ShiftTemplate, queue: Queue | None) -> SolverTemplate:
    earliest = row.earliest_start.hour * 60 + row.earliest_start.minute
    latest = row.latest_start.hour * 60 + row.latest_start.minute
    longest = max(row.lengths_minutes)
    return SolverTemplate(
        id=tid,
        earliest_start_minute=earliest,
        latest_start_minute=latest,
        lengths_minutes=tuple(sorted(row.lengths_minutes)),
        start_step_minutes=row.start_step_minutes,
        weekdays=frozenset(row.weekdays),
        queue=str(queue.pk) if queue is not None else None,
        activity=row.activity,
        breaks=tuple(
            BreakRule(
                length_minutes=b["length_minutes"],
                earliest_offset_minutes=b["earliest_offset_minutes"],
                latest_offset_minutes=b["latest_offset_minutes"],
                paid=bool(b.get("paid", False)),
            )
            for b in row.breaks
        ),
        # Night: any start from 20:00 or before 05:00; late: can run past 21:00.
        is_night=latest >= 20 * 60 or earliest < 5 * 60,
        is_late=latest + longest > 21 * 60,
    )


def _pinned(base: Roster | None, now: datetime) -> list[Shift]:
    if base is None:
        return []
    return list(
        base.shifts.filter(Q(pinned=True) | Q(start__lt=now))
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )


def _pin(shift: Shift, first_day: date, tz: str) -> Pin:
    start = wall_minute(instant=shift.start, first_day=first_day, timezone=tz)
    end = wall_minute(instant=shift.end, first_day=first_day, timezone=tz)
    template = shift.template
    tid = solver_template_id(template, shift.queue_id) if template is not None else "manual"
    return Pin(
        employee=str(shift.employee_id),
        day=start // 1440,
        template=tid,
        start_minute=start,
        length_minutes=end - start,
    )
