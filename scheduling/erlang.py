"""Queueing formulas for staffing: Erlang C (M/M/n) and Erlang A (M/M/n+M, callers who hang up).

Pure: no Django. Loads are in Erlangs (calls per interval x AHT / interval length). Everything
is computed with recursions and log-space sums, never factorials, so 10,000 Erlangs work.

Units: `aht_seconds`, `answer_seconds`, `patience_seconds` are seconds; `interval_minutes` is the
planning interval; agents are whole people on the phones (before shrinkage).
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from scheduling.errors import ErlangInputError


@dataclass(frozen=True)
class ServiceGoal:
    """`target` share of calls answered within `answer_seconds`, at most `max_occupancy` busy.

    `max_abandon` (Erlang A only) caps the share of callers who hang up: without it, a huge
    overloaded queue can "meet" its service level by letting the impatient leave.
    """

    target: float
    answer_seconds: float
    max_occupancy: float = 1.0
    max_abandon: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.target < 1:
            raise ErlangInputError(
                "service level target must be between 0 and 1 (exclusive): queueing models "
                "always leave some chance of waiting"
            )
        if self.answer_seconds < 0:
            raise ErlangInputError("answer_seconds must be >= 0")
        if not 0 < self.max_occupancy <= 1:
            raise ErlangInputError("max_occupancy must be in (0, 1]")
        if not 0 < self.max_abandon <= 1:
            raise ErlangInputError("max_abandon must be in (0, 1]")


@dataclass(frozen=True)
class QueueMetrics:
    """What `agents` achieve on a load: service level, waiting, occupancy, abandonment."""

    agents: int
    service_level: float
    probability_wait: float
    asa_seconds: float
    occupancy: float
    probability_abandon: float = 0.0


def offered_load(*, calls: float, aht_seconds: float, interval_minutes: float) -> float:
    """Traffic intensity in Erlangs."""
    if calls < 0 or aht_seconds < 0 or interval_minutes <= 0:
        raise ErlangInputError("calls and AHT must be >= 0 and the interval positive")
    return calls * aht_seconds / (interval_minutes * 60.0)


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of M/M/n/n by the stable recursion B(k) = A B(k-1) / (k + A B(k-1))."""
    if agents < 0 or load < 0:
        raise ErlangInputError("agents and load must be >= 0")
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def _erlang_c_from_b(agents: int, load: float, blocking: float) -> float:
    if agents <= load:
        return 1.0
    return agents * blocking / (agents - load * (1.0 - blocking))


def erlang_c(agents: int, load: float) -> float:
    """Probability that a call waits (Erlang C); 1 when the queue is unstable (agents <= load)."""
    return _erlang_c_from_b(agents, load, erlang_b(agents, load))


def _c_metrics(
    agents: int, load: float, p_wait: float, goal_seconds: float, aht: float
) -> QueueMetrics:
    if agents <= load:
        return QueueMetrics(agents, 0.0, 1.0, math.inf, 1.0 if agents else 0.0)
    if load == 0:
        return QueueMetrics(agents, 1.0, 0.0, 0.0, 0.0)
    service_level = 1.0 - p_wait * math.exp(-(agents - load) * goal_seconds / aht)
    asa = p_wait * aht / (agents - load)
    return QueueMetrics(agents, max(0.0, service_level), p_wait, asa, load / agents)


def erlang_c_metrics(
    *, agents: int, load: float, aht_seconds: float, answer_seconds: float
) -> QueueMetrics:
    """Service level P(wait <= answer_seconds), ASA, P(wait) and occupancy under Erlang C."""
    if aht_seconds <= 0 and load > 0:
        raise ErlangInputError("aht_seconds must be positive")
    return _c_metrics(agents, load, erlang_c(agents, load), answer_seconds, aht_seconds)


