"""Punch APIs of devices and operators: ingestion (batch and single, exactly once per event
id), kiosk PIN checks, and the remote clock of home operators."""

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer
from organisation.api.fields import AwareDateTimeField
from organisation.errors import InvalidInput
from timeclock.auth import IsDevice
from timeclock.errors import BatchTooLarge, EventIdConflict, ReauthenticationRequired
from timeclock.models import Device, Punch
from timeclock.selectors.punches import clock_status_get
from timeclock.services.kiosk import kiosk_identify
from timeclock.services.punches import PunchInput, PunchResult, punch_remote, punches_ingest

MAX_BATCH = 500
MAX_DEVICE_SEQ = 2**63 - 1  # the column's range: a larger number is refused, not a 500
REMOTE_LOGIN_MAX_AGE = timedelta(hours=12)
TAG = "timeclock"


class PunchItemInput(InputSerializer):
    event_id = serializers.UUIDField()
    device_seq = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_DEVICE_SEQ
    )
    badge = serializers.CharField(required=False, max_length=32)
    employee_number = serializers.CharField(required=False, max_length=32)
    kind = serializers.ChoiceField(choices=Punch.Kind.choices)
    occurred_at = AwareDateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("badge")) == bool(attrs.get("employee_number")):
            raise serializers.ValidationError(
                "Give either a badge or an employee number.", code="identifier"
            )
        return attrs


class BatchInput(InputSerializer):
    # Any aware time: a device whose clock is absurd still delivers its punches (for review).
    sent_at = AwareDateTimeField(bounded=False)
    punches = serializers.ListField(child=serializers.DictField(), allow_empty=False)


class ResultOutput(serializers.Serializer):
    event_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "duplicate", "rejected"])
    error = serializers.DictField(required=False)


class BatchOutput(serializers.Serializer):
    results = ResultOutput(many=True)


def _first_error(errors: Any) -> dict[str, str]:
    if isinstance(errors, dict):
        for field, problems in errors.items():
            detail = problems[0] if isinstance(problems, list) else problems
            code = getattr(detail, "code", "invalid")
            return {"code": str(code), "message": f"{field}: {detail}"}
    return {"code": "invalid", "message": str(errors)}


def _client(request: Request) -> tuple[str | None, str]:
    return request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")


def _source(device: Device) -> str:
    return Punch.Source.KIOSK if device.is_kiosk else Punch.Source.TERMINAL


class PunchBatchApi(APIView):
    """Up to 500 punches; one result per punch, in order. The same event_id again is a
    `duplicate` forever; with different content it is `rejected` (event_id_conflict)."""

    permission_classes = [IsDevice]

    @extend_schema(tags=[TAG], request=BatchInput, responses=BatchOutput)
    def post(self, request: Request) -> Response:
        if isinstance(request.data, dict) and len(request.data.get("punches") or []) > MAX_BATCH:
            raise BatchTooLarge()
        batch = BatchInput(data=request.data)
        batch.is_valid(raise_exception=True)
        items: list[PunchInput | None] = []
        invalid: dict[int, dict[str, Any]] = {}
        for n, raw in enumerate(batch.validated_data["punches"]):
            item = PunchItemInput(data=raw)
            if item.is_valid():
                items.append(PunchInput(**item.validated_data))
            else:
                items.append(None)
                invalid[n] = {
                    "event_id": str(raw.get("event_id", "")),
                    "status": "rejected",
                    "error": _first_error(item.errors),
                }
        ip, agent = _client(request)
        stored = punches_ingest(
            items=[i for i in items if i is not None],
            source=_source(request.auth),
            device=request.auth,
            sent_at=batch.validated_data["sent_at"],
            ip_address=ip,
            user_agent=agent,
        )
        results = iter(stored)
        body = [
            invalid[n] if item is None else _result(next(results)) for n, item in enumerate(items)
        ]
        return Response({"results": body})


def _replayable(result: PunchResult) -> Response:
    """The first answer again for a replay (same status and body), marked as a replay
    (R2.1): a client that lost the first answer cannot tell it needs nothing more."""
    response = Response(
        {"event_id": result.event_id, "status": "created"}, status=status.HTTP_201_CREATED
    )
    if result.status == "duplicate":
        response["Idempotent-Replayed"] = "true"
    return response


