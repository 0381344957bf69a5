"""Rest-of-day moves (issue 26, item 5): move today's remaining placed meetings and training
sessions, then breaks, out of the intervals the reforecast shows short into those it shows
over-staffed, each move re-checked by the rules (scheduling/rules.py), so that fewer
agent-intervals are left uncovered.

Pure: works on the day's time line, minutes from its local midnight as time runs (instants:
the autumn day has 1500 of them and both of its 02:00-03:00 hours, the spring day 1380): the
queue's intervals (required and scheduled agents per interval) and each roster's people who
staff the queue today (their shifts, breaks and sessions). The rules read the roster's
wall-clock axis: each crew's Clock turns the time line into it for every check.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import time

from scheduling.coverage import phone_periods
from scheduling.rules import Violation, check
from scheduling.solver.model import Assignment, Break, PlacedSession, Problem, Proficiency

MAX_MOVES = 20


@dataclass(frozen=True)
class Clock:
    """The day's time line (minutes from its local midnight, as time runs) against a roster's
    wall-clock axis (day * 1440 + minute of the local day, what the rules read): wall =
    minute + `offset_minutes`, and from each change (time-line minute, new offset) on, minute
    + its offset. No change: the two are the same."""

    offset_minutes: int = 0
    changes: tuple[tuple[int, int], ...] = ()  # ascending

    def wall(self, minute: int) -> int:
        offset = self.offset_minutes
        for at, after in self.changes:
            if minute < at:
                break
            offset = after
        return minute + offset

    def minutes(self, wall: int) -> list[int]:
        """Every time-line minute at this wall-clock minute, earliest first: none in the hour
        the spring change skips, two in the hour the autumn change repeats."""
        spans = [(None, self.offset_minutes), *self.changes]
        found = []
        for n, (at, offset) in enumerate(spans):
            until = spans[n + 1][0] if n + 1 < len(spans) else None
            minute = wall - offset
            if (at is None or minute >= at) and (until is None or minute < until):
                found.append(minute)
        return found


@dataclass(frozen=True)
class Crew:
    """One roster's people who work the queue today: every shift of theirs in the roster's
    period (the rules read weeks and rest) and its placed sessions, on the day's time line."""

    key: str  # the roster's id
    problem: Problem
    assignments: tuple[Assignment, ...]
    sessions: tuple[PlacedSession, ...] | None
    clock: Clock = Clock()

    def check(
        self, assignments: Sequence[Assignment], sessions: Sequence[PlacedSession] | None
    ) -> list[Violation]:
        """rules.check of these (time-line) assignments and sessions, on the wall axis."""
        if not self.clock.changes and not self.clock.offset_minutes:
            return check(self.problem, assignments, sessions=sessions)
        wall = self.clock.wall
        shifts = [_on_wall(a, wall) for a in assignments]
        placed = None if sessions is None else [_session_on_wall(p, wall) for p in sessions]
        return check(self.problem, shifts, sessions=placed)


def _on_wall(a: Assignment, wall: Callable[[int], int]) -> Assignment:
    """The assignment as the rules read it (as roster_rules.shift_assignments makes it)."""
    start = wall(a.start_minute)
    return replace(
        a,
        day=start // 1440,
        start_minute=start,
        length_minutes=wall(a.end_minute) - start,
        breaks=tuple(replace(b, start_minute=wall(b.start_minute)) for b in a.breaks),
    )


def _session_on_wall(p: PlacedSession, wall: Callable[[int], int]) -> PlacedSession:
    start = wall(p.start_minute)
    return replace(
        p, start_minute=start, length_minutes=wall(p.start_minute + p.length_minutes) - start
    )


@dataclass(frozen=True)
class IntervalGap:
    period: int  # interval of the day (minute // interval_minutes)
    before: int  # scheduled - required: over (+) or short (-)
    after: int


@dataclass(frozen=True)
class BreakMove:
    crew: str
    employee: str
    shift_start_minute: int  # on the day's time line
    break_start_minute: int
    new_start_minute: int
    length_minutes: int
    gaps: tuple[IntervalGap, ...]  # the intervals whose cover the move changes
    under_before: int  # agent-intervals short for the rest of the day, before the move
    under_after: int


@dataclass(frozen=True)
class SessionMove:
    """A placed meeting or training session moved, for everyone the roster has in it."""

    crew: str
    session: str  # the rules' id of the session ("session:<id>", "meeting:<id>")
    start_minute: int  # on the day's time line
    new_start_minute: int
    length_minutes: int
    attending: tuple[str, ...]
    gaps: tuple[IntervalGap, ...]
    under_before: int
    under_after: int


@dataclass(frozen=True)
class MovePlan:
    moves: tuple[BreakMove, ...]  # in order: each counts the moves before it as made
    short_before: int  # intervals short for the rest of the day, as published
    short_after: int  # ... once every move is made
    under_before: int  # agent-intervals short, as published
    under_after: int
    sessions: tuple[SessionMove, ...] = ()  # made before the breaks move


