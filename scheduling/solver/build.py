"""The CP-SAT model of a roster: one function per constraint family, named objective terms.

x[e, d, o] = 1 when employee e works option o (see options.py) on day d; works[e][d] is their
sum. Hard rules are constraints; soft goals are terms of a weighted sum, each kept by name so
the solution can report it.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.solver.cover import cover_shortfall
from scheduling.solver.model import BreakRule, Employee, Problem, Request, ShiftTemplate
from scheduling.solver.options import (
    ShiftOption,
    allowed,
    break_starts,
    day_options,
    fitting_breaks,
)

Literal = cp_model.IntVar
# One C++ call for a sum (Python's sum() builds it a term at a time: a third of a large
# model's build); the constraint written is the same.
total = cp_model.LinearExpr.sum


@dataclass
class RosterModel:
    problem: Problem
    break_choices: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    options: list[list[ShiftOption]] = field(default_factory=list)
    # x[e][d]: option index on day d -> variable
    x: list[list[dict[int, Literal]]] = field(default_factory=list)
    works: list[list[cp_model.LinearExprT]] = field(default_factory=list)
    terms: dict[str, list[tuple[int, cp_model.LinearExprT]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # Under-cover per headcount line (day, template) and per interval (queue, day, period),
    # for reporting unmet demand: a variable, or a constant where no one can cover.
    headcount_short: dict[tuple[int, str], cp_model.LinearExprT] = field(default_factory=dict)
    interval_short: dict[tuple[str, int, int], cp_model.LinearExprT] = field(default_factory=dict)
    # With break_choices: (day, option, k) -> the option's k-th break rule and, per allowed
    # start, how many of those working the option take that break there.
    break_counts: dict[
        tuple[int, int, int], tuple[BreakRule, list[tuple[int, cp_model.IntVar]]]
    ] = field(default_factory=dict)
    # Variable index -> the employee whose rules alone it belongs to (assignments, days
    # worked, weekends worked): what the LP bound aggregates (relax.py).
    owner: dict[int, int] = field(default_factory=dict)
    # Constraint family -> the indexes of its constraints in the model's proto.
    families: dict[str, range] = field(default_factory=dict)
    # (e, d) -> template -> its variables; filled once x is complete (see by_template).
    _by_template: dict[tuple[int, int], dict[str, list[Literal]]] = field(default_factory=dict)

    def term(self, name: str) -> cp_model.LinearExprT:
        return sum(coef * expr for coef, expr in self.terms.get(name, []))

    def objective(self) -> cp_model.LinearExprT:
        return sum(self.term(name) for name in self.terms)

    def template_vars(self, e: int, d: int, template: str) -> list[Literal]:
        return self.by_template(e, d).get(template, [])

    def by_template(self, e: int, d: int) -> dict[str, list[Literal]]:
        """Employee e's variables on day d grouped by template (computed once: the
        constraint families ask for them hundreds of thousands of times on a large model)."""
        grouped = self._by_template.get((e, d))
        if grouped is None:
            grouped = defaultdict(list)
            for o, v in self.x[e][d].items():
                grouped[self.options[d][o].template].append(v)
            grouped = self._by_template[(e, d)] = dict(grouped)
        return grouped


def build(
    problem: Problem,
    *,
    break_choices: bool = False,
    options: list[list[ShiftOption]] | None = None,
) -> RosterModel:
    """The model; `break_choices`: each break is placed by the model among its allowed
    starts (as counts per shift option, _cover_with_break_counts) instead of sitting at its
    nominal place: the model then counts cover as the roster has it once its breaks are
    placed (breaks.py), for the LP bound (relax.py) and for the search of interval rosters
    (solve.py). `options`: the day options of a problem with the same templates and days
    (a restricted problem's are its whole problem's: half the build of one person's
    model)."""
    rm = RosterModel(problem, break_choices=break_choices)
    rm.options = (
        options if options is not None else [day_options(problem, d) for d in range(problem.days)]
    )
    for family, add in FAMILIES:
        before = len(rm.model.proto.constraints)
        add(rm)
        rm.families[family] = range(before, len(rm.model.proto.constraints))
    rm.model.minimize(rm.objective())
    return rm


# --- Assignment ---------------------------------------------------------------------------


def _assignment_variables(rm: RosterModel) -> None:
    """At most one option per employee and day (a shift belongs to the day it starts)."""
    p = rm.problem
    for e, employee in enumerate(p.employees):
        per_day: list[dict[int, Literal]] = []
        works: list[cp_model.LinearExprT] = []
        for d in range(p.days):
            chosen = {
                o: rm.model.new_bool_var(f"x_{e}_{d}_{o}")
                for o, option in enumerate(rm.options[d])
                if allowed(employee, option, p)
            }
            per_day.append(chosen)
            rm.owner.update((v.index, e) for v in chosen.values())
            if chosen:
                w = rm.model.new_bool_var(f"w_{e}_{d}")
                rm.owner[w.index] = e
                rm.model.add(total(list(chosen.values())) == w)
                works.append(w)
            else:
                works.append(0)
        rm.x.append(per_day)
        rm.works.append(works)


def _pins(rm: RosterModel) -> None:
    index = {emp.id: e for e, emp in enumerate(rm.problem.employees)}
    for pin in rm.problem.pins:
        e = index[pin.employee]
        matches = [
            v
            for o, v in rm.x[e][pin.day].items()
            if rm.options[pin.day][o].template == pin.template
            and rm.options[pin.day][o].start_minute == pin.start_minute
            and rm.options[pin.day][o].length_minutes == pin.length_minutes
        ]
        if matches:  # a pin the rules do not allow is reported by precheck instead
            rm.model.add(matches[0] == 1)


# --- Sequences of days ---------------------------------------------------------------------


def _rest(rm: RosterModel) -> None:
    """Minimum rest between the end of one shift and the start of the next (UTC minutes)."""
    p = rm.problem
    for e, employee in enumerate(p.employees):
        rest = employee.contract.min_rest_minutes
        if rest <= 0:
            continue
        for d in range(p.days):
            for gap in (1, 2):
                if d + gap >= p.days:
                    continue
                earlier = rm.x[e][d]
                later_by_start: dict[int, list[Literal]] = defaultdict(list)
                for o, v in rm.x[e][d + gap].items():
                    later_by_start[rm.options[d + gap][o].start_minute].append(v)
                for start, later in later_by_start.items():
                    clash = [
                        v for o, v in earlier.items() if rm.options[d][o].end_minute + rest > start
                    ]
                    if clash:
                        rm.model.add_at_most_one(clash + later)


def _forbidden_transitions(rm: RosterModel) -> None:
    """A shift of template A on day d excludes, on day d+1, every template that may not
    follow A: one constraint per A (at most one shift a day makes it the same as one per
    forbidden pair, with a fraction of the constraints: Curtois & Qu 12 has 36 pairs over
    10 templates). Written as at-most-one constraints, which is what presolve makes of
    them: a third of the build time of the linear form (150 people of 32 templates with
    299 forbidden pairs: 2.2 s of a 3.9-s build)."""
    p = rm.problem
    followers: dict[str, list[str]] = defaultdict(list)
    for first, second in sorted(p.forbidden_transitions):  # a set: its order is the hash's
        followers[first].append(second)
    for e in range(len(p.employees)):
        for d in range(p.days - 1):
            today, tomorrow = rm.by_template(e, d), rm.by_template(e, d + 1)
            for first, seconds in followers.items():
                a = today.get(first)
                if not a:
                    continue
                b = [v for second in seconds for v in tomorrow.get(second, ())]
                if b:
                    rm.model.add_at_most_one(a + b)


def _template_maximums(rm: RosterModel) -> None:
    p = rm.problem
    for e, employee in enumerate(p.employees):
        for template, maximum in employee.contract.max_shifts_per_template:
            worked = [v for d in range(p.days) for v in rm.template_vars(e, d, template)]
            if len(worked) > maximum:
                rm.model.add(total(worked) <= maximum)


def _paid(rm: RosterModel, e: int, days: Sequence[int]) -> cp_model.LinearExprT:
    variables, minutes = [], []
    for d in days:
        options = rm.options[d]
        for o, v in rm.x[e][d].items():
            variables.append(v)
            minutes.append(options[o].paid_minutes)
    return cp_model.LinearExpr.weighted_sum(variables, minutes)


def _minutes(rm: RosterModel) -> None:
    p = rm.problem
    for e, employee in enumerate(p.employees):
        c = employee.contract
        everything = range(p.days)
        if c.max_minutes_total is not None:
            rm.model.add(_paid(rm, e, everything) <= c.max_minutes_total)
        if c.min_minutes_total is not None:
            rm.model.add(_paid(rm, e, everything) >= c.min_minutes_total)
        for week in p.weeks():
            if c.max_minutes_per_week is not None:
                rm.model.add(_paid(rm, e, week) <= c.max_minutes_per_week)
            # A partial week at the horizon's edge only owes its share of the minimum.
            if c.min_minutes_per_week is not None:
                owed = c.min_minutes_per_week * len(week) // 7
                rm.model.add(_paid(rm, e, week) >= owed)


def _days_per_week(rm: RosterModel) -> None:
    p = rm.problem
    for e, employee in enumerate(p.employees):
        maximum = employee.contract.max_days_per_week
        if maximum is None:
            continue
        for week in p.weeks():
            if len(week) > maximum:
                rm.model.add(total([rm.works[e][d] for d in week]) <= maximum)


def _max_consecutive_days(rm: RosterModel) -> None:
    """No window of max+1 consecutive days all worked, counting days carried in."""
    p = rm.problem
    for e, employee in enumerate(p.employees):
        maximum = employee.contract.max_consecutive_days
        if maximum is None:
            continue
        carried = min(employee.carried.consecutive_days_worked, maximum + 1)
        for first in range(-carried, p.days - maximum):
            window = range(first, first + maximum + 1)
            known = sum(1 for d in window if d < 0)
            inside = [rm.works[e][d] for d in window if d >= 0]
            rm.model.add(total(inside) <= maximum - known)


def _status_before(employee: Employee) -> bool | None:
    """Whether the day before day 0 was worked (True/False), or unknown (None)."""
    carried = employee.carried
    if carried.consecutive_days_worked:
        return True
    if carried.consecutive_days_off:
        return False
    return None


def _min_consecutive(rm: RosterModel, *, working: bool) -> None:
    """Runs of worked (or free) days shorter than the minimum are forbidden, except runs that
    touch the horizon's ends when the problem exempts them."""
    p = rm.problem
    for e, employee in enumerate(p.employees):
        c = employee.contract
        minimum = c.min_consecutive_days if working else c.min_consecutive_days_off
        if not minimum or minimum <= 1:
            continue

        works = rm.works[e]

        def on(d: int, works: list[cp_model.LinearExprT] = works) -> cp_model.LinearExprT:
            return works[d] if working else 1 - works[d]

        before = _status_before(employee)
        for start in range(p.days):
            for length in range(1, minimum):
                end = start + length  # first day after the run
                if end >= p.days:
                    continue  # a run reaching the horizon's end may go on after it
                # Literals that must not all hold: day before off, run on, day after off.
                inside = [on(d) for d in range(start, end)]
                prior: list[cp_model.LinearExprT] = []
                if start == 0:
                    if p.min_runs_exempt_at_borders or before is None:
                        continue
                    if before if working else not before:
                        continue  # the run started before the horizon
                else:
                    prior = [1 - on(start - 1)]
                clause = [*prior, *inside, 1 - on(end)]
                rm.model.add(total(clause) <= len(clause) - 1)


