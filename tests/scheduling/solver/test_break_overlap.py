"""No one takes two breaks at once: the model's break counts are handed out so (and the model
admits only counts that can be), breaks are re-placed so, and nominal breaks sit so."""

import itertools
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from scheduling.rules import check
from scheduling.solver import breaks as breaks_module
from scheduling.solver import build as build_module
from scheduling.solver.break_handout import RuleCounts, hand_out
from scheduling.solver.breaks import place_breaks
from scheduling.solver.build import build
from scheduling.solver.model import (
    Assignment,
    Break,
    BreakRule,
    Contract,
    Employee,
    IntervalDemand,
    Problem,
    ShiftTemplate,
    Status,
)
from scheduling.solver.options import break_starts, day_options, offsets_apart, overlapping
from scheduling.solver.precheck import contradictions
from scheduling.solver.relax import bounds_for
from scheduling.solver.search import SolveOptions
from scheduling.solver.solve import solve
from tests.scheduling.solver.helpers import problem

COFFEE = BreakRule(15, 60, 240, 15, paid=True)  # starts 09:00-12:00 on an 08:00 shift
LUNCH = BreakRule(30, 180, 300, 15)  # starts 11:00-13:00
DAY = ShiftTemplate("D", 8 * 60, 8 * 60, (480,), breaks=(COFFEE, LUNCH))
ELEVEN = 11 * 60


def agents(needs: dict[int, int], people: int = 2) -> Problem:
    """`people` agents on 08:00-16:00 shifts, 15-min intervals, as many needed all day but
    for `needs` (interval of the day -> agents)."""
    row = [0] * 96
    for t in range(32, 64):
        row[t] = needs.get(t, people)
    return problem(
        days=1, interval_minutes=15, templates=(DAY,),
        employees=tuple(Employee(f"e{i}", Contract(min_rest_minutes=0)) for i in range(people)),
        interval_demand=(IntervalDemand("calls", (tuple(row),), 100, 1),),
    )  # fmt: skip


# The reviewer's case: one needed at 11:15, 11:45 and 13:00-13:30, none at 11:00.
REVIEWED = {44: 0, 45: 1, 47: 1, 52: 1, 53: 1}
# Both off at 11:00 and 11:15, one at 12:00-12:30: the counts coffee 11:00 and 11:15, lunch
# 11:00 and 12:00 cover it, but whoever gets the 11:00 lunch gets a coffee inside it.
TRAP = {44: 0, 45: 0, 48: 1, 49: 1}


