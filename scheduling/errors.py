"""Refusals of the scheduling use cases, each with a stable code."""

from dataclasses import dataclass
from http import HTTPStatus

from organisation.errors import DomainError


class BadHistoryFile(DomainError):
    code = "bad_history_file"
    default_message = "The history file cannot be imported."


class IntervalMismatch(DomainError):
    code = "interval_mismatch"
    http_status = HTTPStatus.CONFLICT
    default_message = "The file's interval length differs from the queue's stored history."


class HistoryTooLarge(DomainError):
    code = "history_too_large"
    http_status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_message = "The history file is too large."


class ForecastInputError(DomainError, ValueError):
    """A forecast request the forecaster cannot honour: the base of the refusals below, which
    the pure forecast module raises as they are."""


class NoHistory(ForecastInputError):
    code = "no_history"
    default_message = "The queue has no call history to forecast from."


class StartBeforeHistoryEnd(ForecastInputError):
    code = "start_before_history_end"
    default_message = "The forecast must start after the history ends."


class BadHorizon(ForecastInputError):
    code = "bad_horizon"
    default_message = "The horizon must be 1 to 366 days."


class UnknownMethod(ForecastInputError):
    code = "unknown_method"
    default_message = "Unknown forecasting method."


class BadInterval(ForecastInputError):
    code = "bad_interval"
    default_message = "The interval length must divide a day."


class ReforecastOutsideHistory(ForecastInputError):
    code = "reforecast_outside_history"
    default_message = (
        "The reforecast time must lie inside a day the history covers (after its first day)."
    )


class IntradayNoPlan(DomainError):
    code = "intraday_no_plan"
    http_status = HTTPStatus.CONFLICT
    default_message = "The queue has no forecast for today: forecast it first."


class DateOutOfRange(DomainError):
    code = "date_out_of_range"
    default_message = "Give a date from 1970-01-01 to 2099-12-31."


class TimeWithoutOffset(DomainError):
    code = "time_without_offset"
    default_message = "Give the time with its UTC offset, e.g. 2026-03-04T13:00+01:00."


class OfferBadWindow(DomainError):
    code = "offer_bad_window"
    default_message = "An offer runs from now or later to a later time, and expires before it."


class OfferTaken(DomainError):
    code = "offer_taken"
    http_status = HTTPStatus.CONFLICT
    default_message = "Someone else took this offer first."


class OfferExpired(DomainError):
    code = "offer_expired"
    http_status = HTTPStatus.CONFLICT
    default_message = "This offer has expired."


class OfferAlreadyAccepted(DomainError):
    code = "offer_already_accepted"
    http_status = HTTPStatus.CONFLICT
    default_message = "You already accepted this offer."


class OfferNotEligible(DomainError):
    code = "offer_not_eligible"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "This offer is not for you (your team, skills or shift do not fit it)."


class OfferBreaksRules(DomainError):
    code = "offer_breaks_rules"
    http_status = HTTPStatus.CONFLICT
    default_message = "Taking this offer would break a working-time or rostering rule."


class OfferLeavesTraineeAlone(DomainError):
    code = "offer_leaves_trainee_alone"
    http_status = HTTPStatus.CONFLICT
    default_message = (
        "Taking this offer would leave a trainee on the phone without a mentor: no other mentor "
        "has room then."
    )


class OfferWithdrawAccepted(DomainError):
    code = "offer_withdraw_accepted"
    http_status = HTTPStatus.CONFLICT
    default_message = "Every place of this offer is taken: it can no longer be withdrawn."


class IntradayMovePast(DomainError):
    code = "intraday_move_past"
    http_status = HTTPStatus.CONFLICT
    default_message = "The break has started or would start in the past: it stays where it is."


class IntradayMoveStale(DomainError):
    code = "intraday_move_stale"
    http_status = HTTPStatus.CONFLICT
    default_message = "The shift or its break has changed since the move was proposed."


class IntradayMoveOtherDay(DomainError):
    code = "intraday_move_other_day"
    http_status = HTTPStatus.CONFLICT
    default_message = "A move stays within its day: the new time is on another day."


