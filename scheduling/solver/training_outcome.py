"""What a roster with training gives, read from its shifts and placed sessions alone: the
cover at the shares, the under- and over-cover terms, who mentors whom when, supervised
minutes per week, each session's cost against its best and worst slot, and the shortfalls
explained (which trainee or session, which intervals)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from organisation.sentences import Sentence, gettext_noop
from scheduling.solver.model import (
    Assignment,
    Mentoring,
    PlacedSession,
    Problem,
    Proficiency,
    Session,
    SupervisedWeek,
    TrainingShortfall,
    UnmetInterval,
)
from scheduling.solver.training import (
    TrainingModel,
    supervised_short_weight,
    trainees_and_mentors,
    unplaced_weight,
)

Cover = dict[tuple[str, int], float]  # (queue, interval) -> agents, at their shares

# The shortfalls as sentences, for the reader's language (web renders them; the ids of
# people, queues and sessions are replaced by their names when stored).
TRAINING_SENTENCES = {
    "supervised_below_plan": gettext_noop(
        "{name} has {worked} supervised on {queue} in the week, the plan asks {needed}; in "
        "{count} intervals with calls no mentor had room for them"
    ),
    "supervised_below_plan_elsewhere": gettext_noop(
        "{name} has {worked} supervised on {queue} in the week, the plan asks {needed}; in "
        "{count} intervals with calls no mentor had room for them; on other queues' phones "
        "{length} instead"
    ),
    "session_unplaced": gettext_noop(
        "session {session} could not be placed: too few of its attendees can work a shift "
        "holding it at any start of its window"
    ),
    "trainee_without_mentor": gettext_noop(
        "{name} is on the phone of {queue} without a mentor with room in {count} intervals"
    ),
}


@dataclass(frozen=True)
class Outcome:
    cover: Cover
    terms: dict[str, float]
    objective: float
    unmet: tuple[UnmetInterval, ...]
    sessions: tuple[PlacedSession, ...]
    mentoring: tuple[Mentoring, ...]
    supervised: tuple[SupervisedWeek, ...]
    shortfalls: tuple[TrainingShortfall, ...]


def placed_sessions(
    problem: Problem, tm: TrainingModel, solver: cp_model.CpSolver
) -> tuple[PlacedSession, ...]:
    """The sessions as the solved model placed them (costs filled by outcome())."""
    placed = []
    for s, session in enumerate(problem.sessions):
        start = next((k for k, v in tm.starts[s].items() if solver.value(v)), None)
        if start is None:
            continue
        attending = {
            problem.employees[e].id for e, expr in tm.attends[s].items() if solver.value(expr)
        }
        placed.append(
            PlacedSession(
                session=session.id,
                start_minute=start,
                length_minutes=session.length_minutes,
                attending=tuple(w for w in session.attendees if w in attending),
                absent=tuple(w for w in session.attendees if w not in attending),
            )
        )
    return tuple(placed)


def phone_intervals(problem: Problem, a: Assignment) -> tuple[str | None, list[int]]:
    """The queue a shift is on the phone for and its intervals on it (less its breaks)."""
    minutes = problem.interval_minutes
    if a.activity != "phone":
        return None, []
    queue = a.queue
    if queue is None and len(problem.interval_demand) == 1:
        queue = problem.interval_demand[0].queue
    off = {
        t
        for b in a.breaks
        for t in range(
            b.start_minute // minutes, -(-(b.start_minute + b.length_minutes) // minutes)
        )
    }
    first, last = a.start_minute // minutes, -(-a.end_minute // minutes)
    return queue, [t for t in range(first, last) if t not in off]


def _session_intervals(problem: Problem, start: int, length: int) -> range:
    minutes = problem.interval_minutes
    return range(start // minutes, -(-(start + length) // minutes))


def on_phone(
    problem: Problem, assignments: Sequence[Assignment], sessions: Sequence[PlacedSession]
) -> dict[tuple[str, int], set[str]]:
    """(queue, interval) -> who is on its phone (off it while attending a session)."""
    away: dict[str, set[int]] = defaultdict(set)
    for placed in sessions:
        span = _session_intervals(problem, placed.start_minute, placed.length_minutes)
        for who in placed.attending:
            away[who].update(span)
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in assignments:
        queue, intervals = phone_intervals(problem, a)
        if queue is None:
            continue
        for t in intervals:
            if t not in away[a.employee]:
                found[(queue, t)].add(a.employee)
    return found


def shares(problem: Problem) -> dict[tuple[str, str], float]:
    """(employee, queue) -> the share of an agent they count for, where not 1."""
    return {
        (employee.id, entry.queue): problem.training.share_percent(entry) / 100
        for employee in problem.employees
        for entry in employee.proficiency
    }


def cover_of(problem: Problem, phone: dict[tuple[str, int], set[str]]) -> Cover:
    share = shares(problem)
    return {
        (queue, t): sum(share.get((who, queue), 1.0) for who in people)
        for (queue, t), people in phone.items()
    }


def outcome(
    problem: Problem, assignments: Sequence[Assignment], sessions: Sequence[PlacedSession]
) -> Outcome:
    phone = on_phone(problem, assignments, sessions)
    cover = cover_of(problem, phone)
    terms, unmet = _cover_terms(problem, cover, assignments)
    unplaced = {s.id for s in problem.sessions} - {p.session for p in sessions}
    terms["sessions_unplaced"] = float(len(unplaced) * unplaced_weight(problem))
    costing = _Costing.of(problem, assignments, sessions)
    costed = tuple(_costed(costing, placed) for placed in sessions)
    mentoring = _mentoring(problem, phone)
    supervised, short = _supervised(problem, phone)
    missing = sum(max(0, w.min_minutes - w.minutes) for w in supervised)
    terms["supervised_short"] = float(missing * supervised_short_weight(problem))
    shortfalls = (*short, *_unplaced(problem, unplaced))
    return Outcome(
        cover=cover,
        terms=terms,
        objective=sum(terms.values()),
        unmet=tuple(unmet),
        sessions=costed,
        mentoring=tuple(mentoring),
        supervised=tuple(supervised),
        shortfalls=tuple(shortfalls),
    )


def _cover_terms(
    problem: Problem, cover: Cover, assignments: Sequence[Assignment]
) -> tuple[dict[str, float], list[UnmetInterval]]:
    periods = problem.periods_per_day
    under = over = 0.0
    unmet = []
    for demand in problem.interval_demand:
        for d, row in enumerate(demand.required):
            for p, required in enumerate(row):
                got = cover.get((demand.queue, d * periods + p), 0.0)
                if got < required - 1e-9:
                    under += demand.under_weight * (required - got)
                    unmet.append(UnmetInterval(demand.queue, d, p, required, int(got + 1e-9)))
                elif got > required + 1e-9:
                    over += demand.over_weight * (got - required)
    terms = {"under_cover": round(under, 6), "over_cover": round(over, 6)}
    if problem.weights.paid_minute:
        rate = {e.id: e.cost_per_hour or 1.0 for e in problem.employees}
        terms["paid"] = float(
            sum(
                round(a.paid_minutes * rate.get(a.employee, 1.0) * problem.weights.paid_minute)
                for a in assignments
            )
        )
    return terms, unmet


# --- Sessions: what a slot costs --------------------------------------------------------------


def holds(a: Assignment, start: int, length: int) -> bool:
    """Whether the shift contains start..start+length clear of its breaks."""
    if a.start_minute > start or a.end_minute < start + length:
        return False
    return all(
        b.start_minute >= start + length or b.start_minute + b.length_minutes <= start
        for b in a.breaks
    )


@dataclass(frozen=True)
class _Costing:
    """What pricing a session's starts reads: who is on which phone with every session as
    placed, each person's phone intervals by their shifts alone, the shares and demand."""

    problem: Problem
    phone: dict[tuple[str, int], set[str]]
    own: dict[str, set[tuple[str, int]]]
    shifts: dict[str, list[Assignment]]
    share: dict[tuple[str, str], float]
    need: dict[tuple[str, int], int]
    queues: tuple[str, ...]

    @classmethod
    def of(
        cls, problem: Problem, assignments: Sequence[Assignment], sessions: Sequence[PlacedSession]
    ) -> "_Costing":
        own: dict[str, set[tuple[str, int]]] = defaultdict(set)
        shifts: dict[str, list[Assignment]] = defaultdict(list)
        for a in assignments:
            shifts[a.employee].append(a)
            queue, intervals = phone_intervals(problem, a)
            if queue is not None:
                own[a.employee].update((queue, t) for t in intervals)
        periods = problem.periods_per_day
        need = {
            (d.queue, day * periods + p): r
            for d in problem.interval_demand
            for day, row in enumerate(d.required)
            for p, r in enumerate(row)
        }
        phone = on_phone(problem, assignments, sessions)
        queues = tuple(sorted({q for q, _ in need} | {q for q, _ in phone}))
        return cls(problem, phone, own, shifts, shares(problem), need, queues)

    def loss(self, back: Sequence[str], people: Sequence[str], span: range) -> float:
        """Agent-hours of extra under-cover when `people` leave the phone in `span`, with
        `back` (the session's own attendees) on it where their shifts put them."""
        lost = 0.0
        for queue in self.queues:
            for t in span:
                present = set(self.phone.get((queue, t), ()))
                present.update(w for w in back if (queue, t) in self.own[w])
                taken = sum(self.share.get((w, queue), 1.0) for w in people if w in present)
                if not taken:
                    continue
                have = sum(self.share.get((w, queue), 1.0) for w in present)
                wanted = self.need.get((queue, t), 0)
                lost += max(0.0, wanted - (have - taken)) - max(0.0, wanted - have)
        return lost * self.problem.interval_minutes / 60

    def starts(self, session: Session, back: Sequence[str]) -> dict[int, float]:
        """Start -> the cost there (under a share, of the cheapest who can attend), for
        starts where the trainer and enough attendees work a shift holding it."""
        return {start: cost for start, (cost, _) in self.choices(session, back).items()}

    def choices(self, session: Session, back: Sequence[str]) -> dict[int, tuple[float, list[str]]]:
        """Start -> (its cost, who attends there)."""
        costs: dict[int, tuple[float, list[str]]] = {}
        length = session.length_minutes
        for start in session.starts():
            span = _session_intervals(self.problem, start, length)
            able = [
                w
                for w in session.attendees
                if any(holds(a, start, length) for a in self.shifts.get(w, ()))
            ]
            needed = session.required_count()
            if len(able) < needed or (session.trainer and session.trainer not in able):
                continue
            if session.min_attendance_percent >= 100:
                chosen = able
            else:
                chosen = sorted(
                    able, key=lambda w: (w != session.trainer, self.loss(back, [w], span))
                )[: max(needed, 0)]
            costs[start] = (self.loss(back, chosen, span), chosen)
        return costs

    def move(self, old: PlacedSession, new: PlacedSession) -> None:
        """Who is on the phone once the session moves from `old` to `new`."""
        for placed, present in ((old, True), (new, False)):
            for t in _session_intervals(self.problem, placed.start_minute, placed.length_minutes):
                for w in placed.attending:
                    for queue in self.queues:
                        if (queue, t) not in self.own[w]:
                            continue
                        people = self.phone.setdefault((queue, t), set())
                        if present:
                            people.add(w)
                        else:
                            people.discard(w)


