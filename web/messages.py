"""Domain errors in the reader's language: the services speak English with a stable code;
the pages show the translated sentence of the code (every code has one: tests/web/test_i18n.py
walks the DomainError classes)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from organisation.errors import DomainError
from organisation.models import Job
from web import sentences

BY_CODE = {
    "roster_period_in_past": _("The period starts in the past."),
    "roster_period_too_long": _("The period is too long."),
    "roster_period_overlaps": _("Another roster of this team or site overlaps the period."),
    "decision_reason_required": _("Say why the request is rejected: the operator is told."),
    "roster_no_operators": _("Nobody in this team is employed in the period."),
    "roster_no_templates": _("The site has no shift templates."),
    "roster_no_staffing": _("There is no staffing requirement for the period."),
    "templates_cannot_cover": _("Some demand cannot be covered by any shift template."),
    "roster_edit_breaks_rules": _(
        "The change breaks rostering rules: give a reason and tick override to keep it."
    ),
    "shift_overlap": _("The shift overlaps another shift of the same person."),
    "roster_superseded": _("A newer version of this roster is already published."),
    "working_time_violations": _("The roster breaks working-time rules."),
    "period_not_open": _("The period is not open."),
    "period_not_closed": _("Close the period before exporting it."),
    "period_has_exceptions": _(
        "Missing punches remain, or people paid across sites whose rate and overtime need "
        "checking: resolve them, or give a reason to close anyway."
    ),
    "adjustments_need_approval": _("Approve the adjustments for earlier periods to close."),
    "period_not_ended": _(
        "The period has not ended yet: close it after its last shift, or give a reason to "
        "close it now."
    ),
    "pay_period_overlaps": _("The period overlaps an existing one."),
    "export_account_missing": _(
        "The site's account with this payroll system is not set up: nothing was exported."
    ),
    "export_codes_unmapped": _(
        "Some pay codes of the period have no code in this payroll system: nothing was exported."
    ),
    "export_reissue_format": _(
        "Only a payroll system's file (ADP or DATEV) is re-issued: the other exports hold no "
        "earnings codes or payroll numbers to correct."
    ),
    "export_not_made": _(
        "This export has not been made yet: make it first; nothing was re-issued."
    ),
    "export_reissue_unchanged": _(
        "The file would be the same as the current one: correct the earnings codes or payroll "
        "numbers first; nothing was re-issued."
    ),
    "payroll_codes_invalid": _(
        "Some values are not valid for the payroll system: nothing was saved."
    ),
    "acd_file_too_large": _("The ACD file is over 4 MB: export it a day or a week at a time."),
    "export_identifiers_shared": _(
        "Employees paid in the period share a number in this payroll system: their pay would "
        "be summed on one person. Nothing was exported."
    ),
    "export_identifiers_missing": _(
        "Some employees paid in the period have no number in this payroll system: nothing was "
        "exported."
    ),
    "roster_not_draft": _("Only a draft can be changed this way."),
    "shift_outside_period": _("The shift lies outside the roster's period."),
    "shift_changed": _(
        "The shift was changed or removed by someone else since you opened it: look at it again."
    ),
    "nothing_to_undo": _(
        "There is no edit of yours to undo: the last change was someone else's, or not an edit."
    ),
    "roster_rules_contradict": _("The rules contradict each other for some people."),
    "roster_not_found_in_time": _("No roster was found in the time limit: allow more time."),
    "reauthentication_required": _("Log in again to clock in or out."),
    "remote_clock_not_allowed": _("Clocking in from home is not allowed for you."),
    "employee_other_site": _("This terminal does not take punches of other sites' employees."),
    "punch_not_storable": _("The punch could not be stored: a value is out of range."),
    "invalid_input": _("Invalid input."),
    "swap_not_your_shift": _("You can only offer your own shifts."),
    "swap_shift_not_published": _("Only published shifts can be traded."),
    "swap_shift_changed": _("The shift has changed or been traded since."),
    "swap_shift_in_past": _("The shift has already started."),
    "swap_notice_too_short": _("The shift starts too soon to be traded."),
    "swap_other_team": _("Shifts can only be traded within your team."),
    "swap_across_rosters": _("Both shifts must be in the same roster."),
    "swap_own_offer": _("You cannot accept your own offer."),
    "swap_not_for_you": _("This request is addressed to someone else."),
    "swap_wrong_state": _("The request has already been decided."),
    "swap_expired": _("The request has expired."),
    "shift_already_offered": _("This shift is already part of an open request."),
    "swap_party_cannot_decide": _("You cannot decide a request you are part of."),
    "swap_unequal_paid_time": _("The team only trades shifts of equal paid time."),
    "swap_drops_coverage": _("Releasing the shift would leave too few agents."),
    "swap_breaks_min_rest": _("The trade leaves less than the minimum rest between shifts."),
    "swap_breaks_skill": _("The colleague is not skilled for the shift's queue."),
    "swap_breaks_max_days_per_week": _("The trade exceeds the days allowed per week."),
    "swap_breaks_max_minutes_per_week": _("The trade exceeds the hours allowed per week."),
    "swap_breaks_min_minutes_per_week": _("The trade leaves someone below their weekly hours."),
    "swap_breaks_one_shift_per_day": _("Someone would work two shifts on one day."),
    "swap_breaks_overlap": _("The shifts would overlap."),
    "swap_breaks_unavailable": _("Someone is not available then."),
    "too_many_open_requests": _("You have too many open requests."),
    "too_many_accepts": _("Too many acceptances in the last hour: try later."),
    "time_off_in_past": _("Time off starts today or later."),
    "time_off_too_long": _("Ask for at most 60 days at a time."),
    "time_off_overlaps": _("You already asked for some of these days."),
    "time_off_wrong_state": _("The request has already been decided."),
    "time_off_started": _("Time off that has begun cannot be cancelled."),
    "time_off_own_request": _("You cannot decide your own time off."),
    "bad_history_file": _("The history file cannot be imported."),
    "bad_horizon": _("The horizon must be 1 to 366 days."),
    "bad_interval": _("The interval length must divide a day."),
    "bad_local_time": _("The time does not exist or is ambiguous in the site's time zone."),
    "batch_too_large": _("A batch holds at most 500 punches."),
    "below_minimum_wage": _("The hourly rate is below the site's minimum hourly wage."),
    "currency_conversion_missing": _(
        "A site's new currency needs the conversion of its employees' rates: how much of the "
        "new currency one unit of the old is worth (1 if only the code was wrong). The rates "
        "from the first day not in a closed pay period are recorded in the new currency; "
        "closed periods keep theirs."
    ),
    "device_pin_rate_limited": _("Too many wrong PINs from this device: wait a minute."),
    "event_id_conflict": _("This event id was stored earlier with different content."),
    "history_too_large": _("The history file is too large."),
    "impossible_service_goal": _("The queue's service goal cannot be met by any number of agents."),
    "in_use": _("This object is still referenced and cannot be deleted."),
    "interval_mismatch": _("The file's interval length differs from the queue's stored history."),
    "invalid_credentials": _("Wrong username or password."),
    "job_not_cancellable": _("The job has already finished."),
    "login_locked": _(
        "Too many logins tried for this user: wait 15 minutes or ask an administrator."
    ),
    "no_history": _("The queue has no call history to forecast from."),
    "permission_denied": _("You do not have permission to do this."),
    "pin_locked": _("Too many wrong PINs: try again in 15 minutes or ask a manager."),
    "pin_wrong": _("Wrong PIN."),
    "range_too_long": _("Ask for at most 31 days at a time."),
    "retention_floor": _("These records are within their legal retention period."),
    "start_before_history_end": _("The forecast must start after the history ends."),
    "offer_bad_window": _(
        "An offer runs from now or later to a later time, and expires before it."
    ),
    "offer_taken": _("Someone else took this offer first."),
    "offer_expired": _("This offer has expired."),
    "offer_already_accepted": _("You already accepted this offer."),
    "offer_not_eligible": _(
        "This offer is not for you (your team, skills or shift do not fit it)."
    ),
    "offer_after_vto": _(
        "You took voluntary time off on this day: overtime on the same day is not offered to you."
    ),
    "offer_breaks_rules": _("Taking this offer would break a working-time or rostering rule."),
    "offer_leaves_trainee_alone": _(
        "Taking this offer would leave a trainee on the phone without a mentor: no other mentor "
        "has room then."
    ),
    "offer_withdraw_accepted": _(
        "Every place of this offer is taken: it can no longer be withdrawn."
    ),
    "intraday_move_past": _(
        "The break has started or would start in the past: it stays where it is."
    ),
    "intraday_move_stale": _("The shift or its break has changed since the move was proposed."),
    "intraday_move_breaks_rules": _("Moving the break there would break a rostering rule."),
    "intraday_move_other_day": _("A move stays within its day: the new time is on another day."),
    "date_out_of_range": _("Give a date from 1970-01-01 to 2099-12-31."),
    "time_without_offset": _("Give the time with its UTC offset, e.g. 2026-03-04T13:00+01:00."),
    "intraday_no_plan": _("The queue has no forecast for today: forecast it first."),
    "reforecast_outside_history": _(
        "The reforecast time must lie inside a day the history covers (after its first day)."
    ),
    "swap_breaks_rules": _("The trade breaks a rostering rule."),
    "swap_not_qualified": _("You are not qualified for this shift."),
    "unknown_employee": _("No employee has this badge or number."),
    "unknown_method": _("Unknown forecasting method."),
    "correction_in_future": _("That time has not come yet."),
    "correction_too_old": _("Corrections can be asked for up to 31 days back: ask your manager."),
    "punch_not_yours": _("You have no such punch."),
    "correction_already_requested": _(
        "You already asked for this correction; it is waiting for a decision."
    ),
    "too_many_correction_requests": _("You have too many correction requests waiting."),
    "correction_request_wrong_state": _("The request has already been decided or withdrawn."),
    "correction_own_request": _("You cannot decide a correction of your own punches."),
    # Issue 21: set-up pages.
    "device_name_taken": _("A device of this name is already registered at the site."),
    "device_revoked": _("The device is revoked; register a new one."),
    "availability_past_deadline": _(
        "Availability for these days can no longer be changed: the deadline passed."
    ),
    "availability_roster_built": _("A roster already covers some of these days; ask your manager."),
    "pay_policy_change_too_early": _(
        "A change pays from the next pay period on, not inside one already opened or closed."
    ),
    # end of issue 21
    # Issue 24: training new operators.
    "training_bad_length": _(
        "A length must be more than zero minutes, and a minimum not above its maximum."
    ),
    "training_longer_than_window": _(
        "The session or meeting is longer than the window it must be placed in."
    ),
    "trainer_double_booked": _(
        "The trainer already gives another session whose window overlaps this one."
    ),
    "training_no_mentor": _("Nobody on the programme's queue is a mentor: name a mentor first."),
    "training_already_enrolled": _("The operator already follows this programme."),
    "training_enrolment_closed": _("The plan was signed off or withdrawn; it no longer changes."),
    "training_session_full": _("The session has reached its capacity."),
    "training_plan_below_contract": _(
        "The plan's weekly supervised maximum is below the operator's contract minimum, and "
        "they work no other queue: a trainee's phone time is all supervised."
    ),
    "training_hours_short": _(
        "The trainee has not yet had the supervised hours the programme requires."
    ),
    # end of issue 24
    # issue 26: the ACD feed
    "acd_unknown_queue": _("No queue of this site has this name or id."),
    "acd_counts_inconsistent": _(
        "The counts do not add up: answered and abandoned cannot exceed offered, nor answered "
        "within the goal exceed answered."
    ),
    "agent_state_ends_before_start": _("The state ends before (or when) it starts."),
    "agent_state_overlap": _("The operator already has a state at this time."),
    "acd_period_closed": _("This time lies in a closed pay period; the feed for it is not taken."),
    "acd_not_storable": _(
        "The database refused this row (a value out of range); it was not stored."
    ),
    "acd_batch_too_large": _("A batch holds at most 500 rows."),
    "acd_file_invalid": _("The file is not an ACD interval export this import reads."),
    "acd_interval_length": _(
        "An ACD interval lasts 5, 6, 10, 12, 15, 20, 30 or 60 minutes (a divisor of an hour)."
    ),
    "acd_interval_misaligned": _(
        "The interval does not start on its grid: a 15-minute interval starts at :00, :15, :30 "
        "or :45 of the site's local time (a 30-minute one at :00 or :30, and so on)."
    ),
    "acd_interval_overlap": _(
        "Another interval of this queue with another start or length covers part of this "
        "one: its calls would be counted twice. Restate an interval with the same start and "
        "length."
    ),
    # end of issue 26 (ACD feed)
    # issue 25: jurisdiction packs and attendance-points cases
    "pay_policy_unlawful": _("The law of the site's country does not allow these fines."),
    "pay_policy_fines_no_pack": _(
        "The product has no rule pack for the site's country, so fines are off there."
    ),
    "fine_acknowledgement_after_fine": _(
        "A fine was already taken before this day: the rules cannot have been received after "
        "it. Nothing saved."
    ),
    "fine_cap_lift_at_minimum_wage": _(
        "Only someone paid above the minimum wage may agree in writing to lift the weekly cap "
        "(BW art. 7:650 lid 6)."
    ),
    "points_case_decided": _("This case was already decided."),
    "points_case_conversation_to_come": _("The conversation's day is still to come."),
    "points_case_conversation_before_case": _(
        "The conversation's day is before the case was opened."
    ),
    "fine_receipt_to_come": _("The day of receipt is still to come."),
    "fine_acknowledgement_recorded": _(
        "This receipt is already recorded: the same person, day and rules."
    ),
    # end of issue 25 (packs and cases)
}

# What a jurisdiction pack refuses in a pay policy, beside the field; the article follows.
PACK_REFUSALS = {
    "fines_unlawful": _("The law here does not allow this fine"),
    "fines_no_pack": _("No rule pack for this country, so fines are off"),
    "fine_amount_not_fixed": _("Each fine must be a set amount of money"),
    "fine_destination_missing": _("Name where the fines go"),
    "fine_destination_employer": _("The fines may not go to the employer"),
}

OFFER_BREAKS_RULE = _("Taking this offer would break a rule: {rule}.")


ACD_COLUMNS_MISSING = _(
    "The file's header lacks these columns: %(columns)s. An ACD interval export needs the "
    "interval start, handled, abandoned, ASA, AHT and service level (offered is optional)."
)


def error_text(exc: DomainError) -> str:
    """The refusal in the reader's language; a broken rostering rule names the violation."""
    violations = exc.extra.get("violations") or []
    if exc.code == "offer_breaks_rules" and violations:  # the rule's own sentence
        return str(OFFER_BREAKS_RULE).format(rule=violation_text(violations[0]))
    missing = exc.extra.get("missing")
    if exc.code == "acd_file_invalid" and missing:  # which columns the header lacks
        names = [{"asa": "ASA", "aht": "AHT"}.get(m, str(m).replace("_", " ")) for m in missing]
        return str(ACD_COLUMNS_MISSING) % {"columns": ", ".join(names)}
    if not exc.code.startswith("swap_breaks_"):
        return str(BY_CODE.get(exc.code, exc.message))
    text = str(BY_CODE.get(exc.code, BY_CODE["swap_breaks_rules"]))
    return f"{text} ({violation_text(violations[0])})" if violations else text


def job_failure_text(job: Job) -> str:
    """Why a job failed, in the reader's language when its result carries a refusal code."""
    return str(BY_CODE.get(str((job.result or {}).get("code", "")), job.message))


def violation_text(violation: dict[str, Any]) -> str:
    """What a rule violation (rules.py) says, in the reader's language."""
    reason = violation.get("reason")
    return (reason and sentences.say([reason], sentences.RULES)) or str(violation["message"])
