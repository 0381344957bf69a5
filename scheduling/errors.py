"""Refusals of the scheduling use cases, each with a stable code."""

from rest_framework import status

from wfm.errors import DomainError


class BadHistoryFile(DomainError):
    code = "bad_history_file"
    default_message = "The history file cannot be imported."


class IntervalMismatch(DomainError):
    code = "interval_mismatch"
    http_status = status.HTTP_409_CONFLICT
    default_message = "The file's interval length differs from the queue's stored history."


class HistoryTooLarge(DomainError):
    code = "history_too_large"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = "The history file is too large."


class NoHistory(DomainError):
    code = "no_history"
    default_message = "The queue has no call history to forecast from."


class StartBeforeHistoryEnd(DomainError):
    code = "start_before_history_end"
    default_message = "The forecast must start after the history ends."


class BadHorizon(DomainError):
    code = "bad_horizon"
    default_message = "The horizon must be 1 to 366 days."


class UnknownMethod(DomainError):
    code = "unknown_method"
    default_message = "Unknown forecasting method."


class BadInterval(DomainError):
    code = "bad_interval"
    default_message = "The interval length must divide a day."


class ImpossibleServiceGoal(DomainError):
    code = "impossible_service_goal"
    default_message = "The queue's service goal cannot be met by any number of agents."


class RangeTooLong(DomainError):
    code = "range_too_long"
    default_message = "Ask for at most 31 days at a time."


FORECAST_REFUSALS: dict[str, type[DomainError]] = {
    cls.code: cls
    for cls in (NoHistory, StartBeforeHistoryEnd, BadHorizon, UnknownMethod, BadInterval)
}


# --- Rosters -------------------------------------------------------------------------------


class RosterPeriodInPast(DomainError):
    code = "roster_period_in_past"
    default_message = "A roster period cannot start before today (in the site's time zone)."


class RosterPeriodTooLong(DomainError):
    code = "roster_period_too_long"
    default_message = "A roster period is 1 to 112 days (16 weeks)."


class RosterPeriodOverlaps(DomainError):
    code = "roster_period_overlaps"
    http_status = status.HTTP_409_CONFLICT
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


class TemplatesCannotCover(DomainError):
    code = "templates_cannot_cover"
    default_message = "No shift template can be on duty in some intervals that need agents."


class RosterNotDraft(DomainError):
    code = "roster_not_draft"
    http_status = status.HTTP_409_CONFLICT
    default_message = "Only a draft roster can be changed; revise the published one."


class RosterSuperseded(DomainError):
    code = "roster_superseded"
    http_status = status.HTTP_409_CONFLICT
    default_message = "A later version of this roster has been published."


class ShiftOverlap(DomainError):
    code = "shift_overlap"
    http_status = status.HTTP_409_CONFLICT
    default_message = "The shift overlaps another shift of the same person."


class RosterEditBreaksRules(DomainError):
    code = "roster_edit_breaks_rules"
    http_status = status.HTTP_409_CONFLICT
    default_message = (
        "The change breaks rostering rules; give a reason and override=true to keep it anyway."
    )


class ShiftOutsidePeriod(DomainError):
    code = "shift_outside_period"
    default_message = "The shift must start on a day of the roster's period."


class BadLocalTime(DomainError):
    code = "bad_local_time"
    default_message = "The time does not exist or is ambiguous in the site's time zone."