def _result(result: PunchResult) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": result.event_id, "status": result.status}
    if result.error:
        body["error"] = result.error
    return body


class SinglePunchInput(PunchItemInput):
    sent_at = AwareDateTimeField(required=False, bounded=False)


class PunchSingleApi(APIView):
    """One punch: 201 created, 200 duplicate, 422 when the event id holds other content."""

    error_statuses = (422,)  # an event id stored earlier with other content

    permission_classes = [IsDevice]

    @extend_schema(
        tags=[TAG], request=SinglePunchInput, responses={201: ResultOutput, 200: ResultOutput}
    )
    def post(self, request: Request) -> Response:
        serializer = SinglePunchInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sent_at = data.pop("sent_at", None)
        ip, agent = _client(request)
        (result,) = punches_ingest(
            items=[PunchInput(**data)],
            source=_source(request.auth),
            device=request.auth,
            sent_at=sent_at,
            ip_address=ip,
            user_agent=agent,
        )
        if (
            result.status == "rejected"
            and result.error
            and result.error["code"] == "event_id_conflict"
        ):
            raise EventIdConflict(extra={"event_id": result.event_id})
        if result.status == "rejected" and result.error:
            raise InvalidInput(result.error["message"], extra={"code": result.error["code"]})
        return _replayable(result)


# --- Kiosk ---------------------------------------------------------------------------------


class KioskIdentifyInput(InputSerializer):
    identifier = serializers.CharField(max_length=32, help_text="Badge or employee number")
    pin = serializers.CharField(max_length=12, trim_whitespace=False)


class KioskIdentifyOutput(serializers.Serializer):
    employee_number = serializers.CharField()
    name = serializers.CharField()
    next_shift_start = serializers.DateTimeField(allow_null=True)
    next_shift_end = serializers.DateTimeField(allow_null=True)
    late_minutes = serializers.IntegerField(allow_null=True)
    last_punch = serializers.CharField(allow_null=True)


class KioskIdentifyApi(APIView):
    """A kiosk checks badge/number and PIN before showing the IN/OUT buttons."""

    error_statuses = (429,)  # a PIN locked after wrong tries, a device over its rate

    permission_classes = [IsDevice]

    @extend_schema(tags=[TAG], request=KioskIdentifyInput, responses=KioskIdentifyOutput)
    def post(self, request: Request) -> Response:
        serializer = KioskIdentifyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = kiosk_identify(device=request.auth, **serializer.validated_data)
        return Response(KioskIdentifyOutput(clock_status_get(employee=employee)).data)


# --- Remote clock --------------------------------------------------------------------------


class MyClockInput(InputSerializer):
    kind = serializers.ChoiceField(choices=Punch.Kind.choices)
    event_id = serializers.UUIDField(required=False, help_text="Send one to retry safely")


class MyClockApi(APIView):
    """A home operator clocks themself in or out at the server's time (never anyone else)."""

    error_statuses = (422,)  # an event id stored earlier with other content

    @extend_schema(tags=["account"], request=MyClockInput, responses={201: ResultOutput})
    def post(self, request: Request) -> Response:
        employee = getattr(request.user, "employee", None)
        if employee is None:
            raise NotFound("You have no employee record.")
        _require_recent_login(request)
        serializer = MyClockInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        ip, agent = _client(request)
        result = punch_remote(
            employee=employee,
            kind=serializer.validated_data["kind"],
            event_id=serializer.validated_data.get("event_id") or uuid.uuid4(),
            ip_address=ip,
            user_agent=agent,
        )
        if result.status == "rejected" and result.error:
            raise EventIdConflict(extra={"event_id": result.event_id})
        return _replayable(result)


def _require_recent_login(request: Request) -> None:
    """Remote clocking needs a login from the last 12 hours (R2.13): the token's age for
    token clients, the last login for sessions."""
    logged_in = request.auth.created if isinstance(request.auth, Token) else request.user.last_login
    if logged_in is None or timezone.now() - logged_in > REMOTE_LOGIN_MAX_AGE:
        raise ReauthenticationRequired()