class IntradayMoveBreaksRules(DomainError):
    code = "intraday_move_breaks_rules"
    http_status = HTTPStatus.CONFLICT
    default_message = "Moving the break there would break a rostering rule."


class ImpossibleServiceGoal(DomainError):
    code = "impossible_service_goal"
    default_message = "The queue's service goal cannot be met by any number of agents."


class RangeTooLong(DomainError):
    code = "range_too_long"
    default_message = "Ask for at most 31 days at a time."


# --- Rosters -------------------------------------------------------------------------------


class RosterPeriodInPast(DomainError):
    code = "roster_period_in_past"
    default_message = "A roster period cannot start before today (in the site's time zone)."


class RosterPeriodTooLong(DomainError):
    code = "roster_period_too_long"
    default_message = "A roster period is 1 to 112 days (16 weeks)."


class RosterPeriodOverlaps(DomainError):
    code = "roster_period_overlaps"
    http_status = HTTPStatus.CONFLICT
    default_message = "Another roster of this team or site overlaps the period."


class RosterNoOperators(DomainError):
    code = "roster_no_operators"
    default_message = "Nobody in the team or site is employed during the period."


class RosterNoTemplates(DomainError):
    code = "roster_no_templates"
    default_message = "The site has no active shift templates."


class RosterNoStaffing(DomainError):
    code = "roster_no_staffing"
    default_message = "No staffing requirements cover the period: run a forecast first."


class RosterContradicts(DomainError):
    code = "roster_rules_contradict"
    default_message = "Hard rules contradict each other before any demand is considered."


class RosterNotFound(DomainError):
    code = "roster_not_found_in_time"
    default_message = "No roster was found within the time limit; allow more time."


class TemplatesCannotCover(DomainError):
    code = "templates_cannot_cover"
    default_message = "No shift template can be on duty in some intervals that need agents."


class RosterNotDraft(DomainError):
    code = "roster_not_draft"
    http_status = HTTPStatus.CONFLICT
    default_message = "Only a draft roster can be changed; revise the published one."


class RosterSuperseded(DomainError):
    code = "roster_superseded"
    http_status = HTTPStatus.CONFLICT
    default_message = "A later version of this roster has been published."


class WorkingTimeViolations(DomainError):
    code = "working_time_violations"
    http_status = HTTPStatus.CONFLICT
    default_message = "The roster breaks working-time rules (rest, breaks, averages)."


class ShiftOverlap(DomainError):
    code = "shift_overlap"
    http_status = HTTPStatus.CONFLICT
    default_message = "The shift overlaps another shift of the same person."


class RosterEditBreaksRules(DomainError):
    code = "roster_edit_breaks_rules"
    http_status = HTTPStatus.CONFLICT
    default_message = (
        "The change breaks rostering rules; give a reason and override=true to keep it anyway."
    )


class ShiftOutsidePeriod(DomainError):
    code = "shift_outside_period"
    default_message = "The shift must start on a day of the roster's period."


class ShiftChanged(DomainError):
    code = "shift_changed"
    http_status = HTTPStatus.CONFLICT
    default_message = (
        "The shift was changed or removed by someone else since you opened it; look again."
    )


class NothingToUndo(DomainError):
    code = "nothing_to_undo"
    http_status = HTTPStatus.CONFLICT
    default_message = "There is no edit of yours to undo: the last change was someone else's."


class BadLocalTime(DomainError):
    code = "bad_local_time"
    default_message = "The time does not exist or is ambiguous in the site's time zone."


# --- Swaps, open shifts and time off -------------------------------------------------------


class SwapNotYourShift(DomainError):
    code = "swap_not_your_shift"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "You can only offer your own shifts."


class SwapShiftNotPublished(DomainError):
    code = "swap_shift_not_published"
    http_status = HTTPStatus.CONFLICT
    default_message = "Only shifts of the current published roster can be swapped."


