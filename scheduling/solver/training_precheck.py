"""Training input that contradicts itself, found before solving (issue 24): a trainee with no
mentor on their queue, a session that fits no start of its window, a trainer (or another
required attendee) in two sessions that cannot both be placed, a negative length or share."""

from itertools import combinations

from scheduling.solver.model import Contradiction, Problem, Proficiency, Session
from scheduling.solver.options import ShiftOption, allowed, day_options


def training_contradictions(problem: Problem) -> list[Contradiction]:
    found: list[Contradiction] = []
    found.extend(_shares(problem))
    found.extend(_mentors(problem))
    found.extend(_plans(problem))
    options = [day_options(problem, d) for d in range(problem.days)]
    for session in problem.sessions:
        found.extend(_session(problem, session, options))
    found.extend(_double_booked(problem))
    return found


def _shares(problem: Problem) -> list[Contradiction]:
    found = []
    if problem.training.trainees_per_mentor < 1 and _has_trainees(problem):
        found.append(Contradiction(None, "trainees_per_mentor", "trainees per mentor below 1"))
    for employee in problem.employees:
        for entry in employee.proficiency:
            share = problem.training.share_percent(entry)
            if not 0 <= share <= 100:
                found.append(
                    Contradiction(
                        employee.id,
                        "share_percent",
                        f"counts {share} % of an agent on {entry.queue}; a share is 0-100 %",
                    )
                )
    return found


def _has_trainees(problem: Problem) -> bool:
    return any(
        entry.level == Proficiency.TRAINEE for e in problem.employees for entry in e.proficiency
    )


def _mentors(problem: Problem) -> list[Contradiction]:
    """A trainee may only take calls beside a mentor of the queue: none at all, or none who
    can work a day the trainee can, is reported with the trainee and queue."""
    found = []
    options = [day_options(problem, d) for d in range(problem.days)]

    def workable(employee_index: int) -> set[int]:
        employee = problem.employees[employee_index]
        return {
            d for d in range(problem.days) if any(allowed(employee, o, problem) for o in options[d])
        }

    for e, employee in enumerate(problem.employees):
        for entry in employee.proficiency:
            if entry.level != Proficiency.TRAINEE:
                continue
            mentors = [
                m for m, other in enumerate(problem.employees)
                if other.level(entry.queue) == Proficiency.MENTOR
            ]  # fmt: skip
            if not mentors:
                message = f"trainee on {entry.queue}, and no one in the roster mentors it"
            elif not workable(e) & set().union(*(workable(m) for m in mentors)):
                message = (
                    f"trainee on {entry.queue}: no mentor of it can work a day the trainee can"
                )
            else:
                continue
            found.append(Contradiction(employee.id, "no_mentor", message))
    return found


def _plans(problem: Problem) -> list[Contradiction]:
    found = []
    employees = {e.id: e for e in problem.employees}
    for plan in problem.trainee_plans:
        most = plan.max_supervised_minutes_per_week
        if plan.min_supervised_minutes_per_week < 0 or (most is not None and most < 0):
            found.append(
                Contradiction(plan.employee, "supervised_minutes", "negative supervised minutes")
            )
        elif most is not None and plan.min_supervised_minutes_per_week > most:
            found.append(
                Contradiction(
                    plan.employee,
                    "supervised_minutes",
                    f"plan on {plan.queue} asks at least {plan.min_supervised_minutes_per_week} "
                    f"supervised min a week but at most {most}",
                )
            )
        employee = employees.get(plan.employee)
        if employee is not None and employee.level(plan.queue) != Proficiency.TRAINEE:
            found.append(
                Contradiction(
                    plan.employee,
                    "supervised_minutes",
                    f"has a supervised-time plan on {plan.queue} but is not a trainee on it",
                )
            )
    return found


