"""Training pay from the database: each employee's training rate and mentoring premium (the
pay policy in effect), and per shift of a timesheet the spans that were training (a training
shift, or a classroom session the published roster placed in it) and those the worker sat
beside a trainee (the published roster's mentor pairing)."""

from collections import defaultdict
from datetime import date

from organisation.models import Employee
from scheduling.models import Activity, MentorPairing, PlacedActivity, Roster, Shift
from timeclock.attendance import Timesheet, WorkedSpan
from timeclock.pay_training import ShiftTraining, TrainingPay
from timeclock.selectors.pay_policies import pay_policy_row_for, pay_policy_rows_in_effect


def training_pay_resolve(*, employees: list[Employee], on: date) -> dict[str, TrainingPay]:
    found = pay_policy_rows_in_effect(
        site_ids={e.team.site_id for e in employees}, team_ids={e.team_id for e in employees}, on=on
    )
    result = {}
    for e in employees:
        row = pay_policy_row_for(found, site_id=e.team.site_id, team_id=e.team_id)
        result[str(e.pk)] = (
            TrainingPay()
            if row is None
            else TrainingPay(row.training_rate_multiplier, row.mentoring_premium_per_hour)
        )
    return result


def shift_training_resolve(
    *, timesheets: dict[str, Timesheet], employees: list[Employee]
) -> dict[str, dict[str, ShiftTraining]]:
    """Per employee and shift id, the training and mentoring spans (three queries)."""
    shifts = [s.shift for sheet in timesheets.values() for s in sheet.shifts]
    if not shifts:
        return {}
    start, end = min(s.start for s in shifts), max(s.end for s in shifts)
    # The published training shifts of these people in the window, by the id a timesheet
    # gives a shift (its origin, or its own for an original). Read by person and time, not
    # by every shift id of the period: an IN list of 200,000 ids took seconds at 10,000 people.
    training_shift_ids = {
        str(origin or pk)
        for pk, origin in Shift.objects.filter(
            employee__in=employees,
            state=Roster.Status.PUBLISHED,
            activity=Activity.TRAINING,
            start__lt=end,
            end__gt=start,
        ).values_list("pk", "origin")
    }
    spans: dict[str, list[tuple[str, WorkedSpan]]] = defaultdict(list)
    window = {"roster__status": Roster.Status.PUBLISHED, "start__lt": end, "end__gt": start}
    for employee_id, a, b in PlacedActivity.objects.filter(
        employee__in=employees, session__isnull=False, **window
    ).values_list("employee_id", "start", "end"):
        spans[str(employee_id)].append(("training", WorkedSpan(a, b)))
    for mentor_id, a, b in MentorPairing.objects.filter(mentor__in=employees, **window).values_list(
        "mentor_id", "start", "end"
    ):
        spans[str(mentor_id)].append(("mentoring", WorkedSpan(a, b)))
    result: dict[str, dict[str, ShiftTraining]] = {}
    for key, sheet in timesheets.items():
        mine: dict[str, ShiftTraining] = {}
        theirs = spans.get(key, [])
        if not theirs and not training_shift_ids:
            result[key] = mine  # most people: nothing to look for in their shifts
            continue
        for row in sheet.shifts:
            s = row.shift
            inside = [(kind, x) for kind, x in theirs if x.start < s.end and x.end > s.start]
            training = tuple(x for kind, x in inside if kind == "training")
            if s.id in training_shift_ids:
                training = (WorkedSpan(s.start, s.end),)
            mentoring = tuple(x for kind, x in inside if kind == "mentoring")
            if training or mentoring:
                mine[s.id] = ShiftTraining(training=training, mentoring=mentoring)
        result[key] = mine
    return result