def best_disjoint(p: Problem) -> int:
    """The least objective of any roster of the two agents with each one's coffee and lunch
    apart, by trying them all."""
    need = p.interval_demand[0].required[0]
    (option,) = day_options(p, 0)
    offs = [
        {c // 15, lunch // 15, lunch // 15 + 1}
        for c in break_starts(COFFEE, option.start_minute, option.length_minutes)
        for lunch in break_starts(LUNCH, option.start_minute, option.length_minutes)
        if not overlapping(c, 15, lunch, 30)
    ]
    best = None
    for first, second in itertools.combinations_with_replacement(offs, 2):
        got = [0] * 96
        for off in (first, second):
            for t in range(32, 64):
                got[t] += t not in off
        cost = sum(100 * max(0, n - g) + max(0, g - n) for n, g in zip(need, got, strict=True))
        best = cost if best is None else min(best, cost)
    assert best is not None
    return best


def model_optimum(p: Problem) -> int:
    rm = build(p, break_choices=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(rm.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_every_seed_hands_out_the_breaks_apart_and_proves_the_optimum() -> None:
    """Seeds 0 and 2 gave e1 the 11:00 coffee and the 11:00 lunch and reported a feasible 1.0
    (over-cover the model did not count) where seed 1 proved 0.0."""
    p = agents(REVIEWED)
    for seed in range(3):
        options = SolveOptions(time_limit_seconds=5, num_workers=1, seed=seed, deterministic=True)
        solution = solve(p, options)
        assert check(p, solution.assignments) == []
        assert (solution.status, solution.objective) == (Status.OPTIMAL, 0.0)
        assert solution.bound <= solution.objective


def test_the_model_admits_only_counts_that_can_be_handed_out_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the condition the model reaches exactly the best roster of breaks apart (101: an
    agent short somewhere); without it, counts no hand-out can give, at 0. The LP bound
    stays below the best roster, and the solve reaches and proves it."""
    p = agents(TRAP)
    best = best_disjoint(p)
    assert best == 101
    assert model_optimum(p) == best
    _, bounds = bounds_for(p, seconds=10)
    assert bounds is not None
    assert bounds.objective <= best
    solution = solve(p, SolveOptions(time_limit_seconds=5, num_workers=1, deterministic=True))
    assert check(p, solution.assignments) == []
    assert (solution.status, solution.objective) == (Status.OPTIMAL, best)
    assert model_optimum(agents(REVIEWED)) == best_disjoint(agents(REVIEWED)) == 0
    monkeypatch.setattr(build_module, "_one_break_at_a_time", lambda *_: None)
    assert model_optimum(p) == 0


def test_a_hand_out_matches_each_rule_to_breaks_clear_of_the_earlier_ones() -> None:
    """In employee order the first would get the 11:00 coffee and the 11:00 lunch; the
    matching gives the first the 13:00 lunch and the second the 11:00 one instead."""
    coffee = RuleCounts(COFFEE, tuple(range(540, 721, 15)), (ELEVEN, ELEVEN + 45))
    lunch = RuleCounts(LUNCH, tuple(range(660, 781, 15)), (ELEVEN, 13 * 60))
    handed, exact = hand_out([3, 7], [coffee, lunch])
    assert exact
    assert handed == {
        3: [Break(ELEVEN, 15, True), Break(13 * 60, 30, False)],
        7: [Break(ELEVEN + 45, 15, True), Break(ELEVEN, 30, False)],
    }


def test_rules_whose_breaks_meet_in_a_cycle_are_handed_out_apart_if_not_exactly() -> None:
    """Three 15-min breaks between two people at 11:00 and 11:15 each: any two rules can be
    handed out apart, not all three. The third goes to the nearest start clear of the others
    (11:30) and the hand-out says it is not the counts'."""
    allowed = tuple(range(ELEVEN, ELEVEN + 46, 15))
    rule = RuleCounts(BreakRule(15, 0, 480, 15), allowed, (ELEVEN, ELEVEN + 15))
    handed, exact = hand_out([0, 1], [rule, rule, rule])
    assert not exact
    for held in handed.values():
        assert not any(
            overlapping(a.start_minute, 15, b.start_minute, 15)
            for a, b in itertools.combinations(held, 2)
        )
    assert [b.start_minute for b in handed[0]] == [ELEVEN, ELEVEN + 15, ELEVEN + 30]
    assert [b.start_minute for b in handed[1]] == [ELEVEN + 15, ELEVEN, ELEVEN + 30]


def test_breaks_are_re_placed_apart_and_by_work_in_deterministic_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two agents, none needed at 11:00 and 11:15: each one's coffee inside their lunch at
    11:00 would fit it (the old pass did that for one), but a person takes one break at a
    time, so each is off at both and once more. In deterministic mode the pass is bounded by
    its work, not the clock: with a clock that jumps a minute at every reading (a very busy
    machine) it still places the breaks, as on an idle one."""
    p = agents({44: 0, 45: 0})
    (option,) = day_options(p, 0)
    shifts = [option.assign("e0"), option.assign("e1")]
    settings = SolveOptions(num_workers=1, deterministic=True)
    placed = place_breaks(p, shifts, seconds=2.0, settings=settings)
    assert check(p, placed) == []
    for a in placed:
        off = {
            t
            for b in a.breaks
            for t in range(b.start_minute // 15, (b.start_minute + b.length_minutes) // 15)
        }
        assert len(off) == 3
        assert {44, 45} <= off
    readings = itertools.count(0.0, 60.0)
    monkeypatch.setattr(breaks_module.time, "perf_counter", lambda: next(readings))
    assert place_breaks(p, shifts, seconds=2.0, settings=settings) == placed


def test_nominal_breaks_sit_apart_when_their_middles_meet() -> None:
    """A coffee window 10:00-13:00 and a lunch window 11:00-12:00 have the same middle,
    11:30: the coffee keeps it, the lunch takes the nearest start clear of it."""
    coffee, lunch = BreakRule(15, 120, 300, 15, paid=True), BreakRule(30, 180, 240, 15)
    template = ShiftTemplate("M", 8 * 60, 8 * 60, (480,), breaks=(coffee, lunch))
    p = problem(days=1, interval_minutes=15, templates=(template,))
    (option,) = day_options(p, 0)
    assert option.breaks == (Break(ELEVEN + 30, 15, True), Break(ELEVEN + 45, 30, False))
    a = Assignment("e0", 0, "M", 8 * 60, 480, breaks=option.breaks)
    assert check(p, [a]) == []


def test_a_template_whose_breaks_cannot_sit_apart_leaves_the_others_placed() -> None:
    """Two breaks both fixed at 11:00 can never sit apart (the rules flag every such shift);
    the pass still re-places the breaks of everyone else that day."""
    fixed = ShiftTemplate("X", 8 * 60, 8 * 60, (480,), breaks=(BreakRule(30, 180, 180),) * 2)
    assert offsets_apart(fixed, 480) is None
    assert offsets_apart(DAY, 480) is not None
    p = agents({44: 0, 45: 0})
    p = replace(p, templates=(DAY, fixed))
    (day_option, fixed_option) = day_options(p, 0)
    shifts = [day_option.assign("e0"), fixed_option.assign("e1")]
    placed = place_breaks(
        p, shifts, seconds=2.0, settings=SolveOptions(num_workers=1, deterministic=True)
    )
    assert placed[0].breaks != shifts[0].breaks
    assert [v.rule for v in check(p, placed)] == ["break_overlap"]
    assert placed[1].breaks == shifts[1].breaks


def test_a_template_whose_breaks_cannot_sit_apart_is_a_contradiction_before_solving() -> None:
    """The model would leave such a template's shifts unused without a word (no hand-out of
    its break counts exists): the precheck names the template and the length instead."""
    fixed = ShiftTemplate("X", 8 * 60, 8 * 60, (480, 200), breaks=(BreakRule(30, 180, 180),) * 2)
    p = replace(agents({}), templates=(DAY, fixed))
    solution = solve(p, SolveOptions(num_workers=1, deterministic=True, time_limit_seconds=5))
    assert solution.status == Status.INFEASIBLE
    (found,) = solution.contradictions  # 480 min only: in 200 min the lunches do not fit
    assert (found.employee, found.rule) == (None, "template_breaks_overlap")
    assert found.reason is not None
    assert dict(found.reason.values) == {"template": "X", "length": 480}
    assert found.message.startswith("template X: its breaks can never sit apart in a shift of 8 h")
    assert contradictions(agents({})) == []
