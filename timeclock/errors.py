"""Refusals of the time clock and of pay (punches, corrections, pay periods, retention),
each with a stable code."""

from http import HTTPStatus

from organisation.errors import DomainError, InvalidInput


class UnknownEmployee(DomainError):
    code = "unknown_employee"
    default_message = "No employee has this badge or number."


class EmployeeOtherSite(DomainError):
    code = "employee_other_site"
    http_status = HTTPStatus.FORBIDDEN
    default_message = (
        "This employee belongs to another site, and this site's clock policy does not take "
        "punches of other sites' employees."
    )


class PunchNotStorable(DomainError):
    code = "punch_not_storable"
    default_message = "The database refused this punch (a value out of range); it was not stored."


class RemoteClockNotAllowed(DomainError):
    code = "remote_clock_not_allowed"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "Remote clocking is for home workers, or where the site allows it."


class PinWrong(DomainError):
    code = "pin_wrong"
    http_status = HTTPStatus.UNAUTHORIZED
    default_message = "Wrong PIN."


class PinLocked(DomainError):
    code = "pin_locked"
    http_status = HTTPStatus.TOO_MANY_REQUESTS
    default_message = "Too many wrong PINs: try again in 15 minutes or ask a manager."


class EventIdConflict(DomainError):
    code = "event_id_conflict"
    http_status = HTTPStatus.UNPROCESSABLE_ENTITY
    default_message = "This event id was stored earlier with different content."


class BatchTooLarge(DomainError):
    code = "batch_too_large"
    http_status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_message = "A batch holds at most 500 punches."


class DevicePinRateLimited(DomainError):
    code = "device_pin_rate_limited"
    http_status = HTTPStatus.TOO_MANY_REQUESTS
    default_message = "Too many wrong PINs from this device: wait a minute."


class ReauthenticationRequired(DomainError):
    code = "reauthentication_required"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "Log in again to clock remotely (your login is over 12 hours old)."


# --- Correction requests -------------------------------------------------------------------


class CorrectionInFuture(DomainError):
    code = "correction_in_future"
    default_message = "A correction cannot be for a time that has not come yet."


class CorrectionTooOld(DomainError):
    code = "correction_too_old"
    default_message = "Corrections can be asked for up to 31 days back; ask a manager."


class PunchNotYours(DomainError):
    # 404, as for a punch that does not exist: another person's punch is not shown to exist.
    code = "punch_not_yours"
    http_status = HTTPStatus.NOT_FOUND
    default_message = "You have no such punch."


class CorrectionAlreadyRequested(DomainError):
    code = "correction_already_requested"
    http_status = HTTPStatus.CONFLICT
    default_message = "You already asked for this correction; it waits for a decision."


class TooManyCorrectionRequests(DomainError):
    code = "too_many_correction_requests"
    http_status = HTTPStatus.CONFLICT
    default_message = "You have too many correction requests waiting; wait for some decisions."


class CorrectionRequestWrongState(DomainError):
    code = "correction_request_wrong_state"
    http_status = HTTPStatus.CONFLICT
    default_message = "The request has already been decided or withdrawn."


class CorrectionOwnRequest(DomainError):
    code = "correction_own_request"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "You cannot decide a correction of your own punches."


# --- Pay periods ---------------------------------------------------------------------------


class PeriodNotOpen(DomainError):
    code = "period_not_open"
    http_status = 409
    default_message = "The pay period is already closed."


class PeriodNotClosed(DomainError):
    code = "period_not_closed"
    http_status = 409
    default_message = "Only a closed pay period can be exported."


class PeriodNotEnded(DomainError):
    code = "period_not_ended"
    http_status = 409
    default_message = (
        "The pay period has not ended yet: close it after its last shift ends, or force the "
        "close with a reason."
    )


class PeriodHasExceptions(DomainError):
    code = "period_has_exceptions"
    http_status = 409
    default_message = (
        "Resolve the missing punches first and check the rate and overtime of the people paid "
        "across sites, or close with force and a reason."
    )


class AdjustmentsNeedApproval(DomainError):
    code = "adjustments_need_approval"
    http_status = 409
    default_message = (
        "Earlier closed periods changed since they were closed; review the adjustments and "
        "close with approve_adjustments."
    )


class PeriodOverlaps(DomainError):
    code = "pay_period_overlaps"
    http_status = 409
    default_message = "The site already has a pay period covering some of these days."


# --- Retention -----------------------------------------------------------------------------


class RetentionFloor(DomainError):
    code = "retention_floor"
    http_status = 409
    default_message = "These records are within their legal retention period."


# --- Devices (issue 21) --------------------------------------------------------------------


class DeviceNameTaken(DomainError):
    code = "device_name_taken"
    http_status = 409
    default_message = "A device of this name is already registered at the site."


class DeviceRevoked(DomainError):
    code = "device_revoked"
    http_status = 409
    default_message = "The device is revoked; register a new one."


# --- Pay policy versions (issue 21) --------------------------------------------------------


class PayPolicyChangeTooEarly(DomainError):
    code = "pay_policy_change_too_early"
    default_message = (
        "A pay policy change takes effect from the next pay period, not within one already "
        "opened or closed."
    )


# --- Payroll exports that import (issue 25, item 3) ----------------------------------------


