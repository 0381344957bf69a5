"""Erlang C and A: published golden values, limits, monotonicity, huge loads, bad input."""

import heapq
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.erlang import (
    ErlangInputError,
    ServiceGoal,
    erlang_a_agents,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_agents,
    erlang_c_metrics,
    offered_load,
    scheduled_agents,
)


def test_golden_100_calls_per_half_hour_aht_180_gives_14_on_phones_20_scheduled() -> None:
    # Worked example used across the industry (e.g. callcentrehelper.com's Erlang C guide).
    load = offered_load(calls=100, aht_seconds=180, interval_minutes=30)
    assert load == pytest.approx(10.0)
    goal = ServiceGoal(target=0.80, answer_seconds=20, max_occupancy=0.85)
    result = erlang_c_agents(load=load, aht_seconds=180, goal=goal)
    assert result.agents == 14
    assert result.service_level == pytest.approx(0.888, abs=5e-4)
    assert result.occupancy == pytest.approx(0.714, abs=5e-4)
    assert scheduled_agents(agents=result.agents, shrinkage=0.30) == 20


def test_golden_erlang_c_probability_of_waiting() -> None:
    # Same example: 14 agents wait probability 17.4 %, ASA 7.8 s; 13 agents miss 80/20.
    m14 = erlang_c_metrics(agents=14, load=10.0, aht_seconds=180, answer_seconds=20)
    assert m14.probability_wait == pytest.approx(0.1741, abs=5e-4)
    assert m14.asa_seconds == pytest.approx(7.84, abs=0.01)
    m13 = erlang_c_metrics(agents=13, load=10.0, aht_seconds=180, answer_seconds=20)
    assert m13.service_level < 0.80


def test_erlang_b_matches_textbook_table() -> None:
    # Erlang B tables: 10 E offered to 15 trunks blocks 3.65 %; 5 E on 5 trunks 28.5 %.
    assert erlang_b(15, 10.0) == pytest.approx(0.0365, abs=1e-4)
    assert erlang_b(5, 5.0) == pytest.approx(0.2849, abs=1e-4)


def test_unstable_queue_always_waits() -> None:
    assert erlang_c(10, 10.0) == 1.0
    m = erlang_c_metrics(agents=8, load=10.0, aht_seconds=180, answer_seconds=20)
    assert m.service_level == 0.0
    assert math.isinf(m.asa_seconds)


def test_ten_thousand_erlangs_is_finite_and_sensible() -> None:
    # No occupancy cap: the service level alone decides, a few dozen agents above the load.
    goal = ServiceGoal(target=0.8, answer_seconds=20, max_occupancy=1.0)
    result = erlang_c_agents(load=10_000.0, aht_seconds=180, goal=goal)
    assert 10_000 < result.agents < 10_100
    assert 0.8 <= result.service_level <= 1.0
    assert all(math.isfinite(v) for v in (result.asa_seconds, result.probability_wait))
    lower = erlang_c_metrics(
        agents=result.agents - 1, load=10_000.0, aht_seconds=180, answer_seconds=20
    )
    assert lower.service_level < 0.8


def test_max_occupancy_binds_on_large_loads() -> None:
    goal = ServiceGoal(target=0.8, answer_seconds=20, max_occupancy=0.85)
    result = erlang_c_agents(load=1000.0, aht_seconds=180, goal=goal)
    assert result.agents == math.ceil(1000 / 0.85)


@given(
    load=st.floats(min_value=0.1, max_value=300),
    extra=st.integers(min_value=1, max_value=40),
)
@settings(max_examples=200, deadline=None)
def test_service_level_rises_with_agents(load: float, extra: int) -> None:
    n = math.floor(load) + extra
    a = erlang_c_metrics(agents=n, load=load, aht_seconds=200, answer_seconds=20)
    b = erlang_c_metrics(agents=n + 1, load=load, aht_seconds=200, answer_seconds=20)
    assert b.service_level >= a.service_level - 1e-12
    assert b.asa_seconds <= a.asa_seconds + 1e-12


@given(load=st.floats(min_value=0.05, max_value=500), target=st.floats(0.5, 0.95))
@settings(max_examples=200, deadline=None)
def test_inverse_returns_the_fewest_agents(load: float, target: float) -> None:
    goal = ServiceGoal(target=target, answer_seconds=20, max_occupancy=0.9)
    result = erlang_c_agents(load=load, aht_seconds=240, goal=goal)
    assert result.service_level >= target
    assert result.occupancy <= 0.9 + 1e-9
    below = erlang_c_metrics(
        agents=result.agents - 1, load=load, aht_seconds=240, answer_seconds=20
    )
    assert below.service_level < target or below.occupancy > 0.9 or below.agents <= load


