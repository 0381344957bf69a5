"""Time-off APIs: whole days asked for by operators, decided by managers within the team's
per-day limits (a waitlist when a day is full)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import CollectionApi, InputSerializer, require_role
from organisation.api.decisions import DecisionInput, ManagerDecisionApi, PersonOutput, me_or_404
from organisation.api.fields import SaneDateField
from organisation.roles import MANAGERS, OPERATORS
from organisation.selectors.organisation import team_list_managed
from scheduling.api.swaps import TAG
from scheduling.models import (
    TimeOffRequest,
)
from scheduling.selectors import requests as selectors
from scheduling.services import time_off


class TimeOffOutput(serializers.ModelSerializer):
    employee = PersonOutput(read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)

    class Meta:
        model = TimeOffRequest
        fields = [
            "id",
            "employee",
            "team",
            "first_day",
            "last_day",
            "reason",
            "status",
            "created_at",
            "waitlisted_at",
            "decided_at",
            "decided_by",
            "decision_reason",
        ]
        read_only_fields = fields


# --- Time off ------------------------------------------------------------------------------


class TimeOffCreateInput(InputSerializer):
    first_day = SaneDateField()
    last_day = SaneDateField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TimeOffListApi(CollectionApi):
    """GET: my requests (operators) or my teams' (managers). POST (operators): whole local
    days off, decided by a manager."""

    create_roles = OPERATORS
    input_serializer = TimeOffCreateInput
    output_serializer = TimeOffOutput
    filters = {"status": "status"}

    def get_queryset(self) -> QuerySet[TimeOffRequest]:
        return selectors.time_off_list_visible(user=self.request.user)

    @extend_schema(tags=[TAG], responses=TimeOffOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(tags=[TAG], request=TimeOffCreateInput, responses={201: TimeOffOutput})
    def post(self, request: Request) -> Response:
        return super().post(request)

    def perform_create(self, data: dict[str, Any]) -> TimeOffRequest:
        return time_off.time_off_request(
            employee=me_or_404(self.request), user=self.request.user, **data
        )


def _visible_time_off(request: Request, pk: str) -> TimeOffRequest:
    row = selectors.time_off_list_visible(user=request.user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


class TimeOffDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=TimeOffOutput)
    def get(self, request: Request, pk: str) -> Response:
        return Response(TimeOffOutput(_visible_time_off(request, pk)).data)


@extend_schema_view(post=extend_schema(tags=[TAG], request=DecisionInput, responses=TimeOffOutput))
class TimeOffApproveApi(ManagerDecisionApi):
    """Grant it, or put it on the waitlist when a day is full (granted when room frees)."""

    find = staticmethod(_visible_time_off)
    decide = staticmethod(lambda row, **kw: time_off.time_off_approve(request=row, **kw))
    output = TimeOffOutput


@extend_schema_view(post=extend_schema(tags=[TAG], request=DecisionInput, responses=TimeOffOutput))
class TimeOffRejectApi(ManagerDecisionApi):
    find = staticmethod(_visible_time_off)
    decide = staticmethod(lambda row, **kw: time_off.time_off_reject(request=row, **kw))
    output = TimeOffOutput


class TimeOffCancelApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses=TimeOffOutput)
    def post(self, request: Request, pk: str) -> Response:
        row = _visible_time_off(request, pk)
        result = time_off.time_off_cancel(request=row, employee=me_or_404(request))
        return Response(TimeOffOutput(result).data)


class TimeOffCapacityInput(InputSerializer):
    team = serializers.UUIDField()
    day = SaneDateField()
    max_off = serializers.IntegerField(min_value=0, max_value=1000)


class TimeOffCapacityOutput(serializers.Serializer):
    team = serializers.UUIDField(source="team_id")
    day = serializers.DateField()
    max_off = serializers.IntegerField()


class TimeOffCapacityApi(APIView):
    """A day's own limit of a team's operators off; raising it grants waitlisted requests."""

    @extend_schema(tags=[TAG], request=TimeOffCapacityInput, responses=TimeOffCapacityOutput)
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = TimeOffCapacityInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team = team_list_managed(user=request.user).filter(pk=data["team"]).first()
        if team is None:
            raise NotFound("No such team among yours.")
        capacity = time_off.time_off_capacity_set(
            team=team, day=data["day"], max_off=data["max_off"]
        )
        return Response(TimeOffCapacityOutput(capacity).data)
