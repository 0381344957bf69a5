"""Time clock APIs: device provisioning, punch ingestion (batch and single), the device's own
config, kiosk PIN checks, the remote clock, an employee's punches and corrections."""

import uuid
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.api.fields import AwareDateTimeField
from organisation.errors import InvalidInput
from organisation.models import Employee, Site
from organisation.roles import MANAGERS
from organisation.selectors.organisation import (
    employee_list_visible,
    site_list_managed,
    team_list_managed,
)
from timeclock import selectors, services
from timeclock.auth import IsDevice
from timeclock.errors import BatchTooLarge, EventIdConflict, ReauthenticationRequired
from timeclock.models import Device, Punch, PunchCorrection

MAX_BATCH = 500
REMOTE_LOGIN_MAX_AGE = timedelta(hours=12)
TAG = "timeclock"


# --- Devices -------------------------------------------------------------------------------


class DeviceOutput(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "site",
            "name",
            "is_kiosk",
            "token_prefix",
            "is_active",
            "created_at",
            "revoked_at",
            "last_seen_at",
            "last_skew_seconds",
        ]
        read_only_fields = fields


class DeviceCreatedOutput(DeviceOutput):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it on the device")
    signing_key = serializers.CharField(
        read_only=True, help_text="Shown once; for HMAC-signed requests (Device-HMAC)"
    )

    class Meta(DeviceOutput.Meta):
        fields = [*DeviceOutput.Meta.fields, "token", "signing_key"]
        read_only_fields = fields


