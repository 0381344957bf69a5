"""The checks a swap, give-away, pick-up or release must pass, on the published roster as it
stands: the hard rules of scheduling/rules.py for both people (only violations the move
brings count), the queue skill, equal paid time where the policy asks it, and the cover a
release leaves. In memory: nothing is written, so they run at request, at acceptance and
again inside the approval's locks."""

from collections import Counter
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from math import ceil
from typing import Any
from uuid import UUID

from organisation.models import Employee
from scheduling.coverage import interval_cover, phone_periods
from scheduling.errors import (
    SWAP_RULE_ERRORS,
    SwapBreaksRules,
    SwapDropsCoverage,
    SwapUnequalPaidTime,
)
from scheduling.models import RequestPolicy, Roster, Shift
from scheduling.rules import Violation, check
from scheduling.selectors.roster_rules import roster_rules_input, shift_assignments
from scheduling.services.roster_republish import Moves
from scheduling.solver.model import Assignment, Problem


def stable_key(shift: Shift) -> UUID:
    return shift.origin or shift.pk


def swap_checks_run(
    *, published: Roster, moves: Moves, policy: RequestPolicy, now: datetime
) -> list[dict[str, Any]]:
    """Raise the first refusal, with every violation found in `extra`; otherwise the
    violations the team's policy waives (voluntary overtime, working less), for the audit."""
    people = {person for move in moves.values() for person in move if person}
    rows = published.shifts.select_related("template", "queue").prefetch_related("breaks")
    shifts = list(rows.filter(employee_id__in=people))
    moved = {key: s for s in shifts if (key := stable_key(s)) in moves}
    _skills(moved, moves)
    built = roster_rules_input(published, now=now, only=people)
    before = shift_assignments(built, shifts)
    _paid_time([a for a, s in zip(before, shifts, strict=True) if stable_key(s) in moves], policy)
    after = [
        replace(a, employee=moves[stable_key(s)][1] or "") if stable_key(s) in moves else a
        for a, s in zip(before, shifts, strict=True)
    ]
    after = [a for a in after if a.employee]
    fresh = _fresh(check(built.problem, before), check(built.problem, after), people)
    waived = [v for v in fresh if _waived(v, built.problem, after, policy)]
    refused = [v for v in fresh if v not in waived]
    if refused:
        error = SWAP_RULE_ERRORS.get(refused[0].rule, SwapBreaksRules)
        found = [built.violation_json(v) for v in refused]
        raise error(found[0]["message"], extra={"violations": found})
    released = [s for key, s in moved.items() if moves[key][1] is None]
    if released:
        # Cover counts everyone on the released shifts' queues while they run.
        around = rows.filter(
            queue_id__in={s.queue_id for s in released},
            start__lt=max(s.end for s in released),
            end__gt=min(s.start for s in released),
        ).exclude(pk__in=[s.pk for s in released])
        _cover_after_release(
            built.problem,
            shift_assignments(built, around),
            shift_assignments(built, released),
            policy.release_min_cover_ratio,
        )
    return [built.violation_json(v) for v in waived]


VOLUNTARY_MINIMUMS = {"min_minutes_per_week", "min_minutes_total"}


def _fresh(before: list[Violation], after: list[Violation], people: set[str]) -> list[Violation]:
    old = Counter(v for v in before if v.employee in people)
    return list((Counter(v for v in after if v.employee in people) - old).elements())


def _waived(v: Violation, problem: Problem, after: list[Assignment], policy: RequestPolicy) -> bool:
    if policy.voluntary_below_minimum and v.rule in VOLUNTARY_MINIMUMS:
        return True
    return _voluntary_overtime(v, problem, after, policy)


def _voluntary_overtime(
    v: Violation, problem: Problem, after: list[Assignment], policy: RequestPolicy
) -> bool:
    """A weekly maximum (minutes or days) passed by no more than the policy's voluntary
    overtime."""
    if v.rule not in ("max_minutes_per_week", "max_days_per_week"):
        return False
    contract = next(e for e in problem.employees if e.id == v.employee).contract
    week = set(next(w for w in problem.weeks() if w[0] == v.day))
    mine = [a for a in after if a.employee == v.employee and a.day in week]
    if v.rule == "max_days_per_week":
        limit = contract.max_days_per_week
        return limit is not None and len({a.day for a in mine}) <= limit + policy.trade_extra_days
    minutes = sum(a.paid_minutes for a in mine)
    limit = contract.max_minutes_per_week
    return limit is not None and minutes <= limit + policy.trade_overtime_minutes


def _skills(moved: dict[UUID, Shift], moves: Moves) -> None:
    """The taker must be skilled for the queue the shift works (a template without a queue
    lets the shift work any queue, so its queue is checked here, not by the rules)."""
    takers = {to for _, to in moves.values() if to}
    skills = {
        str(e.pk): {str(q.pk) for q in e.queues.all()}
        for e in Employee.objects.filter(pk__in=takers).prefetch_related("queues")
    }
    for key, shift in moved.items():
        to = moves[key][1]
        if to and shift.queue_id and str(shift.queue_id) not in skills.get(to, set()):
            error = SWAP_RULE_ERRORS["skill"]
            raise error(
                f"not skilled for {shift.queue.name if shift.queue else shift.queue_id}",
                extra={"employee": to, "queue": str(shift.queue_id)},
            )


def _paid_time(moved: list[Assignment], policy: RequestPolicy) -> None:
    if not policy.equal_paid_time or len(moved) != 2:
        return
    first, second = (a.paid_minutes for a in moved)
    if abs(first - second) > policy.paid_time_tolerance_minutes:
        raise SwapUnequalPaidTime(
            extra={
                "paid_minutes": sorted([first, second]),
                "tolerance_minutes": policy.paid_time_tolerance_minutes,
            }
        )


def _cover_after_release(
    problem: Problem, after: list[Assignment], released: list[Assignment], ratio: Decimal
) -> None:
    """Every interval the released shift was on the phone for keeps at least `ratio` of the
    agents required of this roster (demand net of other rosters' published cover)."""
    periods = problem.periods_per_day
    cover = {(c.queue, c.day * periods + c.period): c for c in interval_cover(problem, after)}
    short = []
    for a in released:
        for t in phone_periods(a, problem.interval_minutes):
            row = cover.get((a.queue or "", t))
            if row is None:
                continue
            needed = ceil(Decimal(row.required) * ratio)
            if row.scheduled < needed:
                short.append(
                    {
                        "day": row.day,
                        "period": row.period,
                        "required": row.required,
                        "scheduled": row.scheduled,
                    }
                )
    if short:
        raise SwapDropsCoverage(extra={"intervals": short, "min_cover_ratio": str(ratio)})