class ExportAccountMissing(DomainError):
    code = "export_account_missing"
    http_status = 409
    default_message = (
        "The site's account with this payroll system is not set up (company code and batch, "
        "or consultant and client numbers): nothing was exported."
    )


class ExportCodesUnmapped(DomainError):
    code = "export_codes_unmapped"
    http_status = 409
    default_message = (
        "Pay codes used in the period have no code in this payroll system: map them on the "
        "earnings codes page; nothing was exported."
    )


class ExportIdentifiersShared(DomainError):
    code = "export_identifiers_shared"
    http_status = 409
    default_message = (
        "Employees paid in the period share a number in this payroll system: their pay would "
        "be summed on one person. Nothing was exported."
    )


class ExportIdentifiersMissing(DomainError):
    code = "export_identifiers_missing"
    http_status = 409
    default_message = (
        "Employees paid in the period have no number in this payroll system (ADP file "
        "number or DATEV personnel number): nothing was exported."
    )


class ExportReissueFormat(DomainError):
    code = "export_reissue_format"
    default_message = (
        "Only a payroll system's file (ADP or DATEV) is re-issued: the other exports hold no "
        "earnings codes or payroll numbers to correct."
    )


class ExportNotMade(DomainError):
    code = "export_not_made"
    http_status = 409
    default_message = "This export has not been made yet: make it first; nothing was re-issued."


class ExportReissueUnchanged(DomainError):
    code = "export_reissue_unchanged"
    http_status = 409
    default_message = (
        "The file would be the same as the current one: correct the earnings codes or "
        "payroll numbers first; nothing was re-issued."
    )


class PayrollCodesInvalid(DomainError):
    code = "payroll_codes_invalid"
    default_message = "Some values are not valid for the payroll system: nothing was saved."


# --- Jurisdiction packs and points cases (issue 25, items 1 and 5) -------------------------


class PayPolicyUnlawful(DomainError):
    code = "pay_policy_unlawful"
    default_message = "The law of the site's country does not allow these fines: nothing saved."


class PayPolicyFinesNoPack(DomainError):
    code = "pay_policy_fines_no_pack"
    default_message = (
        "The product has no rule pack for the site's country, so fines are off there: "
        "nothing saved."
    )


class FineAcknowledgementAfterFine(DomainError):
    code = "fine_acknowledgement_after_fine"
    default_message = (
        "The employee was already fined before this day: the rules cannot have been received "
        "after a fine taken under them (BW art. 7:650). Nothing saved."
    )


class FineCapLiftAtMinimumWage(DomainError):
    code = "fine_cap_lift_at_minimum_wage"
    default_message = (
        "Only an employee paid above the minimum wage may agree in writing to lift the weekly "
        "cap on fines (BW art. 7:650 lid 6). Nothing saved."
    )


class FineReceiptToCome(InvalidInput):
    """A bad day is invalid input (400), with a code of its own for the page's sentence."""

    code = "fine_receipt_to_come"
    default_message = "The day of receipt is still to come: nothing saved."


class FineAcknowledgementRecorded(DomainError):
    code = "fine_acknowledgement_recorded"
    http_status = HTTPStatus.CONFLICT
    default_message = (
        "This receipt is already recorded: the same employee, day and rules. Nothing saved."
    )


class PointsCaseConversationToCome(InvalidInput):
    code = "points_case_conversation_to_come"
    default_message = "The conversation's day is still to come."


class PointsCaseConversationBeforeCase(InvalidInput):
    code = "points_case_conversation_before_case"
    default_message = "The conversation's day is before the case was opened."


class PointsCaseDecided(DomainError):
    code = "points_case_decided"
    http_status = HTTPStatus.CONFLICT
    default_message = "This case was already decided; its decision stays as recorded."


# --- The ACD feed (issue 26) ---------------------------------------------------------------


class AcdUnknownQueue(DomainError):
    code = "acd_unknown_queue"
    default_message = "No queue of this site has this name or id."


class AcdCountsInconsistent(DomainError):
    code = "acd_counts_inconsistent"
    default_message = (
        "The counts do not add up: answered and abandoned cannot exceed offered, nor answered "
        "within the goal exceed answered."
    )


class AgentStateEndsBeforeStart(DomainError):
    code = "agent_state_ends_before_start"
    default_message = "The state ends before (or when) it starts."


class AgentStateOverlap(DomainError):
    code = "agent_state_overlap"
    http_status = HTTPStatus.CONFLICT
    default_message = "The operator already has a state at this time."


class AcdPeriodClosed(DomainError):
    code = "acd_period_closed"
    http_status = HTTPStatus.CONFLICT
    default_message = "This time lies in a closed pay period; the feed for it is not taken."


class AcdNotStorable(DomainError):
    code = "acd_not_storable"
    default_message = "The database refused this row (a value out of range); it was not stored."


class AcdBatchTooLarge(DomainError):
    code = "acd_batch_too_large"
    http_status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_message = "A batch holds at most 500 rows."


class AcdFileTooLarge(DomainError):
    code = "acd_file_too_large"
    http_status = 413
    default_message = "The ACD file is over 4 MB: export it a day or a week at a time."


class AcdFileInvalid(DomainError):
    code = "acd_file_invalid"
    default_message = "The file is not an ACD interval export this import reads."