class DeviceInput(InputSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none())
    name = serializers.CharField(max_length=100)
    is_kiosk = serializers.BooleanField(default=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = site_list_managed(user=request.user)


def _managed_devices(request: Request) -> QuerySet[Device]:
    return Device.objects.filter(site__in=site_list_managed(user=request.user)).select_related(
        "site"
    )


class DeviceListApi(APIView):
    """Managers and admins register terminals for their sites; the token is shown once."""

    @extend_schema(tags=[TAG], responses=DeviceOutput(many=True))
    def get(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        return Response(DeviceOutput(_managed_devices(request), many=True).data)

    @extend_schema(tags=[TAG], request=DeviceInput, responses={201: DeviceCreatedOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = DeviceInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        device, token = services.device_register(
            **serializer.validated_data, created_by=request.user
        )
        device.token = token  # type: ignore[attr-defined]
        return Response(DeviceCreatedOutput(device).data, status=status.HTTP_201_CREATED)


class DeviceHealthOutput(DeviceOutput):
    seq_gaps = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    punches_for_review = serializers.IntegerField()

    class Meta(DeviceOutput.Meta):
        fields = [*DeviceOutput.Meta.fields, "seq_gaps", "punches_for_review"]
        read_only_fields = fields


def _managed_device(request: Request, pk: str) -> Device:
    require_role(request.user, MANAGERS)
    device = _managed_devices(request).filter(pk=pk).first()
    if device is None:
        raise NotFound()
    return device


class DeviceDetailApi(APIView):
    """A device's health: last seen, clock skew, gaps in its sequence numbers (R2.6)."""

    @extend_schema(tags=[TAG], responses=DeviceHealthOutput)
    def get(self, request: Request, pk: str) -> Response:
        device = _managed_device(request, pk)
        device.seq_gaps = selectors.device_seq_gaps(device=device)  # type: ignore[attr-defined]
        device.punches_for_review = device.punches.exclude(review_reason="").count()  # type: ignore[attr-defined]
        return Response(DeviceHealthOutput(device).data)


class DeviceRevokeApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses=DeviceOutput)
    def post(self, request: Request, pk: str) -> Response:
        device = services.device_revoke(device=_managed_device(request, pk))
        return Response(DeviceOutput(device).data)


class DeviceConfigOutput(serializers.Serializer):
    device = serializers.UUIDField()
    name = serializers.CharField()
    site = serializers.CharField()
    timezone = serializers.CharField()
    is_kiosk = serializers.BooleanField()
    server_time = serializers.DateTimeField()
    max_batch = serializers.IntegerField()


class DeviceConfigApi(APIView):
    """The calling device's own configuration, and the server's time to set its clock by."""

    permission_classes = [IsDevice]

    @extend_schema(tags=[TAG], responses=DeviceConfigOutput)
    def get(self, request: Request) -> Response:
        device: Device = request.auth
        body = {
            "device": device.pk,
            "name": device.name,
            "site": device.site.name,
            "timezone": device.site.timezone,
            "is_kiosk": device.is_kiosk,
            "server_time": timezone.now(),
            "max_batch": MAX_BATCH,
        }
        return Response(DeviceConfigOutput(body).data)


# --- Ingestion -----------------------------------------------------------------------------


class PunchItemInput(InputSerializer):
    event_id = serializers.UUIDField()
    device_seq = serializers.IntegerField(required=False, allow_null=True, min_value=0)
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
    sent_at = AwareDateTimeField()
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
        items: list[services.PunchInput | None] = []
        invalid: dict[int, dict[str, Any]] = {}
        for n, raw in enumerate(batch.validated_data["punches"]):
            item = PunchItemInput(data=raw)
            if item.is_valid():
                items.append(services.PunchInput(**item.validated_data))
            else:
                items.append(None)
                invalid[n] = {
                    "event_id": str(raw.get("event_id", "")),
                    "status": "rejected",
                    "error": _first_error(item.errors),
                }
        ip, agent = _client(request)
        stored = services.punches_ingest(
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


def _replayable(result: services.PunchResult) -> Response:
    """The first answer again for a replay (same status and body), marked as a replay
    (R2.1): a client that lost the first answer cannot tell it needs nothing more."""
    response = Response(
        {"event_id": result.event_id, "status": "created"}, status=status.HTTP_201_CREATED
    )
    if result.status == "duplicate":
        response["Idempotent-Replayed"] = "true"
    return response


def _result(result: services.PunchResult) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": result.event_id, "status": result.status}
    if result.error:
        body["error"] = result.error
    return body


class SinglePunchInput(PunchItemInput):
    sent_at = AwareDateTimeField(required=False)


class PunchSingleApi(APIView):
    """One punch: 201 created, 200 duplicate, 422 when the event id holds other content."""

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
        (result,) = services.punches_ingest(
            items=[services.PunchInput(**data)],
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

    permission_classes = [IsDevice]

    @extend_schema(tags=[TAG], request=KioskIdentifyInput, responses=KioskIdentifyOutput)
    def post(self, request: Request) -> Response:
        serializer = KioskIdentifyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        employee = services.kiosk_identify(device=request.auth, **serializer.validated_data)
        return Response(KioskIdentifyOutput(selectors.clock_status(employee=employee)).data)


# --- Remote clock --------------------------------------------------------------------------


class MyClockInput(InputSerializer):
    kind = serializers.ChoiceField(choices=Punch.Kind.choices)
    event_id = serializers.UUIDField(required=False, help_text="Send one to retry safely")


class MyClockApi(APIView):
    """A home operator clocks themself in or out at the server's time (never anyone else)."""

    @extend_schema(tags=["account"], request=MyClockInput, responses={201: ResultOutput})
    def post(self, request: Request) -> Response:
        employee = getattr(request.user, "employee", None)
        if employee is None:
            raise NotFound("You have no employee record.")
        _require_recent_login(request)
        serializer = MyClockInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        ip, agent = _client(request)
        result = services.remote_clock(
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


# --- Punches and corrections ---------------------------------------------------------------


class EffectivePunchOutput(serializers.Serializer):
    punch = serializers.IntegerField(allow_null=True)
    correction = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    raw_at = serializers.DateTimeField(allow_null=True)
    effective_at = serializers.DateTimeField(allow_null=True)
    voided = serializers.BooleanField()
    source = serializers.CharField()
    review_reason = serializers.CharField()
    corrections = serializers.ListField(child=serializers.DictField())


class EmployeePunchesApi(APIView):
    """An employee's punches with raw and effective times (managers of the team, the
    employee, payroll)."""

    @extend_schema(
        tags=[TAG],
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME, required=True),
            OpenApiParameter("end", OpenApiTypes.DATETIME, required=True),
        ],
        responses=EffectivePunchOutput(many=True),
    )
    def get(self, request: Request, pk: str) -> Response:
        employee = employee_list_visible(user=request.user).filter(pk=pk).first()
        if employee is None:
            raise NotFound()
        span = _Span(data=request.query_params)
        span.is_valid(raise_exception=True)
        rows = selectors.effective_punches(
            employee=employee, start=span.validated_data["start"], end=span.validated_data["end"]
        )
        return Response(EffectivePunchOutput(rows, many=True).data)


class _Span(serializers.Serializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not timedelta(0) < attrs["end"] - attrs["start"] <= timedelta(days=62):
            raise serializers.ValidationError("A span of up to 62 days.", code="range")
        return attrs


class CorrectionInput(InputSerializer):
    action = serializers.ChoiceField(choices=PunchCorrection.Action.choices)
    punch = serializers.IntegerField(required=False)
    employee = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=Punch.Kind.choices, required=False)
    occurred_at = AwareDateTimeField(required=False)
    reason = serializers.CharField(max_length=500)


class CorrectionOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = PunchCorrection
        fields = [
            "id",
            "action",
            "punch",
            "employee",
            "kind",
            "occurred_at",
            "reason",
            "actor",
            "created_at",
        ]
        read_only_fields = fields


class PunchCorrectionApi(APIView):
    """Managers add a missed punch, void one, or move one: always a new row with reason and
    actor; the punch itself never changes (R1.2)."""

    @extend_schema(tags=[TAG], request=CorrectionInput, responses={201: CorrectionOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = CorrectionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        managed = Employee.objects.filter(team__in=team_list_managed(user=request.user))
        action = data["action"]
        if action == PunchCorrection.Action.ADD:
            employee = managed.filter(pk=data.get("employee")).first()
            if employee is None or "kind" not in data or "occurred_at" not in data:
                raise _missing(
                    "employee, kind and occurred_at", employee is None and "employee" in data
                )
            row = services.correction_add(
                employee=employee,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                reason=data["reason"],
                actor=request.user,
            )
        else:
            punch = Punch.objects.filter(pk=data.get("punch"), employee__in=managed).first()
            if punch is None:
                raise _missing("punch", "punch" in data)
            if action == PunchCorrection.Action.VOID:
                row = services.correction_void(
                    punch=punch, reason=data["reason"], actor=request.user
                )
            else:
                if "occurred_at" not in data:
                    raise _missing("occurred_at", False)
                row = services.correction_move(
                    punch=punch,
                    occurred_at=data["occurred_at"],
                    reason=data["reason"],
                    actor=request.user,
                )
        return Response(CorrectionOutput(row).data, status=status.HTTP_201_CREATED)


def _missing(what: str, not_found: bool) -> Exception:
    if not_found:
        return NotFound()
    return InvalidInput(f"Give {what}.", extra={"fields": [what]})