def _weekends(rm: RosterModel) -> None:
    p = rm.problem
    weekends = p.weekends()
    for e, employee in enumerate(p.employees):
        maximum = employee.contract.max_weekends
        if maximum is None or not p.weekends_limited(employee):
            continue
        worked = []
        for days in weekends:
            flag = rm.model.new_bool_var(f"weekend_{e}_{days[0]}")
            rm.owner[flag.index] = e
            day_vars = [rm.works[e][d] for d in days]
            for v in day_vars:
                rm.model.add(flag >= v)
            rm.model.add(flag <= sum(day_vars))
            worked.append(flag)
        rm.model.add(sum(worked) <= maximum)


# --- Demand --------------------------------------------------------------------------------


def _shortfall(
    rm: RosterModel,
    covering: Sequence[cp_model.LinearExprT],
    required: int,
    under_weight: int,
    over_weight: int,
    name: str,
) -> cp_model.LinearExprT:
    """covered + under - over == required, with under and over in the objective; returns
    the under-cover variable, or the constant shortfall when no one can cover the line (in
    the one-person problems a first roster is grown from, the lines of every shift type that
    person cannot work)."""
    if not covering:
        short = max(required, 0)
        if short:
            rm.terms["under_cover"].append((under_weight, short))
        return short
    under, over = cover_shortfall(rm.model, covering, required, name)
    rm.terms["under_cover"].append((under_weight, under))
    if over_weight:
        rm.terms["over_cover"].append((over_weight, over))
    return under


