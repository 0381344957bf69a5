"""Attendance-points case APIs: managers list their teams' cases (open by default), read one
with its points history, and record the decision and the day of the conversation; the fine
rules an employee received (BW art. 7:650), recorded with the day."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import (
    CollectionApi,
    InputSerializer,
    collection_schema,
    require_role,
)
from organisation.api.decisions import PersonOutput
from organisation.roles import MANAGERS, PAYROLL
from organisation.selectors.organisation import employee_list_visible
from timeclock.models import FineAcknowledgement, PointsCase
from timeclock.selectors.points_cases import points_case_list
from timeclock.services.fines import fine_acknowledgement_record
from timeclock.services.points_cases import MAX_NOTE, points_case_decide

TAG = "attendance"


class PointsCaseOutput(serializers.ModelSerializer):
    employee = PersonOutput(read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)
    events = serializers.JSONField(read_only=True, help_text="[{day, kind, points}] at opening")

    class Meta:
        model = PointsCase
        fields = [
            "id",
            "employee",
            "level",
            "opened_on",
            "points",
            "events",
            "decision",
            "conversation_on",
            "note",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class PointsCaseListApi(APIView):
    """The cases of the teams the manager manages: open ones, or all with `?all=1`."""

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("all", bool, description="Decided cases too")],
        responses=PointsCaseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        cases = points_case_list(user=request.user, open_only=not request.query_params.get("all"))
        return Response(PointsCaseOutput(cases[:500], many=True).data)


class PointsCaseDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=PointsCaseOutput)
    def get(self, request: Request, pk: str) -> Response:
        require_role(request.user, MANAGERS)
        return Response(PointsCaseOutput(_case(request, pk)).data)


class PointsCaseDecisionInput(InputSerializer):
    decision = serializers.ChoiceField(choices=PointsCase.Decision.choices)
    conversation_on = serializers.DateField(help_text="The day the manager talked with them")
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)


class PointsCaseDecideApi(APIView):
    """Record the manager's decision, once (a second answers 409)."""

    @extend_schema(tags=[TAG], request=PointsCaseDecisionInput, responses=PointsCaseOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, MANAGERS)
        case = _case(request, pk)
        data = PointsCaseDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = points_case_decide(case=case, by=request.user, **data.validated_data)
        return Response(PointsCaseOutput(case).data)


def _case(request: Request, pk: str) -> PointsCase:
    case = points_case_list(user=request.user, open_only=False).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


class FineAcknowledgementOutput(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)

    class Meta:
        model = FineAcknowledgement
        fields = ["id", "received_on", "document", "cap_lifted", "recorded_by", "recorded_at"]
        read_only_fields = fields


class FineAcknowledgementInput(InputSerializer):
    received_on = serializers.DateField(help_text="Local day the employee received the rules")
    document = serializers.CharField(max_length=200)
    cap_lifted = serializers.BooleanField(default=False)


@collection_schema(FineAcknowledgementInput, FineAcknowledgementOutput, TAG)
class FineAcknowledgementListApi(CollectionApi):
    """The written fine rules an employee received (managers of their team, payroll)."""

    create_roles = MANAGERS | PAYROLL
    input_serializer = FineAcknowledgementInput
    output_serializer = FineAcknowledgementOutput

    def get(self, request: Request, pk: str = "") -> Response:  # type: ignore[override]
        return super().get(request)

    def post(self, request: Request, pk: str = "") -> Response:  # type: ignore[override]
        return super().post(request)

    def _employee(self) -> Any:
        require_role(self.request.user, MANAGERS | PAYROLL)
        employee = (
            employee_list_visible(user=self.request.user)  # type: ignore[arg-type]
            .select_related("team__site")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if employee is None:
            raise NotFound()
        return employee

    def get_queryset(self) -> QuerySet[FineAcknowledgement]:
        return FineAcknowledgement.objects.filter(employee=self._employee()).select_related(
            "recorded_by"
        )

    def perform_create(self, data: dict[str, Any]) -> FineAcknowledgement:
        return fine_acknowledgement_record(employee=self._employee(), by=self.request.user, **data)
