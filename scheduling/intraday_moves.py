"""Rest-of-day break moves (issue 26, item 5): move today's remaining breaks out of the
intervals the reforecast shows short into those it shows over-staffed, each move re-checked by
the rules (scheduling/rules.py), so that fewer agent-intervals are left uncovered.

Pure: works on the rules' problem and assignments of each roster that staffs the queue today
(wall-clock minutes from that roster's first local midnight) and on the queue's day as
intervals (minutes from the day's local midnight): required and scheduled agents per interval.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scheduling.coverage import phone_periods
from scheduling.rules import Violation, check
from scheduling.solver.model import Assignment, Break, PlacedSession, Problem

MAX_MOVES = 20


@dataclass(frozen=True)
class Crew:
    """One roster's people who work the queue today, as the rules see them: every shift of
    theirs in the roster's period (the rules read weeks and rest), its placed sessions."""

    key: str  # the roster's id
    problem: Problem
    assignments: tuple[Assignment, ...]
    sessions: tuple[PlacedSession, ...] | None
    day_offset_minutes: int  # the day's local midnight on the roster's axis


@dataclass(frozen=True)
class IntervalGap:
    period: int  # interval of the day (minute // interval_minutes)
    before: int  # scheduled - required: over (+) or short (-)
    after: int


@dataclass(frozen=True)
class BreakMove:
    crew: str
    employee: str
    shift_start_minute: int  # minutes from the day's local midnight
    break_start_minute: int
    new_start_minute: int
    length_minutes: int
    gaps: tuple[IntervalGap, ...]  # the intervals whose cover the move changes
    under_before: int  # agent-intervals short for the rest of the day, before the move
    under_after: int


@dataclass(frozen=True)
class MovePlan:
    moves: tuple[BreakMove, ...]  # in order: each counts the moves before it as made
    short_before: int  # intervals short for the rest of the day, as published
    short_after: int  # ... once every move is made
    under_before: int  # agent-intervals short, as published
    under_after: int


def break_move_violations(
    crew: Crew, employee: str, break_start_minute: int, new_start_minute: int
) -> list[Violation]:
    """What the rules find on the person's shifts after moving their break that starts at
    `break_start_minute` to `new_start_minute` (minutes on the roster's axis) and did not find
    before: an empty list is a move the rules allow. The caller has found the break."""
    mine = [a for a in crew.assignments if a.employee == employee]
    moved = [_with_break_moved(a, break_start_minute, new_start_minute) for a in mine]
    before = Counter(check(crew.problem, mine, sessions=crew.sessions))
    after = Counter(check(crew.problem, moved, sessions=crew.sessions))
    return [v for v in (after - before).elements() if v.employee == employee]


def _with_break_moved(a: Assignment, old: int, new: int) -> Assignment:
    breaks = tuple(replace(b, start_minute=new) if b.start_minute == old else b for b in a.breaks)
    if breaks == a.breaks:
        return a
    return replace(a, breaks=tuple(sorted(breaks, key=lambda b: b.start_minute)))


def break_moves_propose(
    *,
    crews: Sequence[Crew],
    queue: str,
    required: Sequence[int],
    scheduled: Sequence[int],
    interval_minutes: int,
    now_minute: int,
    max_moves: int = MAX_MOVES,
) -> MovePlan:
    """The moves, best first, that leave fewer agent-intervals short for the rest of the day
    (intervals ending after `now_minute`, minutes from local midnight). `required` and
    `scheduled` are agents per interval of the day on `queue`. Only breaks starting after now
    move, to a start after now on the interval grid inside their phone shift on the queue;
    a move the rules refuse is never proposed; each break moves at most once."""
    cover = list(scheduled)
    rest = [t for t in range(len(required)) if (t + 1) * interval_minutes > now_minute]
    state = {c.key: list(c.assignments) for c in crews}
    moved: set[tuple[str, str, int]] = set()
    moves: list[BreakMove] = []
    under_before = _under(required, cover, rest)
    short_before = _short(required, cover, rest)
    while len(moves) < max_moves:
        found = _best_allowed(
            crews, state, moved, queue, required, cover, interval_minutes, now_minute
        )
        if found is None:
            break
        crew, a, b, start, periods_off, periods_on = found
        before = _under(required, cover, rest)
        gaps_before = {t: cover[t] - required[t] for t in periods_off | periods_on}
        for t in periods_off:
            cover[t] -= 1
        for t in periods_on:
            cover[t] += 1
        off = crew.day_offset_minutes
        state[crew.key] = [
            _with_break_moved(x, b.start_minute, start) if x == a else x for x in state[crew.key]
        ]
        moved.add((crew.key, a.employee, start))
        moves.append(
            BreakMove(
                crew=crew.key,
                employee=a.employee,
                shift_start_minute=a.start_minute - off,
                break_start_minute=b.start_minute - off,
                new_start_minute=start - off,
                length_minutes=b.length_minutes,
                gaps=tuple(
                    IntervalGap(t, gaps_before[t], cover[t] - required[t])
                    for t in sorted(gaps_before)
                ),
                under_before=before,
                under_after=_under(required, cover, rest),
            )
        )
    return MovePlan(
        moves=tuple(moves),
        short_before=short_before,
        short_after=_short(required, cover, rest),
        under_before=under_before,
        under_after=_under(required, cover, rest),
    )