def _headcount_cover(rm: RosterModel) -> None:
    p = rm.problem
    for line in p.headcount_demand:
        covering = [
            v for e in range(len(p.employees)) for v in rm.template_vars(e, line.day, line.template)
        ]
        rm.headcount_short[(line.day, line.template)] = _shortfall(
            rm, covering, line.required, line.under_weight, line.over_weight,
            f"{line.day}_{line.template}",
        )  # fmt: skip


def _interval_cover(rm: RosterModel) -> None:
    p = rm.problem
    if not p.interval_demand:
        return
    single_queue = len(p.interval_demand) == 1
    periods = p.periods_per_day
    for demand in p.interval_demand:
        covering: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
        working: dict[tuple[int, int], list[Literal]] = defaultdict(list)
        for e in range(len(p.employees)):
            for d in range(p.days):
                for o, v in rm.x[e][d].items():
                    option = rm.options[d][o]
                    if option.activity != "phone":
                        continue
                    if option.queue != demand.queue and not (single_queue and option.queue is None):
                        continue
                    if rm.break_choices:
                        working[(d, o)].append(v)
                        continue
                    for t in option.covered_intervals(p.interval_minutes):
                        covering[t].append(v)
        templates = {t.id: t for t in p.templates}
        for (d, o), people in working.items():
            template = templates[rm.options[d][o].template]
            _cover_with_break_counts(rm, d, o, template, people, covering)
        for d, row in enumerate(demand.required):
            for period, required in enumerate(row):
                t = d * periods + period
                if required <= 0 and not covering.get(t):
                    continue
                rm.interval_short[(demand.queue, d, period)] = _shortfall(
                    rm, covering.get(t, []), required, demand.under_weight, demand.over_weight,
                    f"{demand.queue}_{d}_{period}",
                )  # fmt: skip


