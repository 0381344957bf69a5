"""The training rules of a roster (issue 24), checked independently of the solver: trainees
beside enough mentors in every interval, supervised minutes within the plan, and sessions
placed in their window and attended by who must attend, working then and clear of breaks.

Pure; shares nothing with scheduling/solver/ beyond its dataclasses. rules.check() calls it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import time

from organisation.sentences import Sentence, Value, gettext_noop
from scheduling.solver.model import Assignment, PlacedSession, Problem, Proficiency, Session

TRAINING_SENTENCES = {
    "pairing": gettext_noop(
        "{count} trainees on {queue} from {start} to {end}, room for {required} beside the "
        "mentors on the phone"
    ),
    "supervised_above_plan": gettext_noop(
        "{worked} supervised on {queue} in the week, {allowed} allowed"
    ),
    "supervised_below_plan": gettext_noop(
        "{worked} supervised on {queue} in the week, {needed} planned"
    ),
    "session_unknown": gettext_noop("{session} is not a session of this roster"),
    "session_unplaced": gettext_noop("{session} is not placed"),
    "session_placed_twice": gettext_noop("{session} is placed {count} times"),
    "session_window": gettext_noop("{session} starts outside its window"),
    "session_attendance": gettext_noop("{count} attend {session}, {required} required"),
    "session_trainer": gettext_noop("the trainer does not attend {session}"),
    "session_not_working": gettext_noop("not working through {session}, {start} to {end}"),
    "session_break": gettext_noop("a break during {session}, {start} to {end}"),
    "session_overlap": gettext_noop("in {session} and {other} at once"),
}

Found = tuple[str, str | None, int | None, Sentence]  # rule, employee, day, reason


def _say(rule: str, employee: str | None, day: int | None, **values: Value) -> Found:
    return (rule, employee, day, Sentence.of(rule, **values))


def _clock(minute: int) -> time:
    return time((minute // 60) % 24, minute % 60)


def training_violations(
    problem: Problem,
    assignments: Sequence[Assignment],
    sessions: Sequence[PlacedSession] | None,
) -> list[Found]:
    """Pairing and supervised minutes always (when the problem has trainees); sessions when
    their placements are given (None: not checked, e.g. a manual edit of one shift)."""
    found: list[Found] = []
    placed = list(sessions or [])
    if sessions is not None:
        found.extend(_sessions(problem, assignments, placed))
    trainees = any(
        entry.level == Proficiency.TRAINEE for e in problem.employees for entry in e.proficiency
    )
    if not (trainees or problem.trainee_plans):
        return found  # nothing to pair: the board's checks of every edit pay nothing here
    phone = _on_phone(problem, assignments, placed)
    found.extend(_pairing(problem, phone))
    found.extend(_supervised(problem, phone))
    return found


# --- Who is on which phone when ----------------------------------------------------------------


def _touched(start_minute: int, end_minute: int, width: int) -> set[int]:
    """The intervals a span of minutes touches."""
    return set(range(start_minute // width, -(-end_minute // width)))


def _on_phone(
    problem: Problem, assignments: Sequence[Assignment], sessions: Sequence[PlacedSession]
) -> dict[tuple[str, int], set[str]]:
    """(queue, interval) -> who is on its phone then, on the roster's grid as cover counts
    it: an interval the shift touches that no break of it, nor a session they attend,
    touches (plans on the grid make this exact)."""
    width = problem.interval_minutes
    attending: dict[str, set[int]] = defaultdict(set)
    for s in sessions:
        for who in s.attending:
            attending[who] |= _touched(s.start_minute, s.start_minute + s.length_minutes, width)
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in assignments:
        if a.activity != "phone":
            continue
        queue = a.queue
        if queue is None and len(problem.interval_demand) == 1:
            queue = problem.interval_demand[0].queue
        if queue is None:
            continue
        intervals = _touched(a.start_minute, a.end_minute, width) - attending[a.employee]
        for b in a.breaks:
            intervals -= _touched(b.start_minute, b.start_minute + b.length_minutes, width)
        for t in intervals:
            found[(queue, t)].add(a.employee)
    return found


# --- Pairing and supervised minutes -----------------------------------------------------------


def _pairing(problem: Problem, phone: dict[tuple[str, int], set[str]]) -> Iterable[Found]:
    """Each interval: trainees on a queue's phone within trainees_per_mentor x its mentors on
    it; consecutive intervals short on a day are one violation."""
    per_mentor = problem.training.trainees_per_mentor
    levels = {e.id: e for e in problem.employees}
    width, periods = problem.interval_minutes, problem.periods_per_day
    runs: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    for (queue, t), people in sorted(phone.items()):
        trainees = [w for w in people if levels[w].level(queue) == Proficiency.TRAINEE]
        if not trainees:
            continue
        mentors = [w for w in people if levels[w].level(queue) == Proficiency.MENTOR]
        room = per_mentor * len(mentors)
        if len(trainees) > room:
            runs[(queue, t // periods)].append((t, len(trainees), room))
    for (queue, day), bad in sorted(runs.items()):
        group: list[tuple[int, int, int]] = []
        for entry in [*bad, (-2, 0, 0)]:
            if group and entry[0] != group[-1][0] + 1:
                yield _say(
                    "pairing",
                    None,
                    day,
                    count=max(g[1] for g in group),
                    queue=queue,
                    start=_clock(group[0][0] * width),
                    end=_clock((group[-1][0] + 1) * width),
                    required=min(g[2] for g in group),
                )
                group = []
            group.append(entry)


def _supervised(problem: Problem, phone: dict[tuple[str, int], set[str]]) -> Iterable[Found]:
    width, periods = problem.interval_minutes, problem.periods_per_day
    for plan in problem.trainee_plans:
        for week in problem.weeks():
            minutes = width * sum(
                1
                for d in week
                for p in range(periods)
                if plan.employee in phone.get((plan.queue, d * periods + p), ())
            )
            most = plan.max_supervised_minutes_per_week
            owed = plan.min_supervised_minutes_per_week * len(week) // 7
            if most is not None and minutes > most:
                yield _say("supervised_above_plan", plan.employee, week[0], worked=minutes,
                           queue=plan.queue, allowed=most)  # fmt: skip
            if minutes < owed:
                yield _say("supervised_below_plan", plan.employee, week[0], worked=minutes,
                           queue=plan.queue, needed=owed)  # fmt: skip


# --- Sessions ---------------------------------------------------------------------------------


def _sessions(
    problem: Problem, assignments: Sequence[Assignment], placed: Sequence[PlacedSession]
) -> Iterable[Found]:
    known = {s.id: s for s in problem.sessions}
    count: dict[str, int] = defaultdict(int)
    for p in placed:
        count[p.session] += 1
        session = known.get(p.session)
        if session is None:
            yield _say("session_unknown", None, None, session=p.session)
            continue
        yield from _one_session(problem, assignments, session, p)
    for session in problem.sessions:
        if not count[session.id]:
            yield _say("session_unplaced", session.trainer, None, session=session.id)
        elif count[session.id] > 1:
            yield _say("session_placed_twice", session.trainer, None, session=session.id,
                       count=count[session.id])  # fmt: skip
    yield from _overlaps(placed)


def _one_session(
    problem: Problem, assignments: Sequence[Assignment], session: Session, p: PlacedSession
) -> Iterable[Found]:
    day = p.start_minute // 1440
    start, end = p.start_minute, p.start_minute + session.length_minutes
    offset = p.start_minute - session.earliest_start_minute
    if (
        not session.earliest_start_minute <= p.start_minute <= session.latest_start_minute
        or offset % max(session.step_minutes, 1)
        or p.length_minutes != session.length_minutes
    ):
        yield _say("session_window", session.trainer, day, session=session.id)
    attending = [w for w in p.attending if w in session.attendees]
    needed = -(-len(session.attendees) * session.min_attendance_percent // 100)
    if len(attending) < needed:
        yield _say("session_attendance", session.trainer, day, session=session.id,
                   count=len(attending), required=needed)  # fmt: skip
    if session.trainer and session.trainer not in attending:
        yield _say("session_trainer", session.trainer, day, session=session.id)
    for who in attending:
        shift = next(
            (a for a in assignments
             if a.employee == who and a.start_minute <= start and a.end_minute >= end),
            None,
        )  # fmt: skip
        if shift is None:
            rule = "session_not_working"
        elif any(b.start_minute < end and start < b.start_minute + b.length_minutes
                 for b in shift.breaks):  # fmt: skip
            rule = "session_break"
        else:
            continue
        yield _say(rule, who, day, session=session.id, start=_clock(start), end=_clock(end))


def _overlaps(placed: Sequence[PlacedSession]) -> Iterable[Found]:
    """Nobody attends two sessions at once."""
    for i, first in enumerate(placed):
        for second in placed[i + 1 :]:
            if first.start_minute >= second.end_minute or second.start_minute >= first.end_minute:
                continue
            for who in sorted(set(first.attending) & set(second.attending)):
                yield _say("session_overlap", who, first.start_minute // 1440,
                           session=first.session, other=second.session)  # fmt: skip
