"""The base of every refusal, and the organisation's own: a stable code, an HTTP status, a message
and extra values (STYLE.md, "Errors"). Pure: the pure modules raise from it too, and the API
renders it (organisation/api/errors.py)."""

from http import HTTPStatus
from typing import Any, ClassVar


class DomainError(Exception):
    """A refused use case. Subclasses set class attributes only."""

    code: ClassVar[str] = "domain_error"
    http_status: ClassVar[int] = HTTPStatus.BAD_REQUEST
    default_message: ClassVar[str] = "The request cannot be carried out."

    def __init__(self, message: str | None = None, *, extra: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.extra = extra or {}
        super().__init__(self.message)


class NotPermitted(DomainError):
    code = "permission_denied"
    http_status = HTTPStatus.FORBIDDEN
    default_message = "You do not have permission to perform this action."


class InvalidInput(DomainError):
    code = "invalid_input"
    default_message = "Invalid input."


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    default_message = "Wrong username or password."


class LoginLocked(DomainError):
    code = "login_locked"
    http_status = HTTPStatus.TOO_MANY_REQUESTS
    default_message = (
        "Too many logins tried for this user: wait 15 minutes or ask an administrator."
    )


class InUse(DomainError):
    code = "in_use"
    http_status = HTTPStatus.CONFLICT
    default_message = "This object is still referenced and cannot be deleted."


class CurrencyConversionMissing(DomainError):
    code = "currency_conversion_missing"
    default_message = (
        "A site's new currency needs the conversion of its employees' rates: rate_conversion, "
        "how much of the new currency one unit of the old is worth (1 if only the code was "
        "wrong). The rates from the first day not in a closed pay period are recorded in the "
        "new currency; closed periods keep theirs."
    )


class BelowMinimumWage(DomainError):
    code = "below_minimum_wage"
    default_message = "The hourly rate is below the site's minimum hourly wage."


class JobNotCancellable(DomainError):
    code = "job_not_cancellable"
    http_status = HTTPStatus.CONFLICT
    default_message = "The job has already finished."


class LocalTimeSkipped(DomainError, ValueError):
    """The wall-clock time does not exist on that day: the clocks jumped over it."""

    code = "bad_local_time"


class LocalTimeAmbiguous(DomainError, ValueError):
    """The wall-clock time happens twice on that day: the clocks went back over it."""

    code = "bad_local_time"
