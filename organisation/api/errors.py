"""One error shape for every 4xx: {"code", "message", "extra"}: the DRF exception handler and
the JSON handlers of URLs outside any view (STYLE.md, "Errors")."""

import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from organisation.errors import DomainError, InUse


def error_body(code: str, message: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "extra": extra or {}}


_DRF_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _field_errors(detail: Any) -> Any:
    """Turn DRF's nested error details into {"field": [{"code", "message"}]} recursively."""
    if isinstance(detail, dict):
        return {str(key): _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_field_errors(item) for item in detail]
    return {"code": getattr(detail, "code", "invalid"), "message": str(detail)}


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    fields = _field_errors(detail)
    first = next(iter(fields.values()), [])
    message = "Invalid input."
    if isinstance(first, list) and first and isinstance(first[0], dict) and "message" in first[0]:
        message = f"Invalid input: {first[0]['message']}"
    return error_body("invalid_input", message, {"fields": fields})


# The database out of reach for a moment (restarted, failed over, too many connections): the
# client is told to come back, never given a 500 (terminals and pages retry).
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def _unavailable_body() -> dict[str, Any]:
    return error_body(
        "unavailable",
        "The service is unavailable for a moment; try again shortly.",
        {"retry_after_seconds": RETRY_AFTER_SECONDS},
    )


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF EXCEPTION_HANDLER: domain errors, DRF errors and Django 404/403 in one shape; the
    database out of reach is a 503 with Retry-After."""
    if isinstance(exc, UNAVAILABLE):
        response = Response(_unavailable_body(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, RequestDataTooBig):
        limit = {"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        body = error_body("body_too_large", "The request body is over the limit.", limit)
        return Response(body, status=413)
    if isinstance(exc, DomainError):
        response = Response(error_body(exc.code, exc.message, exc.extra), status=exc.http_status)
        if "retry_after_seconds" in exc.extra:
            response["Retry-After"] = str(exc.extra["retry_after_seconds"])
        return response
    if isinstance(exc, ProtectedError | RestrictedError):
        err = InUse()
        return Response(error_body(err.code, err.message), status=err.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
        return response
    if not isinstance(exc, exceptions.APIException):
        return response
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), None)
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after_seconds"] = int(exc.wait)
    response.data = error_body(code or str(exc.default_code), str(exc.detail), extra)
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """handler404 for URLs outside any view, so API clients never get an HTML page."""
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def json_bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("bad_request", "Bad request."), status=400)


def json_server_error(request: HttpRequest) -> JsonResponse:
    """handler500: an error outside any API view (a middleware reading the session, ...);
    the database out of reach is a 503 with Retry-After there too."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        response = JsonResponse(_unavailable_body(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse(error_body("server_error", "Internal server error."), status=500)