def break_move_violations(
    crew: Crew, employee: str, break_start_minute: int, new_start_minute: int
) -> list[Violation]:
    """What the rules find on the person's shifts after moving their break that starts at
    `break_start_minute` to `new_start_minute` (on the crew's time line) and did not find
    before: an empty list is a move the rules allow. The caller has found the break. The
    trainees and mentors of the person's queues are checked with them: a trainee left on the
    phone without a mentor (pairing, of nobody in particular) is new when it takes intervals
    no pairing violation took before."""
    group = _paired_with(crew.problem, employee)
    theirs = [a for a in crew.assignments if a.employee in group]
    moved = [
        _with_break_moved(a, break_start_minute, new_start_minute) if a.employee == employee else a
        for a in theirs
    ]
    found = _new(crew.problem, crew.check(theirs, crew.sessions), crew.check(moved, crew.sessions))
    return [v for v in found if v.employee == employee or v.rule == "pairing"]


def _new(problem: Problem, before: list[Violation], after: list[Violation]) -> list[Violation]:
    """The violations after a move that were not there before; a pairing violation only
    when it takes intervals that none took before (a run that shrinks is no new fault)."""
    unpaired = set().union(*(_pairing_spans(problem, v) for v in before))
    return [
        v
        for v in (Counter(after) - Counter(before)).elements()
        if v.rule != "pairing" or _pairing_spans(problem, v) - unpaired
    ]


def _paired_with(problem: Problem, employee: str) -> set[str]:
    """The person and, on each queue they are a trainee or a mentor of, its trainees and
    mentors: whose time on the phone the pairing rule weighs against theirs."""
    pairing = (Proficiency.TRAINEE, Proficiency.MENTOR)
    person = next((e for e in problem.employees if e.id == employee), None)
    queues = {q.queue for q in person.proficiency if q.level in pairing} if person else set()
    return {employee} | {e.id for e in problem.employees for q in queues if e.level(q) in pairing}


def _pairing_spans(problem: Problem, v: Violation) -> set[tuple[object, int | None, int]]:
    """(queue, day, interval of the day) a pairing violation takes; none for other rules."""
    values = dict(v.reason.values)
    start, end = values.get("start"), values.get("end")
    if v.rule != "pairing" or not isinstance(start, time) or not isinstance(end, time):
        return set()
    first = (start.hour * 60 + start.minute) // problem.interval_minutes
    last = (end.hour * 60 + end.minute) // problem.interval_minutes or problem.periods_per_day
    return {(values["queue"], v.day, t) for t in range(first, last)}


