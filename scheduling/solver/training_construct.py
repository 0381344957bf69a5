"""A first roster of the training core, built greedily, for the search to start from.

The whole model's search finds a first roster of trainees slowly (pairing ties every interval
a trainee is on the phone to the mentors', and leaving sessions unplaced is the easy way out),
so this one is built to satisfy pairing by construction: sessions at their quiet starts
(training.quiet_starts), their attendees on shifts holding them; the other people on the days
and shifts that cover most of what is still wanted; then each trainee on exactly the shift of
a mentor of their queue who has room and is in no session the trainee is not in, so the
trainee is on the phone only when that mentor is.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from scheduling.solver.model import Employee, Problem, Proficiency
from scheduling.solver.options import ShiftOption
from scheduling.solver.training import TrainingModel, phone_queue, quiet_starts


@dataclass
class Plan:
    tm: TrainingModel
    shifts: dict[tuple[int, int], int] = field(default_factory=dict)  # (e, day) -> option
    starts: dict[int, int] = field(default_factory=dict)  # session -> start
    attending: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    sessions_of: dict[tuple[int, int], set[int]] = field(default_factory=lambda: defaultdict(set))
    paired: dict[tuple[int, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    wanted: dict[tuple[str, int], float] = field(default_factory=dict)  # agents still wanted
    teaching: set[tuple[int, int]] = field(default_factory=set)  # (trainer, day) of a session

    @property
    def problem(self) -> Problem:
        return self.tm.problem

    def option(self, d: int, o: int) -> ShiftOption:
        return self.tm.rm.options[d][o]


def first_core_roster(tm: TrainingModel) -> Plan:
    plan = Plan(tm)
    p = tm.problem
    periods = p.periods_per_day
    for demand in p.interval_demand:
        for d, row in enumerate(demand.required):
            for period, need in enumerate(row):
                plan.wanted[(demand.queue, d * periods + period)] = float(need)
    plan.starts = quiet_starts(tm)
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    for s, start in plan.starts.items():
        trainer = p.sessions[s].trainer
        if trainer in index:
            plan.teaching.update(
                {(index[trainer], start // 1440), (index[trainer], start // 1440 - 1)}
            )
    trainees = {e for e, emp in enumerate(p.employees) if _trainee_queue(emp)}
    for s in sorted(plan.starts):
        _place_session(plan, s, trainees)
    for e in range(len(p.employees)):
        if e not in trainees:
            _fill(plan, e)
    for e in sorted(trainees):
        _fill_trainee(plan, e)
    return plan


def hint_values(plan: Plan) -> dict[int, int]:
    """Variable index -> value of the plan in the model (assignments, starts, attendance)."""
    tm = plan.tm
    values: dict[int, int] = {}
    for e, per_day in enumerate(tm.rm.x):
        for d, chosen in enumerate(per_day):
            for o, v in chosen.items():
                values[v.index] = int(plan.shifts.get((e, d)) == o)
    for s, starts in enumerate(tm.starts):
        placed = plan.starts.get(s) if plan.attending.get(s) else None
        for k, v in starts.items():
            values[v.index] = int(k == placed)
        values[tm.unplaced[s].index] = int(placed is None)
    for (s, e, k), z in tm.attend_at.items():
        values[z.index] = int(plan.starts.get(s) == k and e in plan.attending.get(s, ()))
    return values


# --- Rules a shift added must keep ------------------------------------------------------------


def _trainee_queue(employee: Employee) -> str | None:
    return next((x.queue for x in employee.proficiency if x.level == Proficiency.TRAINEE), None)


def _week_days(p: Problem, d: int) -> tuple[int, ...]:
    return next(w for w in p.weeks() if d in w)


def _can_add(plan: Plan, e: int, d: int, o: int) -> bool:
    """Whether e may work option o on day d beside their other shifts (contract, rest,
    transitions, and a trainee's supervised maximum)."""
    p, tm = plan.problem, plan.tm
    if (e, d) in plan.shifts or o not in tm.rm.x[e][d]:
        return False
    employee, option = p.employees[e], plan.option(d, o)
    c = employee.contract
    week = _week_days(p, d)
    mine = [
        (day, plan.option(day, plan.shifts[(e, day)])) for day in week if (e, day) in plan.shifts
    ]
    if c.max_days_per_week is not None and len(mine) + 1 > c.max_days_per_week:
        return False
    paid = sum(x.paid_minutes for _, x in mine) + option.paid_minutes
    if c.max_minutes_per_week is not None and paid > c.max_minutes_per_week:
        return False
    if c.max_minutes_total is not None:
        total = sum(
            plan.option(day, oo).paid_minutes for (ee, day), oo in plan.shifts.items() if ee == e
        )
        if total + option.paid_minutes > c.max_minutes_total:
            return False
    if not _rest_and_runs(plan, e, d, option):
        return False
    queue = _trainee_queue(employee)
    return queue is None or _supervised_room(plan, e, queue, week, option)


def _rest_and_runs(plan: Plan, e: int, d: int, option: ShiftOption) -> bool:
    p = plan.problem
    c = p.employees[e].contract
    for other in (d - 2, d - 1, d + 1, d + 2):
        o = plan.shifts.get((e, other))
        if o is None:
            continue
        x = plan.option(other, o)
        first, second = (x, option) if other < d else (option, x)
        if second.start_minute - first.end_minute < c.min_rest_minutes:
            return False
        if other in (d - 1, d + 1) and (first.template, second.template) in p.forbidden_transitions:
            return False
    for template, maximum in c.max_shifts_per_template:
        if template == option.template:
            count = sum(1 for (ee, day), oo in plan.shifts.items()
                        if ee == e and plan.option(day, oo).template == template)  # fmt: skip
            if count + 1 > maximum:
                return False
    if c.max_consecutive_days is not None:
        run = 1
        day = d - 1
        while (e, day) in plan.shifts:
            run, day = run + 1, day - 1
        if day < 0:
            run += p.employees[e].carried.consecutive_days_worked
        day = d + 1
        while (e, day) in plan.shifts:
            run, day = run + 1, day + 1
        if run > c.max_consecutive_days:
            return False
    return True


def _supervised_room(
    plan: Plan, e: int, queue: str, week: tuple[int, ...], option: ShiftOption
) -> bool:
    p = plan.problem
    cap = next(
        (x.max_supervised_minutes_per_week for x in p.trainee_plans
         if x.employee == p.employees[e].id and x.queue == queue),
        None,
    )  # fmt: skip
    if cap is None:
        return True
    width = p.interval_minutes

    def phone(x: ShiftOption) -> int:
        return width * len(x.covered_intervals(width)) if phone_queue(p, x) == queue else 0

    used = sum(
        phone(plan.option(day, plan.shifts[(e, day)])) for day in week if (e, day) in plan.shifts
    )
    return used + phone(option) <= cap


# --- Building ---------------------------------------------------------------------------------


def _gain(plan: Plan, e: int, option: ShiftOption) -> float:
    """Agents-intervals still wanted that the shift would cover (at the person's share)."""
    p = plan.problem
    queue = phone_queue(p, option)
    if queue is None:
        return 0.0
    share = (
        p.training.share_percent(
            next((x for x in p.employees[e].proficiency if x.queue == queue), None)
        )
        / 100
    )
    return sum(
        min(share, max(0.0, plan.wanted.get((queue, t), 0.0)))
        for t in option.covered_intervals(p.interval_minutes)
    )


def _add(plan: Plan, e: int, d: int, o: int) -> None:
    p = plan.problem
    option = plan.option(d, o)
    plan.shifts[(e, d)] = o
    queue = phone_queue(p, option)
    if queue is None:
        return
    share = (
        p.training.share_percent(
            next((x for x in p.employees[e].proficiency if x.queue == queue), None)
        )
        / 100
    )
    for t in option.covered_intervals(p.interval_minutes):
        if (queue, t) in plan.wanted:
            plan.wanted[(queue, t)] -= share


def _fill(plan: Plan, e: int) -> None:
    """Days and shifts covering most of what is still wanted, while the rules allow."""
    p = plan.problem
    best: list[tuple[float, int, int]] = []
    for d in range(p.days):
        if (e, d) in plan.shifts:
            continue
        scored = [(_gain(plan, e, plan.option(d, o)), d, o) for o in plan.tm.rm.x[e][d]]
        if scored:
            best.append(max(scored))
    for gain, d, o in sorted(best, reverse=True):
        if gain > 0 and _can_add(plan, e, d, o):
            _add(plan, e, d, o)


def _free_mentor(plan: Plan, m: int, d: int, sessions: set[int]) -> bool:
    """Whether mentor m's sessions on day d are all ones the trainee attends too."""
    return plan.sessions_of[(m, d)] <= sessions


def _pair(plan: Plan, e: int, d: int, options: list[int], sessions: set[int]) -> int | None:
    """An option of `options` for trainee e on day d beside a mentor of their queue with
    room: one already working it, else one added on it. The option, or None."""
    p = plan.problem
    queue = _trainee_queue(p.employees[e])
    per_mentor = p.training.trainees_per_mentor
    mentors = [m for m, emp in enumerate(p.employees) if emp.level(queue) == Proficiency.MENTOR]
    for o in options:
        if not _can_add(plan, e, d, o):
            continue
        for m in mentors:
            if (
                plan.shifts.get((m, d)) == o
                and len(plan.paired[(m, d)]) < per_mentor
                and _free_mentor(plan, m, d, sessions)
            ):
                plan.paired[(m, d)].append(e)
                return o
        for m in mentors:
            if (m, d) in plan.teaching:
                continue  # kept for the session they lead that day
            if not plan.sessions_of[(m, d)] and _can_add(plan, m, d, o):
                _add(plan, m, d, o)
                plan.paired[(m, d)].append(e)
                return o
    return None


def _fill_trainee(plan: Plan, e: int) -> None:
    """The trainee beside a mentor on the days most still wanted on their queue."""
    p = plan.problem
    queue = _trainee_queue(p.employees[e])
    periods = p.periods_per_day

    def still_wanted(d: int) -> float:
        return sum(max(0.0, plan.wanted.get((queue or "", t), 0.0))
                   for t in range(d * periods, (d + 1) * periods))  # fmt: skip

    for d in sorted(range(p.days), key=still_wanted, reverse=True):
        if (e, d) in plan.shifts:
            continue
        options = sorted(plan.tm.rm.x[e][d], key=lambda o: -_gain(plan, e, plan.option(d, o)))
        chosen = _pair(plan, e, d, options, set())
        if chosen is not None:
            _add(plan, e, d, chosen)


def _holding(plan: Plan, e: int, start: int, length: int) -> list[tuple[int, int]]:
    """(day, option) of e's that could hold a session at start."""
    p = plan.problem
    day = start // 1440
    return [
        (d, o)
        for d in (day, day - 1)
        if 0 <= d < p.days
        for o in plan.tm.rm.x[e][d]
        if _holds(plan.option(d, o), start, length)
    ]


def _holds(option: ShiftOption, start: int, length: int) -> bool:
    if option.start_minute > start or option.end_minute < start + length:
        return False
    return all(
        b.start_minute >= start + length or b.start_minute + b.length_minutes <= start
        for b in option.breaks
    )


def _place_session(plan: Plan, s: int, trainees: set[int]) -> None:
    """Attendees of session s on shifts holding it, the trainer first; when too few can,
    the session is left out of the first roster (the search may still place it)."""
    p = plan.problem
    session = p.sessions[s]
    start, length = plan.starts[s], session.length_minutes
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    order = sorted(
        (index[w] for w in session.attendees if w in index),
        key=lambda e: (p.employees[e].id != session.trainer, e in trainees),
    )
    needed = session.required_count() if session.min_attendance_percent < 100 else len(order)
    chosen: list[int] = []
    for e in order:
        if len(chosen) >= needed:
            break
        if _busy(plan, e, start, length):
            continue
        holding = _holding(plan, e, start, length)
        kept = [(d, o) for d, o in holding if plan.shifts.get((e, d)) == o]
        if kept:
            # Taking a mentor off the phone would leave the trainees beside them alone.
            if e in trainees or not plan.paired.get((e, kept[0][0])):
                chosen.append(e)
            continue
        if any((e, d) in plan.shifts for d, _ in holding):
            continue  # works that day, on a shift that does not hold it
        if e in trainees:
            by_day: dict[int, list[int]] = defaultdict(list)
            for d, o in holding:
                by_day[d].append(o)
            for d, options in by_day.items():
                paired = _pair(plan, e, d, options, {s})
                if paired is not None:
                    _add(plan, e, d, paired)
                    chosen.append(e)
                    break
            continue
        scored = sorted(holding, key=lambda x: -_gain(plan, e, plan.option(*x)))
        for d, o in scored:
            if _can_add(plan, e, d, o):
                _add(plan, e, d, o)
                chosen.append(e)
                break
    trainer = index.get(session.trainer or "")
    if len(chosen) < needed or (trainer is not None and trainer not in chosen):
        return
    plan.attending[s] = set(chosen)
    for e in chosen:
        day = next(d for d, o in _holding(plan, e, start, length) if plan.shifts.get((e, d)) == o)
        plan.sessions_of[(e, day)].add(s)


def _busy(plan: Plan, e: int, start: int, length: int) -> bool:
    p = plan.problem
    return any(
        e in people
        and plan.starts[other] < start + length
        and start < plan.starts[other] + p.sessions[other].length_minutes
        for other, people in plan.attending.items()
    )