def erlang_c_agents(*, load: float, aht_seconds: float, goal: ServiceGoal) -> QueueMetrics:
    """Fewest agents meeting the goal's service level and maximum occupancy (Erlang C).

    Walks n upwards carrying the Erlang B recursion, so the whole search costs O(n).
    """
    if load < 0:
        raise ErlangInputError("load must be >= 0")
    if load == 0:
        return QueueMetrics(0, 1.0, 0.0, 0.0, 0.0)
    if aht_seconds <= 0:
        raise ErlangInputError("aht_seconds must be positive")
    occupancy_floor = math.ceil(load / goal.max_occupancy - 1e-9)
    blocking = 1.0
    agents = 0
    while True:
        agents += 1
        blocking = load * blocking / (agents + load * blocking)
        if agents <= load or agents < occupancy_floor:
            continue
        p_wait = _erlang_c_from_b(agents, load, blocking)
        metrics = _c_metrics(agents, load, p_wait, goal.answer_seconds, aht_seconds)
        if metrics.service_level >= goal.target:
            return metrics


# --- Erlang A ------------------------------------------------------------------------------


def _erlang_a_arrivals(agents: int, load: float, patience_ratio: float) -> np.ndarray:
    """What an arriving call sees (PASTA): P(k in system), k = 0..n+J, J a truncated tail.

    Birth rate `load`, death rate min(k, n) + max(k - n, 0) * patience_ratio, in units of the
    service rate; summed in log space so that large n neither overflow nor underflow.
    """
    log_load = math.log(load)
    head = np.zeros(agents + 1)
    if agents:
        head[1:] = np.cumsum(log_load - np.log(np.arange(1, agents + 1, dtype=float)))
    peak = float(head.max())
    tail: list[float] = []
    last = float(head[-1])
    while last > peak - 50 or not tail:
        last += log_load - math.log(agents + (len(tail) + 1) * patience_ratio)
        tail.append(last)
        peak = max(peak, last)
    log_all = np.concatenate((head, tail))
    weights = np.exp(log_all - log_all.max())
    return np.asarray(weights / weights.sum())


def _answered_within(
    waiting: np.ndarray, progress: np.ndarray, abandon: float, seconds: float
) -> float:
    """P(answered within `seconds`) for callers starting in queue positions with mass `waiting`.

    Position i (i callers ahead) moves to i - 1 at rate progress[i] per second; the caller hangs
    up at rate `abandon`; leaving position 0 forwards means being answered. Uniformization.
    """
    if seconds <= 0 or not waiting.any():
        return 0.0
    rate = float((progress + abandon).max())
    mean = rate * seconds
    stay = 1.0 - (progress + abandon) / rate
    move = progress / rate
    dist = waiting.astype(float)
    absorbed = 0.0
    log_poisson = -mean
    total = 0.0
    for step in range(int(mean + 12 * math.sqrt(mean) + 25)):
        total += math.exp(log_poisson) * absorbed
        absorbed += float(dist[0] * move[0])
        dist = np.append(dist[1:] * move[1:], 0.0) + dist * stay
        log_poisson += math.log(mean) - math.log(step + 1)
    return total