class SwapShiftChanged(DomainError):
    code = "swap_shift_changed"
    http_status = HTTPStatus.CONFLICT
    default_message = "A shift of this request has changed or been swapped since it was made."


class SwapShiftInPast(DomainError):
    code = "swap_shift_in_past"
    http_status = HTTPStatus.CONFLICT
    default_message = "The shift has already started."


class SwapNoticeTooShort(DomainError):
    code = "swap_notice_too_short"
    http_status = HTTPStatus.CONFLICT
    default_message = "The shift starts too soon to be swapped under the team's policy."


class SwapOtherTeam(DomainError):
    code = "swap_other_team"
    default_message = "Shifts can only be traded within one team."


class SwapAcrossRosters(DomainError):
    code = "swap_across_rosters"
    default_message = "Both shifts must belong to the same published roster."


class SwapOwnOffer(DomainError):
    code = "swap_own_offer"
    default_message = "You cannot accept your own offer."


class SwapNotForYou(DomainError):
    code = "swap_not_for_you"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "This request is addressed to someone else."


class SwapWrongState(DomainError):
    code = "swap_wrong_state"
    http_status = HTTPStatus.CONFLICT
    default_message = "The request is not in a state that allows this."


class SwapExpired(DomainError):
    code = "swap_expired"
    http_status = HTTPStatus.CONFLICT
    default_message = "The request has expired: its shift starts too soon."


class ShiftAlreadyOffered(DomainError):
    code = "shift_already_offered"
    http_status = HTTPStatus.CONFLICT
    default_message = "This shift is already part of an open request."


class SwapPartyCannotDecide(DomainError):
    code = "swap_party_cannot_decide"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "You cannot decide a request you are a party to."


class SwapUnequalPaidTime(DomainError):
    code = "swap_unequal_paid_time"
    http_status = HTTPStatus.CONFLICT
    default_message = "The team's policy trades only shifts of equal paid time."


class SwapDropsCoverage(DomainError):
    code = "swap_drops_coverage"
    http_status = HTTPStatus.CONFLICT
    default_message = "Releasing the shift would leave intervals below the coverage threshold."


class SwapNotQualified(DomainError):
    code = "swap_not_qualified"
    http_status = HTTPStatus.CONFLICT
    default_message = "You are not qualified for this shift."


class SwapBreaksRules(DomainError):
    """Base of the rule refusals; each rule of scheduling/rules.py has its own code."""

    code = "swap_breaks_rules"
    http_status = HTTPStatus.CONFLICT
    default_message = "The swap breaks rostering rules."


def _rule_error(rule: str) -> type[SwapBreaksRules]:
    name = "SwapBreaks" + "".join(part.title() for part in rule.split("_"))
    return type(name, (SwapBreaksRules,), {"code": f"swap_breaks_{rule}"})


RULES = (
    "one_shift_per_day",
    "overlap",
    "min_rest",
    "forbidden_transition",
    "max_minutes_total",
    "min_minutes_total",
    "max_minutes_per_week",
    "min_minutes_per_week",
    "max_days_per_week",
    "max_per_template",
    "max_weekends",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "skill",
    "unavailable",
    "template_not_allowed",
    "template_day",
    "template_start",
    "template_length",
    "break_window",
    "pin",
    "horizon",
)
SWAP_RULE_ERRORS: dict[str, type[SwapBreaksRules]] = {rule: _rule_error(rule) for rule in RULES}


class TooManyOpenRequests(DomainError):
    code = "too_many_open_requests"
    http_status = HTTPStatus.CONFLICT
    default_message = "You have too many open requests; wait for some to be decided."


class TooManyAccepts(DomainError):
    code = "too_many_accepts"
    http_status = HTTPStatus.TOO_MANY_REQUESTS
    default_message = "Too many swaps accepted in the last hour."


class TimeOffInPast(DomainError):
    code = "time_off_in_past"
    default_message = "Time off starts today or later (in the site's time zone)."


class TimeOffTooLong(DomainError):
    code = "time_off_too_long"
    default_message = "Ask for at most 60 days at a time."


