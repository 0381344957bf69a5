"""Punch APIs for people: an employee's punches with raw and effective times, and managers'
corrections (a punch added, voided or moved, always as a new row)."""

from datetime import timedelta
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.api.fields import AwareDateTimeField
from organisation.errors import InvalidInput
from organisation.models import Employee
from organisation.roles import MANAGERS
from organisation.selectors.organisation import employee_list_visible, team_list_managed
from timeclock.models import Punch, PunchCorrection
from timeclock.selectors.punches import punch_list_effective
from timeclock.services.corrections import correction_add, correction_move, correction_void

TAG = "timeclock"


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
        rows = punch_list_effective(
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
            row = correction_add(
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
                row = correction_void(punch=punch, reason=data["reason"], actor=request.user)
            else:
                if "occurred_at" not in data:
                    raise _missing("occurred_at", False)
                row = correction_move(
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
