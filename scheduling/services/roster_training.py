"""Saving the training part of a solved roster: the sessions and meetings placed for each
attendee (with why that slot: the cover it costs against the best and worst allowed slot),
which mentor sits with which trainee when, and what training the roster could not give
(explained per trainee or session, with the local intervals)."""

from collections.abc import Iterable
from typing import Any

from organisation.local_grid import wall_instant
from organisation.sentences import Sentence
from scheduling.models import ClassroomSession, MentorPairing, PlacedActivity, Roster
from scheduling.selectors.roster_problem import RosterInput
from scheduling.solver.model import Mentoring, PlacedSession, Solution, TrainingShortfall


def placement_explanation(placed: PlacedSession) -> dict[str, Any]:
    """Why the slot: the under-cover its attendees leave (agent-hours) there, at the cheapest
    and at the dearest allowed start; absent attendees allowed under a minimum share."""
    return {
        "cover_cost_agent_hours": round(placed.cover_cost_agent_hours, 2),
        "best_cost_agent_hours": round(placed.best_cost_agent_hours, 2),
        "worst_cost_agent_hours": round(placed.worst_cost_agent_hours, 2),
        "attending": len(placed.attending),
        "absent": list(placed.absent),
    }


def roster_training_save(*, built: RosterInput, roster: Roster, solution: Solution) -> None:
    """The placements and pairing of `solution`, in bulk (two inserts)."""
    tz, first = built.timezone, built.first_day

    def instant(minute: int) -> Any:
        return wall_instant(minute=minute, first_day=first, timezone=tz)

    placed: list[PlacedActivity] = []
    for session in solution.sessions:
        row = built.sessions.get(session.session)
        if row is None:
            continue
        is_class = isinstance(row, ClassroomSession)
        why = placement_explanation(session)
        placed.extend(
            PlacedActivity(
                roster=roster,
                employee=built.employees[person],
                session=row if is_class else None,
                meeting=None if is_class else row,
                start=instant(session.start_minute),
                end=instant(session.end_minute),
                explanation=why,
            )
            for person in session.attending
            if person in built.employees
        )
    PlacedActivity.objects.bulk_create(placed)
    MentorPairing.objects.bulk_create(pairing_rows(built, roster, solution.mentoring))


def pairing_rows(
    built: RosterInput, roster: Roster, mentoring: Iterable[Mentoring]
) -> list[MentorPairing]:
    """The roster's rows of who sits with whom when (instants of the horizon's minutes)."""
    tz, first = built.timezone, built.first_day
    return [
        MentorPairing(
            roster=roster,
            trainee=built.employees[m.trainee],
            mentor=built.employees[m.mentor],
            queue=built.queues[m.queue],
            start=wall_instant(minute=m.start_minute, first_day=first, timezone=tz),
            end=wall_instant(minute=m.end_minute, first_day=first, timezone=tz),
        )
        for m in mentoring
        if m.trainee in built.employees and m.mentor in built.employees and m.queue in built.queues
    ]


def readable(built: RosterInput, text: str) -> str:
    """The engine's sentence with its ids (people, queues, sessions) replaced by names."""
    for sid, row in built.sessions.items():
        text = text.replace(sid, str(row))
    for key, person in built.employees.items():
        text = text.replace(key, person.full_name)
    for key, queue in built.queues.items():
        text = text.replace(key, queue.name)
    return text


def training_shortfalls_json(built: RosterInput, solution: Solution) -> list[dict[str, Any]]:
    """What training fell short, for people to read: whom or which session, which intervals."""
    return shortfalls_json(built, solution.training_shortfalls)


def shortfalls_json(
    built: RosterInput, shortfalls: Iterable[TrainingShortfall]
) -> list[dict[str, Any]]:
    out = []
    for s in list(shortfalls)[:200]:
        person = built.employees.get(s.employee or "")
        row = built.sessions.get(s.session or "")
        queue = built.queues.get(s.queue or "")
        out.append(
            {
                "rule": s.rule,
                "message": readable(built, s.message),
                "employee": s.employee,
                "name": person.full_name if person else None,
                "session": str(row) if row is not None else s.session,
                "queue": queue.name if queue else s.queue,
                "intervals": [built.local_start(day, period) for day, period in s.intervals[:96]],
                "reason": _named(built, s.reason).as_json() if s.reason else None,
            }
        )
    return out


def _named(built: RosterInput, reason: Sentence) -> Sentence:
    """The sentence with the ids of people, queues and sessions replaced by their names."""
    values = {k: readable(built, v) if isinstance(v, str) else v for k, v in reason.values}
    return Sentence.of(reason.code, **values)
