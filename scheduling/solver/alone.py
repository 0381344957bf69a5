"""One employee's roster against the cover everyone else gives, for the first roster.

With everyone else fixed, one person adds at most one to any demand line, so the change in
under- and over-cover their shifts make is linear in their own choices: covering a line the
others leave short gains its under weight, covering one they fill costs its over weight.
Their model is then their own rules and a priced objective, with no demand variables at all;
it is built once per person and re-priced from the cover as it changes (a fifth of the
variables of the restricted model, and no model to build on later passes).
"""

from collections import Counter
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduling.solver.build import RosterModel, build
from scheduling.solver.model import Problem
from scheduling.solver.options import ShiftOption
from scheduling.solver.restrict import restrict
from scheduling.solver.search import Search

Scarcity = dict[tuple[int, str], float]  # (day, template) -> factor on its under-cover weight


@dataclass
class Person:
    """Employee e's own rules: variables[i] stands for the search variable indexes[i]."""

    rm: RosterModel
    variables: list[cp_model.IntVar]
    indexes: list[int]
    options: list[ShiftOption]  # the shift each of the variables stands for


@dataclass
class Cover:
    """What the roster in `values` gives each demand line: headcount by (day, template) and
    agents by (queue, global interval)."""

    headcount: Counter[tuple[int, str]]
    agents: Counter[tuple[str, int]]

    @classmethod
    def of(cls, search: Search, values: list[int]) -> "Cover":
        cover = cls(Counter(), Counter())
        for i, value in enumerate(values):
            if value:
                _, d, o = search.keys[i]
                cover.count(search.rm.problem, search.rm.options[d][o], 1)
        return cover

    def count(self, problem: Problem, option: ShiftOption, sign: int) -> None:
        self.headcount[(option.day, option.template)] += sign
        for queue in queues_covered(problem, option):
            for t in option.covered_intervals(problem.interval_minutes):
                self.agents[(queue, t)] += sign


def queues_covered(problem: Problem, option: ShiftOption) -> list[str]:
    """The queues of interval demand a shift counts for (as build.py counts them)."""
    if option.activity != "phone":
        return []
    single = len(problem.interval_demand) == 1
    return [
        d.queue
        for d in problem.interval_demand
        if option.queue == d.queue or (single and option.queue is None)
    ]


def person(search: Search, e: int) -> Person:
    """Employee e's model (made once per search)."""
    made: Person | None = search.people.get(e)
    if made is None:
        p = search.rm.problem
        own = restrict(p, {p.employees[e].id}, [], demand=False)
        rm = build(own, options=search.rm.options)
        variables, indexes, options = [], [], []
        for d, per_day in enumerate(rm.x[0]):
            for o, variable in per_day.items():
                variables.append(variable)
                indexes.append(search.key_index[(e, d, o)])
                options.append(rm.options[d][o])
        made = search.people[e] = Person(rm, variables, indexes, options)
    return made


def coefficients(
    search: Search, who: Person, cover: Cover, scarcity: Scarcity | None = None
) -> list[int]:
    """Per variable of `who`, what working it changes in under- and over-cover against
    `cover` (their own shifts taken out of it). Each only grows as `cover` grows: a line
    still short gains its (scarcity-weighted) under weight, a full one costs its over
    weight."""
    p = search.rm.problem
    lines = {(line.day, line.template): line for line in p.headcount_demand}
    periods = p.periods_per_day
    result = []
    for option in who.options:
        coefficient = 0.0
        line = lines.get((option.day, option.template))
        if line is not None:
            open_ = line.required - cover.headcount[(option.day, option.template)]
            factor = scarcity.get((line.day, line.template), 1.0) if scarcity else 1.0
            coefficient += -round(line.under_weight * factor) if open_ >= 1 else line.over_weight
        for demand in p.interval_demand:
            if demand.queue not in queues_covered(p, option):
                continue
            for t in option.covered_intervals(p.interval_minutes):
                day, period = divmod(t, periods)
                if day >= len(demand.required):
                    continue
                open_ = demand.required[day][period] - cover.agents[(demand.queue, t)]
                coefficient += -demand.under_weight if open_ >= 1 else demand.over_weight
        result.append(round(coefficient))
    return result


def price(who: Person, coefficients: list[int]) -> cp_model.LinearExprT:
    """The person's objective: their own terms plus their shifts' `coefficients`."""
    terms: list[cp_model.LinearExprT] = [who.rm.objective()]
    for variable, coefficient in zip(who.variables, coefficients, strict=True):
        if coefficient:
            terms.append(coefficient * variable)
    return cp_model.LinearExpr.sum(terms)