def settle_sessions(
    problem: Problem, assignments: Sequence[Assignment], sessions: Sequence[PlacedSession]
) -> tuple[PlacedSession, ...]:
    """Each session moved, one at a time, to its cheapest start for these shifts (the others
    where they are), when pairing still holds and no attendee is in two sessions at once
    (within the same week, so supervised minutes per week stay as they were). The search
    places sessions and shifts together within its time; this makes each session's slot the
    best for the roster as it came out."""
    costing = _Costing.of(problem, assignments, sessions)
    by_id = {s.id: s for s in problem.sessions}
    placed = list(sessions)
    for _ in range(2):
        moved = False
        for i, current in enumerate(placed):
            session = by_id[current.session]
            span = _session_intervals(problem, current.start_minute, current.length_minutes)
            cost = costing.loss(current.attending, current.attending, span)
            options = costing.choices(session, current.attending)
            for start, (better, chosen) in sorted(options.items(), key=lambda kv: kv[1][0]):
                if better >= cost - 1e-9:
                    break
                candidate = replace(
                    current,
                    start_minute=start,
                    attending=tuple(w for w in session.attendees if w in chosen),
                    absent=tuple(w for w in session.attendees if w not in chosen),
                )
                if _week(problem, start) != _week(problem, current.start_minute) or _clash(
                    placed, i, candidate
                ):
                    continue
                costing.move(current, candidate)
                if _paired(problem, costing.phone, (current, candidate)):
                    placed[i], moved = candidate, True
                    break
                costing.move(candidate, current)
        if not moved:
            break
    return tuple(placed)