def test_erlang_a_tends_to_erlang_c_when_nobody_hangs_up() -> None:
    c = erlang_c_metrics(agents=14, load=10.0, aht_seconds=180, answer_seconds=20)
    a = erlang_a_metrics(
        agents=14, load=10.0, aht_seconds=180, answer_seconds=20, patience_seconds=1e7
    )
    assert a.service_level == pytest.approx(c.service_level, abs=1e-4)
    assert a.asa_seconds == pytest.approx(c.asa_seconds, rel=1e-3)
    assert a.probability_abandon < 1e-5


def test_erlang_a_needs_fewer_agents_than_erlang_c_and_stays_stable_when_overloaded() -> None:
    goal = ServiceGoal(target=0.8, answer_seconds=20)
    c = erlang_c_agents(load=10.0, aht_seconds=180, goal=goal)
    a = erlang_a_agents(load=10.0, aht_seconds=180, patience_seconds=60, goal=goal)
    assert a.agents <= c.agents
    overloaded = erlang_a_metrics(
        agents=5, load=10.0, aht_seconds=180, answer_seconds=20, patience_seconds=60
    )
    assert 0.4 < overloaded.probability_abandon < 1
    assert overloaded.occupancy <= 1


def simulate_mmn_plus_m(
    *, agents: int, load: float, aht: float, patience: float, answer: float, calls: int
) -> tuple[float, float]:
    """Event simulation of M/M/n+M (FCFS): (share answered within `answer`, share abandoned)."""
    rng = random.Random(7)
    arrival_rate = load / aht
    free_at: list[float] = [0.0] * agents
    heapq.heapify(free_at)
    clock = within = abandoned = 0
    for _ in range(calls):
        clock += rng.expovariate(arrival_rate)
        gives_up = clock + rng.expovariate(1 / patience)
        start = max(clock, free_at[0])
        if start > gives_up:
            abandoned += 1
            continue
        heapq.heapreplace(free_at, start + rng.expovariate(1 / aht))
        within += start - clock <= answer
    return within / calls, abandoned / calls


def test_erlang_a_agrees_with_a_simulation() -> None:
    # FCFS with abandonment: a caller who hangs up never holds an agent, as in the model.
    for agents, patience in ((9, 60.0), (11, 120.0)):
        model = erlang_a_metrics(
            agents=agents, load=10.0, aht_seconds=180, answer_seconds=20, patience_seconds=patience
        )
        sl, ab = simulate_mmn_plus_m(
            agents=agents, load=10.0, aht=180, patience=patience, answer=20, calls=150_000
        )
        assert model.service_level == pytest.approx(sl, abs=0.015)
        assert model.probability_abandon == pytest.approx(ab, abs=0.01)


def test_erlang_a_inverse_on_ten_thousand_erlangs() -> None:
    goal = ServiceGoal(target=0.8, answer_seconds=20, max_occupancy=1.0, max_abandon=0.02)
    result = erlang_a_agents(load=10_000.0, aht_seconds=180, patience_seconds=90, goal=goal)
    erlang_c = erlang_c_agents(load=10_000.0, aht_seconds=180, goal=goal)
    assert result.agents <= erlang_c.agents
    assert result.service_level >= 0.8
    assert result.probability_abandon <= 0.02
    one_fewer = erlang_a_metrics(
        agents=result.agents - 1,
        load=10_000.0,
        aht_seconds=180,
        answer_seconds=20,
        patience_seconds=90,
    )
    assert one_fewer.service_level < 0.8 or one_fewer.probability_abandon > 0.02


def test_without_an_abandonment_cap_overload_meets_the_service_level_by_losing_callers() -> None:
    goal = ServiceGoal(target=0.8, answer_seconds=20, max_occupancy=1.0)
    result = erlang_a_agents(load=10_000.0, aht_seconds=180, patience_seconds=90, goal=goal)
    assert result.agents < 10_000
    assert result.probability_abandon > 0.1


@pytest.mark.parametrize(
    ("target", "seconds", "occupancy"),
    [(1.0, 0, 0.85), (1.0, 20, 0.85), (0.0, 20, 0.85), (0.8, -1, 0.85), (0.8, 20, 0.0)],
)
def test_impossible_goals_are_refused(target: float, seconds: float, occupancy: float) -> None:
    with pytest.raises(ErlangInputError):
        ServiceGoal(target=target, answer_seconds=seconds, max_occupancy=occupancy)


def test_bad_loads_and_shrinkage_are_refused() -> None:
    with pytest.raises(ErlangInputError):
        offered_load(calls=-1, aht_seconds=180, interval_minutes=30)
    with pytest.raises(ErlangInputError):
        scheduled_agents(agents=10, shrinkage=1)
    with pytest.raises(ErlangInputError):
        erlang_a_metrics(agents=5, load=3, aht_seconds=180, answer_seconds=20, patience_seconds=0)


def test_shrinkage_uses_exact_fractions() -> None:
    # 14 / 0.7 is 20.000000000000004 in binary floating point; the answer is 20.
    assert scheduled_agents(agents=14, shrinkage=0.3) == 20
    assert scheduled_agents(agents=14, shrinkage="0.3000") == 20
    assert scheduled_agents(agents=0, shrinkage=0.5) == 0