def _session(
    problem: Problem, session: Session, options: list[list[ShiftOption]]
) -> list[Contradiction]:
    """A session's own contradictions: its length, window, share, attendees, and whether
    enough of them could be working through it at any start."""
    bad = _session_shape(problem, session)
    if bad:
        return [Contradiction(session.trainer, "session", f"session {session.id}: {bad}")]
    horizon = problem.days * 1440
    employees = {e.id: e for e in problem.employees}
    for start in session.starts():
        if start < 0 or start + session.length_minutes > horizon:
            continue
        able = [
            who
            for who in session.attendees
            if _can_hold(problem, employees[who], start, session.length_minutes, options)
        ]
        trainer_ok = session.trainer is None or session.trainer in able
        if trainer_ok and len(able) >= session.required_count():
            return []
    return [
        Contradiction(
            session.trainer,
            "session_no_slot",
            f"session {session.id} ({session.length_minutes} min) fits no start from minute "
            f"{session.earliest_start_minute} to {session.latest_start_minute}: too few of "
            f"its attendees (at least {session.required_count()}"
            + (", the trainer among them" if session.trainer else "")
            + ") can work a shift holding it clear of breaks",
        )
    ]


def _session_shape(problem: Problem, session: Session) -> str | None:
    known = {e.id for e in problem.employees}
    if session.length_minutes <= 0:
        return f"length {session.length_minutes} min; a session lasts more than 0 min"
    if session.step_minutes <= 0:
        return "its start step is not positive"
    if session.latest_start_minute < session.earliest_start_minute:
        return "its window ends before it starts"
    if not 0 <= session.min_attendance_percent <= 100:
        return f"minimum attendance {session.min_attendance_percent} %; it is 0-100 %"
    unknown = [who for who in session.attendees if who not in known]
    if unknown:
        return "attendees not in the roster: " + ", ".join(unknown)
    if session.trainer is not None and session.trainer not in session.attendees:
        return "its trainer is not among its attendees"
    longest = max((max(t.lengths_minutes) for t in problem.templates), default=0)
    if session.length_minutes > longest:
        return f"{session.length_minutes} min is longer than any shift ({longest} min)"
    return None


def _can_hold(
    problem: Problem, employee: object, start: int, length: int, options: list[list[ShiftOption]]
) -> bool:
    day = start // 1440
    for d in (day - 1, day):
        if not 0 <= d < problem.days:
            continue
        for o in options[d]:
            if (
                o.start_minute <= start
                and o.end_minute >= start + length
                and all(
                    b.start_minute >= start + length or b.start_minute + b.length_minutes <= start
                    for b in o.breaks
                )
                and allowed(employee, o, problem)  # type: ignore[arg-type]
            ):
                return True
    return False


def _required(session: Session) -> set[str]:
    """Who must attend whatever happens: the trainer, or everyone at 100 %."""
    if session.min_attendance_percent >= 100:
        return set(session.attendees)
    return {session.trainer} if session.trainer else set()


def _double_booked(problem: Problem) -> list[Contradiction]:
    """Two sessions that share someone who must attend both, and no pair of their starts
    keeps them apart."""
    found = []
    for first, second in combinations(problem.sessions, 2):
        shared = _required(first) & _required(second)
        if not shared or _session_shape(problem, first) or _session_shape(problem, second):
            continue
        apart = any(
            a + first.length_minutes <= b or b + second.length_minutes <= a
            for a in first.starts()
            for b in second.starts()
        )
        if not apart:
            who = sorted(shared)
            first_end = first.latest_start_minute + first.length_minutes
            second_end = second.latest_start_minute + second.length_minutes
            found.append(
                Contradiction(
                    who[0],
                    "double_booked",
                    f"{', '.join(who)} must attend sessions {first.id} and {second.id}, which "
                    f"overlap at every start of their windows (minutes "
                    f"{first.earliest_start_minute}-{first_end} and "
                    f"{second.earliest_start_minute}-{second_end})",
                )
            )
    return found
