"""The OpenAPI schema as the API answers (issue 23, item 13): every operation documents the
error answers it can give, each in the one error shape {"code", "message", "extra"}.

Every operation can answer 400 (a malformed query or body), 401 (no or a bad credential), 403
(a role or a device that may not), 404 (an object outside the caller's scope, or none), 406
(an Accept header it cannot meet) and 503 with Retry-After (the database unreachable for a
moment: try again). Operations that write also answer 409 (a state that forbids it), 413 (a
body over the limit) and 415 (a body that is not JSON, or multipart where a file is sent). A
view names any other it can give in `error_statuses` (422 for a reused event id, 429 for a
locked PIN, ...).
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ALWAYS = (400, 401, 403, 404, 406, 503)
WRITES = (409, 413, 415)
DESCRIPTIONS = {
    400: "Invalid input: `extra.fields` names each field and its problem",
    401: "Not authenticated",
    403: "Not permitted for this role",
    404: "No such object for this user (objects outside their scope are not shown to exist)",
    406: "The Accept header asks for a format this operation does not give",
    409: "The object's state does not allow it",
    413: "The body is over the limit",
    415: "The body's media type is not accepted",
    422: "The request conflicts with what was stored before",
    429: "Too many attempts: see Retry-After",
    503: "Unavailable for a moment (the database cannot be reached): retry after Retry-After",
}


class ErrorOutput(serializers.Serializer):
    """Every 4xx and 503 body."""

    code = serializers.CharField(help_text="Stable code of the refusal")
    message = serializers.CharField(help_text="What went wrong, in English")
    extra = serializers.DictField(help_text="Values of the refusal (fields, limits, ...)")


# A time of day as the API writes and reads it: "22:00:00" (or "22:00" in input). JSON
# Schema's "time" format wants an offset the API never gives, so it is a pattern instead.
TIME_OF_DAY = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "22:00:00",
}


class WfmAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the error answers of every operation, and times of
    day in the format they are written."""

    def _get_serializer_field_meta(self, field: Any, direction: Any) -> dict[str, Any]:
        """A read field with `default=None` (a name through an optional relation, such as
        a shift's queue) writes null when the relation is empty: nullable."""
        meta: dict[str, Any] = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and field.read_only and field.default is None:
            meta["nullable"] = True
        return meta

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        if isinstance(field, serializers.TimeField):  # an optional time writes null
            return {**TIME_OF_DAY, "nullable": True} if field.allow_null else dict(TIME_OF_DAY)
        mapped: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        return mapped

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = set(ALWAYS) | set(getattr(self.view, "error_statuses", ()))
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes |= set(WRITES)
        for code in sorted(codes):
            if str(code) not in responses:
                error = OpenApiResponse(response=ErrorOutput, description=DESCRIPTIONS[code])
                responses[str(code)] = self._get_response_for_code(error, str(code))
        return responses