def erlang_a_metrics(
    *,
    agents: int,
    load: float,
    aht_seconds: float,
    answer_seconds: float,
    patience_seconds: float,
) -> QueueMetrics:
    """Erlang A: Erlang C plus callers who hang up after an exponential patience.

    service_level is the share of *offered* calls answered within answer_seconds (abandoned
    calls count against it); asa_seconds is the mean wait of answered calls; occupancy is the
    answered load per agent.
    """
    if patience_seconds <= 0 or aht_seconds <= 0:
        raise ErlangInputError("patience_seconds and aht_seconds must be positive")
    if agents < 0 or load < 0:
        raise ErlangInputError("agents and load must be >= 0")
    if load == 0:
        return QueueMetrics(agents, 1.0, 0.0, 0.0, 0.0)
    if agents == 0:
        return QueueMetrics(0, 0.0, 1.0, math.inf, 0.0, 1.0)
    mu, theta = 1.0 / aht_seconds, 1.0 / patience_seconds
    seen = _erlang_a_arrivals(agents, load, aht_seconds / patience_seconds)
    waiting = seen[agents:]
    ahead = np.arange(len(waiting), dtype=float)
    progress = agents * mu + ahead * theta
    # Answered from position i: the telescoping product n mu / (n mu + (i + 1) theta).
    answered = agents * mu / (agents * mu + (ahead + 1) * theta)
    # E[wait; answered] from position i: m_i = (p_i + (n mu + i theta) m_{i-1}) / R_i.
    wait_answered = np.empty_like(ahead)
    previous = 0.0
    for i in range(len(ahead)):
        exits = agents * mu + (i + 1) * theta
        previous = (answered[i] + progress[i] * previous) / exits
        wait_answered[i] = previous
    p_wait = float(waiting.sum())
    p_abandon = float((waiting * (1.0 - answered)).sum())
    p_answered = 1.0 - p_abandon
    service_level = (1.0 - p_wait) + _answered_within(waiting, progress, theta, answer_seconds)
    return QueueMetrics(
        agents=agents,
        service_level=min(1.0, service_level),
        probability_wait=p_wait,
        asa_seconds=float((waiting * wait_answered).sum()) / p_answered,
        occupancy=min(1.0, load * p_answered / agents),
        probability_abandon=p_abandon,
    )


def erlang_a_agents(
    *, load: float, aht_seconds: float, patience_seconds: float, goal: ServiceGoal
) -> QueueMetrics:
    """Fewest agents meeting the goal under Erlang A (binary search; SL rises with agents)."""
    if load < 0:
        raise ErlangInputError("load must be >= 0")
    if load == 0:
        return QueueMetrics(0, 1.0, 0.0, 0.0, 0.0)

    def metrics(n: int) -> QueueMetrics:
        return erlang_a_metrics(
            agents=n,
            load=load,
            aht_seconds=aht_seconds,
            answer_seconds=goal.answer_seconds,
            patience_seconds=patience_seconds,
        )

    def meets(m: QueueMetrics) -> bool:
        return (
            m.service_level >= goal.target
            and m.occupancy <= goal.max_occupancy
            and m.probability_abandon <= goal.max_abandon
        )

    # Erlang C's answer always suffices (abandonment only shortens the queue).
    high = erlang_c_agents(load=load, aht_seconds=aht_seconds, goal=goal).agents
    low = 0
    while high - low > 1:
        middle = (low + high) // 2
        if meets(metrics(middle)):
            high = middle
        else:
            low = middle
    return metrics(high)


def scheduled_agents(*, agents: int, shrinkage: float | str) -> int:
    """Agents to schedule so that `agents` are on the phones after shrinkage (exact fractions)."""
    share = Fraction(str(shrinkage))
    if not 0 <= share < 1:
        raise ErlangInputError("shrinkage must be in [0, 1)")
    return math.ceil(Fraction(agents) / (1 - share))


@dataclass(frozen=True)
class IntervalRequirement:
    agents: int
    scheduled_agents: int
    metrics: QueueMetrics


def interval_requirement(
    *,
    calls: float,
    aht_seconds: float,
    interval_minutes: int,
    goal: ServiceGoal,
    shrinkage: float | str,
    patience_seconds: float | None = None,
) -> IntervalRequirement:
    """Agents on the phones (Erlang C, or Erlang A with a patience) and agents to schedule."""
    load = offered_load(calls=calls, aht_seconds=aht_seconds, interval_minutes=interval_minutes)
    if patience_seconds:
        metrics = erlang_a_agents(
            load=load, aht_seconds=aht_seconds, patience_seconds=patience_seconds, goal=goal
        )
    else:
        metrics = erlang_c_agents(load=load, aht_seconds=aht_seconds, goal=goal)
    return IntervalRequirement(
        agents=metrics.agents,
        scheduled_agents=scheduled_agents(agents=metrics.agents, shrinkage=shrinkage),
        metrics=metrics,
    )
