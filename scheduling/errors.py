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
