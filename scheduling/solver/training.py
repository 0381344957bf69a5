"""The training constraint families of the roster model (issue 24): productivity-weighted
cover, trainees paired with mentors, supervised minutes per week, group sessions placed.

They extend a RosterModel built without interval demand (build.py adds the unweighted cover;
here each person counts their share of an agent and is off the phone during their sessions).
Cover is counted in 1/scale of an agent (scale 100 / gcd of the shares, e.g. 10 for 50 % and
80 %), so the arithmetic stays integer. Every person's phone time here is read with the
breaks at their nominal place, which the training people keep (solve_training.py).
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from scheduling.solver.build import RosterModel, build
from scheduling.solver.cover import cover_shortfall
from scheduling.solver.model import Problem, Proficiency, Session
from scheduling.solver.options import ShiftOption

Literal = cp_model.IntVar
Expr = cp_model.LinearExprT

# A session left unplaced costs this many times the dearest agent-interval short: placing it
# is worth any cover, and the roster still comes back (with the shortfall explained).
UNPLACED_FACTOR = 1000


def has_training(problem: Problem) -> bool:
    """Whether the problem asks for anything of this module: sessions, trainee plans, or
    someone counted at other than a full agent or needing a mentor."""
    if problem.sessions or problem.trainee_plans:
        return True
    return any(
        entry.level == Proficiency.TRAINEE or problem.training.share_percent(entry) != 100
        for employee in problem.employees
        for entry in employee.proficiency
    )


def share_scale(problem: Problem) -> int:
    """The units per agent in which cover is counted: the smallest that makes every share an
    integer (1 when everyone counts in full)."""
    divisor = 100
    for employee in problem.employees:
        for entry in employee.proficiency:
            divisor = math.gcd(divisor, problem.training.share_percent(entry))
    return 100 // max(divisor, 1)


@dataclass
class TrainingModel:
    rm: RosterModel  # built without interval demand: problem holds it
    problem: Problem
    scale: int
    # (e, queue, t) -> literals of e's phone options on queue covering interval t.
    phone: dict[tuple[int, str, int], list[Literal]] = field(default_factory=dict)
    # (queue, t) -> employees with a shift that could be on its phone then.
    present: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    # (e, queue, t) -> literals of sessions taking e off queue's phone in interval t.
    away: dict[tuple[int, str, int], list[Expr]] = field(default_factory=lambda: defaultdict(list))
    # Session index -> start -> literal; and the "left unplaced" literal.
    starts: list[dict[int, Literal]] = field(default_factory=list)
    unplaced: list[Literal] = field(default_factory=list)
    # Session index -> employee index -> attends literal (or 1 when required).
    attends: list[dict[int, Expr]] = field(default_factory=list)
    # (session, employee, start) -> e attends the session at that start.
    attend_at: dict[tuple[int, int, int], Literal] = field(default_factory=dict)
    # (e, t) -> literals of e attending a session through interval t (at most one holds).
    busy: dict[tuple[int, int], list[Literal]] = field(default_factory=lambda: defaultdict(list))
    # (e, queue, week index) -> the supervised-minutes expression and its short variable.
    supervised: dict[tuple[int, str, int], Expr] = field(default_factory=dict)
    supervised_short: dict[tuple[int, str, int], Expr] = field(default_factory=dict)

    def on_phone(
        self, weighted: Iterable[tuple[int, int]], queue: str, intervals: Iterable[int]
    ) -> cp_model.LinearExpr:
        """Sum over (employee, coefficient) pairs and intervals of coefficient x (1 when the
        employee is on queue's phone then, else 0), as one flat weighted sum (building it
        term by term took most of the model's build on a 4-week, 66-person core)."""
        pairs = list(weighted)
        literals: list[Expr] = []
        coefficients: list[int] = []
        for t in intervals:
            for e, coefficient in pairs:
                for v in self.phone.get((e, queue, t), ()):
                    literals.append(v)
                    coefficients.append(coefficient)
                for a in self.away.get((e, queue, t), ()):
                    literals.append(a)
                    coefficients.append(-coefficient)
        return cp_model.LinearExpr.weighted_sum(literals, coefficients)


def build_training(problem: Problem) -> TrainingModel:
    """The roster model with the training families; the objective is set once, at the end."""
    rm = build(replace(problem, interval_demand=()))
    tm = TrainingModel(rm, problem, share_scale(problem))
    _index_phone(tm)
    for family, add in TRAINING_FAMILIES:
        before = len(rm.model.proto.constraints)
        add(tm)
        rm.families[family] = range(before, len(rm.model.proto.constraints))
    rm.model.minimize(rm.objective())
    return tm


def phone_queue(problem: Problem, option: ShiftOption) -> str | None:
    """The queue an option is on the phone for (None: off the phone)."""
    if option.activity != "phone":
        return None
    if option.queue is None and len(problem.interval_demand) == 1:
        return problem.interval_demand[0].queue
    return option.queue


def _index_phone(tm: TrainingModel) -> None:
    p = tm.problem
    phone: dict[tuple[int, str, int], list[Literal]] = defaultdict(list)
    for e in range(len(p.employees)):
        for d in range(p.days):
            for o, v in tm.rm.x[e][d].items():
                option = tm.rm.options[d][o]
                queue = phone_queue(p, option)
                if queue is None:
                    continue
                for t in option.covered_intervals(p.interval_minutes):
                    phone[(e, queue, t)].append(v)
    tm.phone = dict(phone)
    present: dict[tuple[str, int], list[int]] = defaultdict(list)
    for e, queue, t in tm.phone:
        present[(queue, t)].append(e)
    tm.present = dict(present)


# --- Sessions ------------------------------------------------------------------------------


def _fits(option: ShiftOption, start: int, length: int) -> bool:
    """Whether a session at start..start+length lies inside the shift, clear of its breaks."""
    if option.start_minute > start or option.end_minute < start + length:
        return False
    return all(
        b.start_minute >= start + length or b.start_minute + b.length_minutes <= start
        for b in option.breaks
    )


def unplaced_weight(problem: Problem) -> int:
    """The cost of a session left unplaced."""
    dearest = max((d.under_weight for d in problem.interval_demand), default=100)
    return UNPLACED_FACTOR * max(dearest, 1)


def supervised_short_weight(problem: Problem) -> int:
    """The cost of a supervised minute below a trainee's plan, derived from the model's own
    weights so that the plan's minimum counts whenever a mentor has room.

    Putting a trainee on their training queue's phone for an interval instead of elsewhere can
    cost at most: their cover on another queue (at most the dearest agent-interval short), the
    over-cover they add on the training queue (at most the dearest agent-interval over), and
    the same again for a mentor pairing may take from another queue. A supervised interval
    short costs one more than all that, so reaching the plan always beats what the cover
    gains elsewhere (a fixed 50 % of an agent-interval tied with one full agent on a second
    queue once the trainee's own half on the training queue was added, and the trainee drifted
    there all week). Where no mentor has room the minimum cannot be met and the shortfall is
    explained (training_outcome). A session left unplaced (UNPLACED_FACTOR x the dearest short)
    still costs far more than an interval of this."""
    dearest_under = max((d.under_weight for d in problem.interval_demand), default=100)
    dearest_over = max((d.over_weight for d in problem.interval_demand), default=0)
    per_interval = 2 * (max(dearest_under, 1) + max(dearest_over, 0)) + 1
    return -(-per_interval // max(problem.interval_minutes, 1))


def _sessions(tm: TrainingModel) -> None:
    """Each session starts once in its window (or is left unplaced at a high cost); each
    attendee who attends works a shift containing it, clear of that shift's breaks, and is off
    the phone through it; at least the required share attends, the trainer always."""
    rm, p = tm.rm, tm.problem
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    for s, session in enumerate(p.sessions):
        starts = {k: rm.model.new_bool_var(f"session_{s}_{k}") for k in session.starts()}
        unplaced = rm.model.new_bool_var(f"session_{s}_unplaced")
        rm.model.add(sum(starts.values()) + unplaced == 1)
        rm.terms["sessions_unplaced"].append((unplaced_weight(p), unplaced))
        tm.starts.append(starts)
        tm.unplaced.append(unplaced)
        attends: dict[int, Expr] = {}
        for who in session.attendees:
            e = index.get(who)
            if e is None:
                continue
            attends[e] = _attendee(tm, s, session, e, starts)
        tm.attends.append(attends)
        for e, attending in attends.items():
            if p.employees[e].id == session.trainer:
                rm.model.add(attending == 1 - unplaced)
        needed = session.required_count()
        rm.model.add(sum(attends.values()) >= needed * (1 - unplaced))
    for literals in tm.busy.values():
        if len(literals) > 1:
            rm.model.add(sum(literals) <= 1)  # one session at a time


def _attendee(
    tm: TrainingModel, s: int, session: Session, e: int, starts: dict[int, Literal]
) -> Expr:
    """Employee e's attendance of session s: one literal per start where some shift of theirs
    could hold it, each implying that start and such a shift; returns their sum."""
    rm, p = tm.rm, tm.problem
    length = session.length_minutes
    chosen: list[Literal] = []
    for k, placed in starts.items():
        day = k // 1440
        holding = [
            (rm.options[d][o], v)
            for d in (day - 1, day)
            if 0 <= d < p.days
            for o, v in rm.x[e][d].items()
            if _fits(rm.options[d][o], k, length)
        ]
        if not holding:
            continue
        z = rm.model.new_bool_var(f"attend_{s}_{e}_{k}")
        tm.attend_at[(s, e, k)] = z
        rm.model.add(z <= placed)
        rm.model.add(z <= sum(v for _, v in holding))
        chosen.append(z)
        minutes = p.interval_minutes
        for t in range(k // minutes, -(-(k + length) // minutes)):
            tm.busy[(e, t)].append(z)
        _take_off_phone(tm, e, k, length, z, holding)
    if chosen:
        rm.model.add(sum(chosen) <= 1)
    return sum(chosen)


def _take_off_phone(
    tm: TrainingModel,
    e: int,
    start: int,
    length: int,
    z: Literal,
    holding: list[tuple[ShiftOption, Literal]],
) -> None:
    """z (attending at `start`) takes e off the phone of the queue of the shift that holds
    it, for the session's intervals."""
    rm, p = tm.rm, tm.problem
    by_queue: dict[str | None, list[Literal]] = defaultdict(list)
    for option, v in holding:
        by_queue[phone_queue(p, option)].append(v)
    minutes = p.interval_minutes
    span = range(start // minutes, -(-(start + length) // minutes))
    for queue, literals in by_queue.items():
        if queue is None:
            continue
        if len(by_queue) == 1:
            away: Literal = z
        else:  # away = z and one of this queue's holding shifts
            away = rm.model.new_bool_var(f"away_{e}_{start}_{queue}")
            rm.model.add(away <= z)
            rm.model.add(away <= sum(literals))
            rm.model.add(away >= z + sum(literals) - 1)
        for t in span:
            tm.away[(e, queue, t)].append(away)


def quiet_starts(tm: TrainingModel) -> dict[int, int]:
    """Session index -> the start where its attendees' queues want the fewest agents, among
    those where the trainer and enough attendees have a shift that could hold it and that
    keep it apart from the sessions chosen before it that share someone."""
    p = tm.problem
    minutes, periods = p.interval_minutes, p.periods_per_day
    wanted = {d.queue: d.required for d in p.interval_demand}
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    taken: dict[int, list[range]] = defaultdict(list)
    chosen: dict[int, int] = {}
    for s, session in enumerate(p.sessions):
        members = {index[w] for w in session.attendees if w in index}
        best: tuple[int, int] | None = None
        for k in tm.starts[s]:
            span = range(k, k + session.length_minutes)
            able = {e for e in members if _could_hold(tm, e, k, session.length_minutes)}
            trainer = index.get(session.trainer or "")
            if (trainer is not None and trainer not in able) or len(
                able
            ) < session.required_count():
                continue
            if any(span.start < r.stop and r.start < span.stop for e in able for r in taken[e]):
                continue
            queues = {q for e in members for q in p.employees[e].skills if q in wanted}
            load = sum(
                wanted[q][t // periods][t % periods]
                for q in queues
                for t in range(k // minutes, -(-(k + session.length_minutes) // minutes))
                if t // periods < p.days
            )
            if best is None or load < best[0]:
                best = (load, k)
        if best is not None:
            chosen[s] = best[1]
            for e in members:
                taken[e].append(range(best[1], best[1] + session.length_minutes))
    return chosen


def _could_hold(tm: TrainingModel, e: int, start: int, length: int) -> bool:
    day = start // 1440
    return any(
        _fits(tm.rm.options[d][o], start, length)
        for d in (day - 1, day)
        if 0 <= d < tm.problem.days
        for o in tm.rm.x[e][d]
    )


# --- Cover ---------------------------------------------------------------------------------


def _weighted_cover(tm: TrainingModel) -> None:
    """Per queue and interval: sum(share x on the phone) + under - over = required, in
    1/scale agents; under and over weigh their line's weights per agent."""
    rm, p = tm.rm, tm.problem
    periods = p.periods_per_day
    units = _units(tm)
    for demand in p.interval_demand:
        under_weight = max(1, round(demand.under_weight / tm.scale))
        over_weight = round(demand.over_weight / tm.scale)
        for d, row in enumerate(demand.required):
            for period, required in enumerate(row):
                t = d * periods + period
                present = tm.present.get((demand.queue, t), [])
                if not present:
                    if required > 0:
                        rm.terms["under_cover"].append((demand.under_weight, required))
                        rm.interval_short[(demand.queue, d, period)] = required * tm.scale
                    continue
                weighted = [(e, units[(e, demand.queue)]) for e in present]
                under, over = cover_shortfall(
                    rm.model,
                    [tm.on_phone(weighted, demand.queue, [t])],
                    max(required, 0) * tm.scale,
                    f"{demand.queue}_{d}_{period}",
                    most_over=sum(units for _, units in weighted),
                )
                rm.terms["under_cover"].append((under_weight, under))
                if over_weight:
                    rm.terms["over_cover"].append((over_weight, over))
                rm.interval_short[(demand.queue, d, period)] = under


def _units(tm: TrainingModel) -> dict[tuple[int, str], int]:
    """(employee, queue) -> the units of cover they give (their share x scale / 100)."""
    p = tm.problem
    units: dict[tuple[int, str], int] = {}
    for e, employee in enumerate(p.employees):
        entries = {entry.queue: entry for entry in employee.proficiency}
        for demand in p.interval_demand:
            share = p.training.share_percent(entries.get(demand.queue))
            units[(e, demand.queue)] = share * tm.scale // 100
    return units


# --- Pairing -------------------------------------------------------------------------------


def trainees_and_mentors(problem: Problem) -> dict[str, tuple[list[int], list[int]]]:
    """Queue -> (its trainees, its mentors), employee indexes, for queues with trainees."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    for e, employee in enumerate(problem.employees):
        for entry in employee.proficiency:
            if entry.level == Proficiency.TRAINEE:
                found.setdefault(entry.queue, ([], []))[0].append(e)
    for e, employee in enumerate(problem.employees):
        for entry in employee.proficiency:
            if entry.level == Proficiency.MENTOR and entry.queue in found:
                found[entry.queue][1].append(e)
    return found


def _pairing(tm: TrainingModel) -> None:
    """Every interval: trainees on a queue's phone <= trainees_per_mentor x its mentors on
    the phone (so each trainee can sit with a mentor, no mentor with more than that many)."""
    rm, p = tm.rm, tm.problem
    per_mentor = max(p.training.trainees_per_mentor, 0)
    for queue, (trainees, mentors) in trainees_and_mentors(p).items():
        learners = set(trainees)
        intervals = sorted({t for (e, q, t) in tm.phone if q == queue and e in learners})
        weighted = [(e, 1) for e in trainees] + [(m, -per_mentor) for m in mentors]
        for t in intervals:
            rm.model.add(tm.on_phone(weighted, queue, [t]) <= 0)


# --- Supervised minutes --------------------------------------------------------------------


def _supervised_minutes(tm: TrainingModel) -> None:
    """Per trainee plan and week: supervised (= on the queue's phone) minutes at most the
    plan's maximum; below its minimum (its share in a partial week) costs per minute."""
    rm, p = tm.rm, tm.problem
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    minutes = p.interval_minutes
    periods = p.periods_per_day
    for plan in p.trainee_plans:
        e = index.get(plan.employee)
        if e is None:
            continue
        for w, week in enumerate(p.weeks()):
            intervals = [
                t
                for d in week
                for t in range(d * periods, (d + 1) * periods)
                if (e, plan.queue, t) in tm.phone
            ]
            supervised = tm.on_phone([(e, minutes)], plan.queue, intervals)
            tm.supervised[(e, plan.queue, w)] = supervised
            if plan.max_supervised_minutes_per_week is not None:
                rm.model.add(supervised <= plan.max_supervised_minutes_per_week)
            owed = plan.min_supervised_minutes_per_week * len(week) // 7
            if owed <= 0:
                continue
            short = rm.model.new_int_var(0, owed, f"supervised_short_{e}_{plan.queue}_{w}")
            rm.model.add(supervised + short >= owed)
            tm.supervised_short[(e, plan.queue, w)] = short
            rm.terms["supervised_short"].append((supervised_short_weight(p), short))


TRAINING_FAMILIES: tuple[tuple[str, Callable[[TrainingModel], None]], ...] = (
    ("sessions", _sessions),
    ("weighted_cover", _weighted_cover),
    ("pairing", _pairing),
    ("supervised_minutes", _supervised_minutes),
)