def _cover_with_break_counts(
    rm: RosterModel,
    d: int,
    o: int,
    template: ShiftTemplate,
    people: list[Literal],
    covering: dict[int, list[cp_model.LinearExprT]],
) -> None:
    """Everyone working option o on day d covers its whole span less one break per rule,
    placed by counts: how many of them take the rule's break at each allowed start (they
    sum to how many work the option). People on the same option are alike for cover, so the
    counts place breaks exactly as a choice per person would, with a few variables per
    option instead of one per person and start (Amsterdam's week: 52 000 -> a few
    thousand). The counts are the model's own (rm.break_counts), not any one person's."""
    option = rm.options[d][o]
    minutes = rm.problem.interval_minutes
    span = range(option.start_minute // minutes, -(-option.end_minute // minutes))
    for t in span:
        covering[t].extend(people)
    placed: list[tuple[BreakRule, list[tuple[int, cp_model.IntVar]]]] = []
    for k, rule in enumerate(fitting_breaks(template, option.length_minutes)):
        starts = break_starts(rule, option.start_minute, option.length_minutes)
        counts = [rm.model.new_int_var(0, len(people), f"breaks_{d}_{o}_{k}_{s}") for s in starts]
        rm.model.add(sum(counts) == sum(people))
        rm.break_counts[(d, o, k)] = (rule, list(zip(starts, counts, strict=True)))
        for start, count in zip(starts, counts, strict=True):
            for t in range(start // minutes, -(-(start + rule.length_minutes) // minutes)):
                covering[t].append(-count)
        for earlier in placed:
            _one_break_at_a_time(rm.model, earlier, rm.break_counts[(d, o, k)])
        placed.append(rm.break_counts[(d, o, k)])


BreakCounts = tuple[BreakRule, list[tuple[int, cp_model.IntVar]]]


def _one_break_at_a_time(model: cp_model.CpModel, first: BreakCounts, second: BreakCounts) -> None:
    """Counts of two break rules of one option that can be handed out with no one on two
    breaks at once (break_handout.py). Hall's condition for matching the first rule's breaks
    to the second's clear of them: no set S of the first's and T of the second's, each of S
    meeting each of T, with more than the option's n people in all, since each person
    holds one of S or T at most. Such sets are, at their largest, S the first's starts in
    [a, b + second's length) and T the second's in [b, a + first's length) for a start a of
    the first and b of the second that meet; with the first's counts summing to n,
    count(T) <= count(the first's not in S). Every roster meets these (a relaxation still,
    the LP bound stays valid) and they make the counts' hand-out exact for two rules, or
    rules whose breaks meet in no cycle."""
    (rule_a, counts_a), (rule_b, counts_b) = first, second
    length_a, length_b = rule_a.length_minutes, rule_b.length_minutes
    starts_a, starts_b = [x for x, _ in counts_a], [y for y, _ in counts_b]  # ascending
    seen: set[tuple[int, int, int, int]] = set()
    for a in starts_a:
        # b meets a: a - length_b < b < a + length_a
        for b in starts_b[
            bisect_right(starts_b, a - length_b) : bisect_left(starts_b, a + length_a)
        ]:
            s = (bisect_left(starts_a, a), bisect_left(starts_a, b + length_b))
            t = (bisect_left(starts_b, b), bisect_left(starts_b, a + length_a))
            if (*s, *t) in seen:
                continue
            seen.add((*s, *t))
            rest = [count for _, count in counts_a[: s[0]] + counts_a[s[1] :]]
            model.add(sum(count for _, count in counts_b[t[0] : t[1]]) <= sum(rest))


# --- Soft goals ----------------------------------------------------------------------------


def _request_vars(rm: RosterModel, e: int, request: Request) -> list[Literal]:
    if request.template is None:
        return list(rm.x[e][request.day].values())
    return rm.template_vars(e, request.day, request.template)


def _requests(rm: RosterModel) -> None:
    p = rm.problem
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    weight = p.weights.request
    for request in p.requests:
        e = index.get(request.employee)
        if e is None or not 0 <= request.day < p.days:
            continue
        granted = _request_vars(rm, e, request)
        if request.on:
            rm.terms["requests"].append((weight * request.weight, 1 - sum(granted)))
        elif granted:
            rm.terms["requests"].append((weight * request.weight, sum(granted)))


def _paid_cost(rm: RosterModel) -> None:
    p = rm.problem
    if not p.weights.paid_minute:
        return
    for e, employee in enumerate(p.employees):
        rate = employee.cost_per_hour if employee.cost_per_hour > 0 else 1.0
        for d in range(p.days):
            for o, v in rm.x[e][d].items():
                coefficient = round(rm.options[d][o].paid_minutes * rate * p.weights.paid_minute)
                rm.terms["paid"].append((coefficient, v))


def _spread(rm: RosterModel, name: str, weight: int, counts: list[cp_model.LinearExprT]) -> None:
    """weight x (most - fewest) across employees: a fair share of unpopular work."""
    if not weight or len(counts) < 2:
        return
    upper = rm.problem.days
    most = rm.model.new_int_var(0, upper, f"{name}_most")
    fewest = rm.model.new_int_var(0, upper, f"{name}_fewest")
    for count in counts:
        rm.model.add(most >= count)
        rm.model.add(fewest <= count)
    rm.terms[name].append((weight, most - fewest))


def _fairness(rm: RosterModel) -> None:
    p = rm.problem
    w = p.weights
    employees = range(len(p.employees))
    weekend_days = [d for days in p.weekends() for d in days]
    _spread(
        rm,
        "fair_weekends",
        w.fairness_weekends,
        [sum(rm.works[e][d] for d in weekend_days) for e in employees],
    )
    for name, weight, flag in (
        ("fair_nights", w.fairness_nights, "is_night"),
        ("fair_late", w.fairness_late, "is_late"),
    ):
        _spread(
            rm,
            name,
            weight,
            [
                sum(
                    v
                    for d in range(p.days)
                    for o, v in rm.x[e][d].items()
                    if getattr(rm.options[d][o], flag)
                )
                for e in employees
            ],
        )


def _min_consecutive_days(rm: RosterModel) -> None:
    _min_consecutive(rm, working=True)


def _min_consecutive_days_off(rm: RosterModel) -> None:
    _min_consecutive(rm, working=False)


# Every constraint family and objective term, in the order they are added.
FAMILIES: tuple[tuple[str, Callable[[RosterModel], None]], ...] = (
    ("assignment", _assignment_variables),
    ("pins", _pins),
    ("rest", _rest),
    ("forbidden_transitions", _forbidden_transitions),
    ("template_maximums", _template_maximums),
    ("minutes", _minutes),
    ("days_per_week", _days_per_week),
    ("max_consecutive_days", _max_consecutive_days),
    ("min_consecutive_days", _min_consecutive_days),
    ("min_consecutive_days_off", _min_consecutive_days_off),
    ("weekends", _weekends),
    ("headcount_cover", _headcount_cover),
    ("interval_cover", _interval_cover),
    ("requests", _requests),
    ("paid", _paid_cost),
    ("fairness", _fairness),
)