def _week(problem: Problem, minute: int) -> int:
    return (minute // 1440 + problem.first_weekday) // 7


def _clash(placed: list[PlacedSession], i: int, candidate: PlacedSession) -> bool:
    return any(
        j != i
        and set(other.attending) & set(candidate.attending)
        and other.start_minute < candidate.end_minute
        and candidate.start_minute < other.end_minute
        for j, other in enumerate(placed)
    )


def _paired(
    problem: Problem,
    phone: dict[tuple[str, int], set[str]],
    moved: tuple[PlacedSession, PlacedSession],
) -> bool:
    """Pairing in the intervals a move touched."""
    per_mentor = problem.training.trainees_per_mentor
    levels = {e.id: e for e in problem.employees}
    spans = {
        t for p in moved for t in _session_intervals(problem, p.start_minute, p.length_minutes)
    }
    for queue in trainees_and_mentors(problem):
        for t in spans:
            people = phone.get((queue, t), set())
            trainees = sum(1 for w in people if levels[w].level(queue) == Proficiency.TRAINEE)
            mentors = sum(1 for w in people if levels[w].level(queue) == Proficiency.MENTOR)
            if trainees > per_mentor * mentors:
                return False
    return True


def _costed(costing: _Costing, placed: PlacedSession) -> PlacedSession:
    session = next(s for s in costing.problem.sessions if s.id == placed.session)
    span = _session_intervals(costing.problem, placed.start_minute, placed.length_minutes)
    own = costing.loss(placed.attending, placed.attending, span)
    costs = costing.starts(session, placed.attending)
    return replace(
        placed,
        cover_cost_agent_hours=round(own, 4),
        best_cost_agent_hours=round(min(costs.values(), default=own), 4),
        worst_cost_agent_hours=round(max(costs.values(), default=own), 4),
    )


def _unplaced(problem: Problem, unplaced: set[str]) -> list[TrainingShortfall]:
    return [
        TrainingShortfall(
            rule="session_unplaced",
            message=f"session {s.id} could not be placed: too few of its attendees can work "
            "a shift holding it at any start of its window",
            session=s.id,
            reason=Sentence.of("session_unplaced", session=s.id),
        )
        for s in problem.sessions
        if s.id in unplaced
    ]


# --- Mentoring and supervised minutes -------------------------------------------------------


def _mentoring(problem: Problem, phone: dict[tuple[str, int], set[str]]) -> list[Mentoring]:
    """Who sits with whom: each interval a trainee on the phone keeps the mentor of the
    interval before when they are still on the phone with room, else the least busy one."""
    return pairing(problem, phone, {})[0]


Unpaired = dict[tuple[str, str], list[int]]  # (trainee, queue) -> intervals without a mentor


def pairing(
    problem: Problem, phone: dict[tuple[str, int], set[str]], keep: dict[tuple[str, int], str]
) -> tuple[list[Mentoring], Unpaired]:
    """Who sits with whom, and the trainees' phone intervals no mentor on the queue then has
    room for. Each interval a trainee keeps, in this order: the mentor `keep` gives them then
    (the pairing of the version revised), the mentor of the interval before, the least busy
    mentor on the phone with room (trainees with a mentor to keep choose first: all mentors
    of a queue can take any of its trainees, so how many are paired does not change)."""
    ids = [e.id for e in problem.employees]
    minutes = problem.interval_minutes
    per_mentor = max(problem.training.trainees_per_mentor, 1)
    spans: list[Mentoring] = []
    unpaired: Unpaired = {}
    for queue, (trainees, mentors) in sorted(trainees_and_mentors(problem).items()):
        previous: dict[str, str] = {}
        open_spans: dict[str, Mentoring] = {}
        last = max((t for (q, t) in phone if q == queue), default=-1)
        for t in range(last + 1):
            present = phone.get((queue, t), set())
            load: dict[str, int] = {ids[m]: 0 for m in mentors if ids[m] in present}
            current: dict[str, str] = {}
            here = [ids[e] for e in trainees if ids[e] in present]
            for trainee in sorted(here, key=lambda w: (keep.get((w, t)) not in load, w)):
                wanted = [keep.get((trainee, t)), previous.get(trainee)]
                mentor = next((m for m in wanted if m in load and load[m] < per_mentor), None)
                if mentor is None:
                    mentor = min(load, key=lambda m: (load[m], m), default=None)
                    if mentor is None or load[mentor] >= per_mentor:
                        unpaired.setdefault((trainee, queue), []).append(t)
                        continue
                load[mentor] += 1
                current[trainee] = mentor
            for trainee, span in list(open_spans.items()):
                if current.get(trainee) != span.mentor:
                    spans.append(span)
                    del open_spans[trainee]
            for trainee, mentor in current.items():
                began = open_spans.get(trainee)
                start = began.start_minute if began else t * minutes
                open_spans[trainee] = Mentoring(trainee, mentor, queue, start, (t + 1) * minutes)
            previous = current
        spans.extend(open_spans.values())
    return sorted(spans, key=lambda m: (m.trainee, m.start_minute)), unpaired


def pairing_redo(
    problem: Problem,
    assignments: Sequence[Assignment],
    sessions: Sequence[PlacedSession],
    keep: dict[tuple[str, int], str],
) -> tuple[tuple[Mentoring, ...], tuple[TrainingShortfall, ...]]:
    """The pairing of a revised roster (a swap, VTO or overtime, a moved break or session, an
    edit): each trainee interval on a queue's phone beside a mentor on it then, within
    trainees_per_mentor, keeping the revised version's pairing (`keep`: (trainee, interval) ->
    mentor) where it still holds; the intervals where none has room, per trainee, as
    'trainee_without_mentor' shortfalls."""
    phone = on_phone(problem, assignments, sessions)
    spans, unpaired = pairing(problem, phone, keep)
    periods = problem.periods_per_day
    short = tuple(
        TrainingShortfall(
            rule="trainee_without_mentor",
            message=f"{trainee} is on {queue}'s phone without a mentor with room in "
            f"{len(intervals)} intervals",
            employee=trainee,
            queue=queue,
            intervals=tuple((t // periods, t % periods) for t in intervals),
            reason=Sentence.of(
                "trainee_without_mentor", name=trainee, queue=queue, count=len(intervals)
            ),
        )
        for (trainee, queue), intervals in sorted(unpaired.items())
    )
    return tuple(spans), short


def _supervised(
    problem: Problem, phone: dict[tuple[str, int], set[str]]
) -> tuple[list[SupervisedWeek], list[TrainingShortfall]]:
    periods, minutes = problem.periods_per_day, problem.interval_minutes
    levels = {e.id: e for e in problem.employees}
    weeks: list[SupervisedWeek] = []
    short: list[TrainingShortfall] = []
    for plan in problem.trainee_plans:
        if plan.employee not in levels:
            continue
        for w, week in enumerate(problem.weeks()):
            intervals = [t for d in week for t in range(d * periods, (d + 1) * periods)]
            got = minutes * sum(plan.employee in phone.get((plan.queue, t), ()) for t in intervals)
            owed = plan.min_supervised_minutes_per_week * len(week) // 7
            weeks.append(
                SupervisedWeek(
                    plan.employee, plan.queue, w, got, owed, plan.max_supervised_minutes_per_week
                )
            )
            if got < owed:
                short.append(_below_plan(problem, phone, plan.employee, plan.queue, intervals,
                                         got, owed))  # fmt: skip
    return weeks, short


def _below_plan(
    problem: Problem,
    phone: dict[tuple[str, int], set[str]],
    trainee: str,
    queue: str,
    intervals: list[int],
    got: int,
    owed: int,
) -> TrainingShortfall:
    """The trainee's week below plan, with the intervals of demand where no mentor of the
    queue had room for them."""
    _, mentors = trainees_and_mentors(problem).get(queue, ([], []))
    mentor_ids = {problem.employees[m].id for m in mentors}
    levels = {e.id for e in problem.employees if e.level(queue) == Proficiency.TRAINEE}
    periods = problem.periods_per_day
    demand = next((d for d in problem.interval_demand if d.queue == queue), None)
    no_room = []
    for t in intervals:
        present = phone.get((queue, t), set())
        wanted = demand.required[t // periods][t % periods] if demand else 0
        room = len(present & mentor_ids) * problem.training.trainees_per_mentor
        if wanted > 0 and room <= len(present & levels) and trainee not in present:
            no_room.append((t // periods, t % periods))
    # Time on another queue's phone is time the roster chose to use them there instead.
    span = set(intervals)
    elsewhere = problem.interval_minutes * sum(
        1 for (q, t), people in phone.items() if q != queue and t in span and trainee in people
    )
    instead = f"; on other queues' phones {elsewhere} min instead" if elsewhere else ""
    return TrainingShortfall(
        rule="supervised_below_plan",
        message=f"{trainee} has {got} supervised min on {queue} in the week, the plan asks "
        f"{owed}; in {len(no_room)} intervals with calls no mentor had room for them{instead}",
        employee=trainee,
        queue=queue,
        intervals=tuple(no_room),
        reason=Sentence.of(
            "supervised_below_plan_elsewhere" if elsewhere else "supervised_below_plan",
            name=trainee,
            queue=queue,
            worked=got,
            needed=owed,
            count=len(no_room),
            **({"length": elsewhere} if elsewhere else {}),
        ),
    )