Found = tuple[Crew, Assignment, Break, int, set[int], set[int]]


def _best_allowed(
    crews: Sequence[Crew],
    state: dict[str, list[Assignment]],
    moved: set[tuple[str, str, int]],
    queue: str,
    required: Sequence[int],
    cover: list[int],
    interval_minutes: int,
    now_minute: int,
) -> Found | None:
    """The best improving move the rules allow: most agent-intervals gained, then the most
    surplus left where the break lands, then the shortest move; None when there is none."""
    ranked: list[tuple[tuple[int, int, int, str, int], Found]] = []
    for crew in crews:
        for a in state[crew.key]:
            if a.queue != queue or a.activity != "phone":
                continue
            for b in a.breaks:
                if (crew.key, a.employee, b.start_minute) in moved:
                    continue
                for gain, surplus, distance, start, off, on in _candidates(
                    crew, a, b, required, cover, interval_minutes, now_minute
                ):
                    rank = (-gain, -surplus, distance, a.employee, start)
                    ranked.append((rank, (crew, a, b, start, off, on)))
    ranked.sort(key=lambda item: item[0])
    for _, (crew, a, b, start, off, on) in ranked:
        current = replace(crew, assignments=tuple(state[crew.key]))
        if not break_move_violations(current, a.employee, b.start_minute, start):
            return crew, a, b, start, off, on
    return None


def _candidates(
    crew: Crew,
    a: Assignment,
    b: Break,
    required: Sequence[int],
    cover: list[int],
    interval_minutes: int,
    now_minute: int,
) -> list[tuple[int, int, int, int, set[int], set[int]]]:
    """(gain in agent-intervals, least surplus where the break lands, minutes moved, new
    start on the roster's axis, periods of the day the person leaves, and returns to)."""
    off = crew.day_offset_minutes
    if b.start_minute - off <= now_minute:
        return []  # under way or over: it stays
    days = len(required)
    base = {t - off // interval_minutes for t in phone_periods(a, interval_minutes)}
    out = []
    first = -(-max(a.start_minute - off, now_minute + 1) // interval_minutes) * interval_minutes
    for day_start in range(first, a.end_minute - off - b.length_minutes + 1, interval_minutes):
        start = day_start + off
        if start == b.start_minute:
            continue
        moved = _with_break_moved(a, b.start_minute, start)
        periods = {t - off // interval_minutes for t in phone_periods(moved, interval_minutes)}
        leave, back = base - periods, periods - base
        if not all(0 <= t < days for t in leave | back):
            continue
        gain = sum(1 for t in back if required[t] > cover[t]) - sum(
            1 for t in leave if required[t] >= cover[t]
        )
        if gain <= 0:
            continue
        surplus = min((cover[t] - required[t] for t in leave), default=0)
        out.append((gain, surplus, abs(start - b.start_minute), start, leave, back))
    return out


def _under(required: Sequence[int], cover: Sequence[int], rest: Sequence[int]) -> int:
    return sum(max(0, required[t] - cover[t]) for t in rest)


def _short(required: Sequence[int], cover: Sequence[int], rest: Sequence[int]) -> int:
    return sum(1 for t in rest if required[t] > cover[t])