class TimeOffOverlaps(DomainError):
    code = "time_off_overlaps"
    http_status = HTTPStatus.CONFLICT
    default_message = "You already asked for time off on some of these days."


class TimeOffWrongState(DomainError):
    code = "time_off_wrong_state"
    http_status = HTTPStatus.CONFLICT
    default_message = "The request is not in a state that allows this."


class TimeOffStarted(DomainError):
    code = "time_off_started"
    http_status = HTTPStatus.CONFLICT
    default_message = "Time off that has begun can no longer be cancelled."


class TimeOffOwnRequest(DomainError):
    code = "time_off_own_request"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "You cannot decide your own time off."


# --- Availability (issue 21) ---------------------------------------------------------------


class AvailabilityPastDeadline(DomainError):
    code = "availability_past_deadline"
    default_message = "Availability for these days can no longer be changed: the deadline passed."


class AvailabilityRosterBuilt(DomainError):
    code = "availability_roster_built"
    http_status = HTTPStatus.CONFLICT
    default_message = "A roster already covers some of these days; ask your manager."


# --- end of issue 21


# --- Training new operators (issue 24)


class TrainingBadLength(DomainError):
    code = "training_bad_length"
    default_message = (
        "A length must be more than zero minutes, and a minimum not above its maximum."
    )


class TrainingLongerThanWindow(DomainError):
    code = "training_longer_than_window"
    default_message = "The session or meeting is longer than the window it must be placed in."


class TrainerDoubleBooked(DomainError):
    code = "trainer_double_booked"
    http_status = HTTPStatus.CONFLICT
    default_message = "The trainer already gives another session whose window overlaps this one."


class TrainingNoMentor(DomainError):
    code = "training_no_mentor"
    http_status = HTTPStatus.CONFLICT
    default_message = "Nobody on the programme's queue is a mentor: name a mentor first."


class TrainingAlreadyEnrolled(DomainError):
    code = "training_already_enrolled"
    http_status = HTTPStatus.CONFLICT
    default_message = "The operator already follows this programme."


class TrainingEnrolmentClosed(DomainError):
    code = "training_enrolment_closed"
    http_status = HTTPStatus.CONFLICT
    default_message = "The plan was signed off or withdrawn; it no longer changes."


class TrainingSessionFull(DomainError):
    code = "training_session_full"
    http_status = HTTPStatus.CONFLICT
    default_message = "The session has reached its capacity."


class TrainingPlanBelowContract(DomainError):
    code = "training_plan_below_contract"
    http_status = HTTPStatus.CONFLICT
    default_message = (
        "The plan's weekly supervised maximum is below the operator's contract minimum, and "
        "they work no other queue: a trainee's phone time is all supervised."
    )


class TrainingHoursShort(DomainError):
    code = "training_hours_short"
    http_status = HTTPStatus.CONFLICT
    default_message = "The trainee has not yet had the supervised hours the programme requires."


# --- end of issue 24


# --- Raised by the pure modules (erlang, history_csv); the services turn them into the
# refusals above. They stay ValueErrors too, as they were before they had a base.


class ErlangInputError(DomainError, ValueError):
    """Inputs outside the model's domain (negative load, impossible goal, ...)."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class HistoryFileError(DomainError, ValueError):
    """The file cannot be used; `errors` lists bad rows (line numbers count the header as 1)."""

    code = "bad_history_file"

    def __init__(self, message: str | None = None, errors: list[RowError] | None = None) -> None:
        self.errors = errors or []
        self.problem = message or self.default_message  # what is wrong, without the rows
        detail = "; ".join(f"line {e.line}: {e.message}" for e in self.errors[:5])
        super().__init__(f"{message or self.default_message}{': ' + detail if detail else ''}")


class DecisionReasonRequired(DomainError):
    code = "decision_reason_required"
    default_message = "Say why the request is rejected: the operator is told."


class OfferAfterVto(DomainError):
    code = "offer_after_vto"
    http_status = HTTPStatus.FORBIDDEN
    default_message = (
        "You took voluntary time off on this day: overtime on the same day is not offered to you."
    )
