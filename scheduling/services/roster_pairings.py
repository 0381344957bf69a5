"""The mentor pairing of a revised roster, derived again at publication (issue 24 review): a
swap, a VTO or overtime offer, an intraday move or an edit changes who is on which phone when,
and pairing rows copied from the version revised would keep a mentor beside a trainee after
she left (progress, the mentoring premium and the Training and meetings page read them)."""

from datetime import datetime
from typing import Any

from organisation.local_grid import wall_minute
from organisation.models import Proficiency, QueueProficiency
from scheduling.models import MentorPairing, Roster
from scheduling.selectors.roster_problem import RosterInput
from scheduling.selectors.roster_rules import (
    roster_placed_sessions,
    roster_rules_input,
    shift_assignments,
)
from scheduling.services.roster_training import pairing_rows, shortfalls_json
from scheduling.solver.model import TrainingShortfall
from scheduling.solver.training_outcome import pairing_redo

# The shortfall this derivation writes; the build's own (below plan, sessions) stay.
WITHOUT_MENTOR = "trainee_without_mentor"


def roster_pairing_derive(
    roster: Roster, *, now: datetime
) -> tuple[RosterInput, list[Any], tuple[TrainingShortfall, ...]] | None:
    """The roster's pairing from its shifts, sessions and current pairing (kept where it still
    holds), without writing: (the rules' input, the pairing rows, trainee intervals without a
    mentor). None when nobody in the roster is a trainee and it has no pairing (nothing to do,
    one query)."""
    people = roster.shifts.values("employee_id")
    has_trainee = QueueProficiency.objects.filter(
        employee_id__in=people, level=Proficiency.TRAINEE
    ).exists()
    if not has_trainee and not roster.pairings.exists():
        return None
    involved = {
        str(e)
        for e in QueueProficiency.objects.filter(
            employee_id__in=people, level__in=[Proficiency.TRAINEE, Proficiency.MENTOR]
        ).values_list("employee_id", flat=True)
    }
    built = roster_rules_input(roster, now=now, only=involved, demand=False)
    shifts = (
        roster.shifts.filter(employee_id__in=involved)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    minutes = built.problem.interval_minutes

    def minute(at: datetime) -> int:
        return wall_minute(instant=at, first_day=built.first_day, timezone=built.timezone)

    keep: dict[tuple[str, int], str] = {}
    for row in roster.pairings.all():
        for t in range(minute(row.start) // minutes, -(-minute(row.end) // minutes)):
            keep[(str(row.trainee_id), t)] = str(row.mentor_id)
    mentoring, short = pairing_redo(
        built.problem,
        shift_assignments(built, shifts),
        roster_placed_sessions(roster, built) or [],
        keep,
    )
    return built, pairing_rows(built, roster, mentoring), short


def roster_pairings_redo(*, roster: Roster, now: datetime) -> tuple[TrainingShortfall, ...]:
    """Derive the roster's pairing again (roster_pairing_derive) and store it: the rows
    replaced, the trainee intervals without a mentor kept in the roster's training shortfalls
    (rule trainee_without_mentor, replacing those of the version revised). Returns them."""
    derived = roster_pairing_derive(roster, now=now)
    if derived is None:
        return ()
    built, rows, short = derived
    roster.pairings.all().delete()
    MentorPairing.objects.bulk_create(rows)
    stored = roster.solver.get("training_shortfalls", [])
    kept = [s for s in stored if s.get("rule") != WITHOUT_MENTOR]
    roster.solver = {**roster.solver, "training_shortfalls": kept + shortfalls_json(built, short)}
    roster.save(update_fields=["solver"])
    return short
