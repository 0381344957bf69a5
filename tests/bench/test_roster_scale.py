"""The scale benchmark's real variant: weekly minimums and operators on one to three queues."""

from bench.roster_scale import scale_problem


def test_the_real_variant_has_weekly_minimums_queues_and_skills() -> None:
    problem = scale_problem(40, 7, min_hours=True, queues=3)
    assert {d.queue for d in problem.interval_demand} == {"q0", "q1", "q2"}
    assert {t.queue for t in problem.templates} == {"q0", "q1", "q2"}
    assert all(e.contract.min_minutes_per_week for e in problem.employees)
    assert all(1 <= len(e.skills) <= 3 for e in problem.employees)
    assert len({e.skills for e in problem.employees}) > 1
    easy = scale_problem(40, 7)
    assert len(easy.interval_demand) == 1
    assert not any(e.contract.min_minutes_per_week for e in easy.employees)