def session_move_violations(crew: Crew, session: str, new_start_minute: int) -> list[Violation]:
    """What the rules find after moving the placed session to `new_start_minute` (the
    crew's time line) that they did not find before, for anyone: its window, attendees working
    through it without a break, no two sessions at once, trainees left without a mentor."""
    placed = crew.sessions or ()
    moved = tuple(
        replace(p, start_minute=new_start_minute) if p.session == session else p for p in placed
    )
    return _new(
        crew.problem, crew.check(crew.assignments, placed), crew.check(crew.assignments, moved)
    )


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
    (intervals ending after `now_minute`, on the day's time line). `required` and
    `scheduled` are agents per interval of the day on `queue` (as many as the day has). Only
    breaks starting after now move, to a start after now on the interval grid inside their
    phone shift on the queue; a move the rules refuse is never proposed; each break moves at
    most once. Placed sessions not begun move first (inside their window, for all who
    attend), then breaks; `scheduled` counts the attendees off the phone during their sessions."""
    cover = list(scheduled)
    rest = [t for t in range(len(required)) if (t + 1) * interval_minutes > now_minute]
    under_before = _under(required, cover, rest)
    short_before = _short(required, cover, rest)
    sessions = _session_moves(crews, queue, required, cover, rest, interval_minutes, now_minute)
    crews = _with_sessions(crews, sessions)
    state = {c.key: list(c.assignments) for c in crews}
    moved: set[tuple[str, str, int]] = set()
    moves: list[BreakMove] = []
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
        state[crew.key] = [
            _with_break_moved(x, b.start_minute, start) if x == a else x for x in state[crew.key]
        ]
        moved.add((crew.key, a.employee, start))
        moves.append(
            BreakMove(
                crew=crew.key,
                employee=a.employee,
                shift_start_minute=a.start_minute,
                break_start_minute=b.start_minute,
                new_start_minute=start,
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
        sessions=tuple(sessions),
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
    start, periods of the day the person leaves, and returns to). Never onto the shift's other
    breaks or the person's sessions: the time there is off the phone already, so the move
    would look like a gain it is not."""
    if b.start_minute <= now_minute:
        return []  # under way or over: it stays
    days = len(required)
    base = set(phone_periods(a, interval_minutes))
    busy = [(o.start_minute, o.length_minutes) for o in a.breaks if o is not b] + [
        (p.start_minute, p.length_minutes) for p in crew.sessions or () if a.employee in p.attending
    ]
    out = []
    first = -(-max(a.start_minute, now_minute + 1) // interval_minutes) * interval_minutes
    for start in range(first, a.end_minute - b.length_minutes + 1, interval_minutes):
        if start == b.start_minute or any(
            start < s + n and s < start + b.length_minutes for s, n in busy
        ):
            continue
        moved = _with_break_moved(a, b.start_minute, start)
        periods = set(phone_periods(moved, interval_minutes))
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


# --- Meetings and training sessions ---------------------------------------------------------


def _with_sessions(crews: Sequence[Crew], moves: Sequence[SessionMove]) -> list[Crew]:
    """The crews with their sessions where the moves put them (the breaks' checks see it)."""
    out = []
    for crew in crews:
        mine = {m.session: m.new_start_minute for m in moves if m.crew == crew.key}
        placed = crew.sessions and tuple(
            replace(p, start_minute=mine.get(p.session, p.start_minute)) for p in crew.sessions
        )
        out.append(replace(crew, sessions=placed))
    return out


def _session_moves(
    crews: Sequence[Crew],
    queue: str,
    required: Sequence[int],
    cover: list[int],
    rest: Sequence[int],
    interval_minutes: int,
    now_minute: int,
) -> list[SessionMove]:
    """Placed sessions not yet begun moved, best first, where the rules allow it and fewer
    agent-intervals are left short; each at most once. Updates `cover`."""
    moves: list[SessionMove] = []
    state = list(crews)
    while len(moves) < MAX_MOVES:
        ranked = []
        for n, crew in enumerate(state):
            for p in crew.sessions or ():
                if any(m.crew == crew.key and m.session == p.session for m in moves):
                    continue
                for gain, distance, start, delta in _session_candidates(
                    crew, p, queue, required, cover, interval_minutes, now_minute
                ):
                    ranked.append(((-gain, distance, p.session, start), n, p, start, delta))
        ranked.sort(key=lambda item: item[0])
        found = next(
            (r for r in ranked if not session_move_violations(state[r[1]], r[2].session, r[3])),
            None,
        )
        if found is None:
            return moves
        _, n, p, start, delta = found
        crew = state[n]
        before = _under(required, cover, rest)
        gaps_before = {t: cover[t] - required[t] for t in delta}
        for t, d in delta.items():
            cover[t] += d
        moves.append(
            SessionMove(
                crew=crew.key,
                session=p.session,
                start_minute=p.start_minute,
                new_start_minute=start,
                length_minutes=p.length_minutes,
                attending=p.attending,
                gaps=tuple(
                    IntervalGap(t, gaps_before[t], cover[t] - required[t])
                    for t in sorted(gaps_before)
                ),
                under_before=before,
                under_after=_under(required, cover, rest),
            )
        )
        state[n] = _with_sessions([crew], moves[-1:])[0]
    return moves


def _session_candidates(
    crew: Crew,
    p: PlacedSession,
    queue: str,
    required: Sequence[int],
    cover: list[int],
    interval_minutes: int,
    now_minute: int,
) -> list[tuple[int, int, int, dict[int, int]]]:
    """(gain in agent-intervals, minutes moved, new start, change of cover per interval of
    the day) for each start of the session's window after now that ends today, for a session
    placed in the rest of today (a window may run into other days: the cover there is not
    known, so a move out of today is no gain). The window's wall-clock starts are read on
    the time line: both of a repeated hour's, none of a skipped one's."""
    spec = next((s for s in crew.problem.sessions if s.id == p.session), None)
    day_end = len(required) * interval_minutes
    if spec is None or not now_minute < p.start_minute < day_end:
        return []
    phones = [
        a
        for a in crew.assignments
        if a.employee in p.attending and a.queue == queue and a.activity == "phone"
    ]
    out = []
    starts = (start for wall in spec.starts() for start in crew.clock.minutes(wall))
    for start in starts:
        if start == p.start_minute or not now_minute < start <= day_end - p.length_minutes:
            continue
        delta: Counter[int] = Counter()
        for a in phones:
            on = set(phone_periods(a, interval_minutes))
            for t in _touched(p.start_minute, p.length_minutes, interval_minutes) & on:
                delta[t] += 1
            for t in _touched(start, p.length_minutes, interval_minutes) & on:
                delta[t] -= 1
        changed = {t: d for t, d in delta.items() if d and 0 <= t < len(required)}
        gain = sum(
            max(0, required[t] - cover[t]) - max(0, required[t] - cover[t] - d)
            for t, d in changed.items()
        )
        if gain > 0:
            out.append((gain, abs(start - p.start_minute), start, changed))
    return out


def _touched(start_minute: int, length_minutes: int, interval_minutes: int) -> set[int]:
    """Intervals of the day a span of time takes any part of."""
    last = -(-(start_minute + length_minutes) // interval_minutes)
    return set(range(start_minute // interval_minutes, last))
