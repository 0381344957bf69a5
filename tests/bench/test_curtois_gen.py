"""The Curtois-format generator: valid files with every rule family, the same for the same
seed, read alike by the engine's reader and the independent checker, and always feasible."""

from pathlib import Path

import pytest

from bench.curtois_eval import evaluate, parse_instance
from bench.curtois_gen import generate, main
from bench.curtois_read import read_problem
from scheduling.rules import check
from scheduling.solver.solve import SolveOptions, solve


@pytest.mark.parametrize(("staff", "shifts", "days"), [(10, 1, 14), (25, 4, 28), (40, 32, 70)])
def test_the_witness_roster_keeps_every_hard_rule(staff: int, shifts: int, days: int) -> None:
    generated = generate(staff, shifts, days, seed=3)
    evaluation = evaluate(generated.text, generated.witness)
    assert evaluation.violations == []
    problem = read_problem(generated.text)
    assert (len(problem.employees), len(problem.templates), problem.days) == (staff, shifts, days)


def test_every_rule_family_of_the_format_is_present() -> None:
    text = generate(30, 5, 28, seed=1).text
    instance = parse_instance(text)
    staff = list(instance.staff.values())
    assert any(shift.cannot_follow for shift in instance.shifts.values())
    assert any(0 in s.max_shifts.values() for s in staff)  # types someone may not work
    assert any(0 < v < 28 for s in staff for v in s.max_shifts.values())  # capped types
    assert all(0 < s.min_minutes <= s.max_minutes for s in staff)
    assert any(s.min_consecutive >= 2 for s in staff)
    assert all(s.min_consecutive <= s.max_consecutive < 28 for s in staff)
    assert any(s.min_days_off >= 2 for s in staff)
    assert any(s.max_weekends < 4 for s in staff)  # 4 weekends in 28 days
    assert instance.days_off
    assert instance.on_requests
    assert instance.off_requests
    assert {c.weight_under for c in instance.cover} == {100}
    assert {c.weight_over for c in instance.cover} == {1}
    assert sum(c.requirement for c in instance.cover) > 0


def test_the_same_seed_gives_the_same_file_and_another_seed_another() -> None:
    assert generate(20, 3, 28, seed=5).text == generate(20, 3, 28, seed=5).text
    assert generate(20, 3, 28, seed=5).text != generate(20, 3, 28, seed=6).text


def test_the_engine_reads_it_and_its_roster_passes_the_checker() -> None:
    generated = generate(12, 2, 14, seed=0)
    problem = read_problem(generated.text)
    solution = solve(
        problem,
        SolveOptions(time_limit_seconds=5, deterministic=True, lns_steps=4, lns_step_seconds=0.3),
    )
    assert check(problem, solution.assignments) == []
    roster: dict[str, list[str | None]] = {e.id: [None] * problem.days for e in problem.employees}
    for a in solution.assignments:
        roster[a.employee][a.day] = a.template
    evaluation = evaluate(generated.text, roster)
    assert evaluation.violations == []
    assert evaluation.objective == solution.objective


def test_the_command_writes_a_crlf_file_and_refuses_sizes_out_of_range(tmp_path: Path) -> None:
    output = tmp_path / "gen.txt"
    main(["--staff", "10", "--shifts", "2", "--days", "14", "--seed", "1", "--output", str(output)])
    data = output.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 0
    assert data.decode() == generate(10, 2, 14, seed=1).text
    with pytest.raises(SystemExit):
        main(["--staff", "5", "--shifts", "2", "--days", "14"])
    with pytest.raises(SystemExit):
        main(["--staff", "10", "--shifts", "33", "--days", "14"])
