"""Correction-request APIs: operators ask for corrections of their own punches and may cancel
them while pending; managers of the team approve (the correction is written) or reject."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import CollectionApi, InputSerializer
from organisation.api.decisions import DecisionInput, ManagerDecisionApi, PersonOutput, me_or_404
from organisation.api.fields import AwareDateTimeField
from organisation.roles import OPERATORS
from timeclock.errors import PunchNotYours
from timeclock.models import CorrectionRequest, Punch, PunchCorrection
from timeclock.selectors.correction_requests import (
    correction_request_list_own,
    correction_request_list_visible,
)
from timeclock.services.correction_requests import (
    REASON_MAX,
    CorrectionAsk,
    correction_request_approve,
    correction_request_cancel,
    correction_request_create,
    correction_request_reject,
)

TAG = "timeclock"


class CorrectionRequestOutput(serializers.ModelSerializer):
    employee = PersonOutput(read_only=True)
    punch_at = serializers.DateTimeField(
        source="punch.corrected_at",
        default=None,
        read_only=True,
        help_text="When the punch to move or void was clocked",
    )
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "employee",
            "action",
            "punch",
            "punch_at",
            "kind",
            "occurred_at",
            "reason",
            "status",
            "created_at",
            "decided_at",
            "decided_by",
            "decision_reason",
            "correction",
        ]
        read_only_fields = fields


class CorrectionRequestInput(InputSerializer):
    action = serializers.ChoiceField(choices=PunchCorrection.Action.choices)
    punch = serializers.IntegerField(required=False, min_value=1, help_text="For move and void")
    kind = serializers.ChoiceField(choices=Punch.Kind.choices, required=False, help_text="For add")
    occurred_at = AwareDateTimeField(required=False, help_text="For add and move")
    reason = serializers.CharField(max_length=REASON_MAX)


class MyCorrectionRequestListApi(CollectionApi):
    """GET: my correction requests, newest first. POST (operators): ask for a missing punch
    to be added (`add`, `kind`, `occurred_at`), or one of mine moved (`move`, `punch`,
    `occurred_at`) or voided (`void`, `punch`), with a reason; a manager decides."""

    create_roles = OPERATORS
    input_serializer = CorrectionRequestInput
    output_serializer = CorrectionRequestOutput
    filters = {"status": "status"}

    def get_queryset(self) -> QuerySet[CorrectionRequest]:
        return correction_request_list_own(employee=me_or_404(self.request))

    @extend_schema(tags=[TAG], responses=CorrectionRequestOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        tags=[TAG], request=CorrectionRequestInput, responses={201: CorrectionRequestOutput}
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def perform_create(self, data: dict[str, Any]) -> CorrectionRequest:
        me = me_or_404(self.request)
        punch = None
        if "punch" in data:
            punch = Punch.objects.filter(pk=data["punch"], employee=me).first()
            if punch is None:
                raise PunchNotYours()
        ask = CorrectionAsk(
            action=data["action"],
            reason=data["reason"],
            punch=punch,
            kind=data.get("kind", ""),
            occurred_at=data.get("occurred_at"),
        )
        return correction_request_create(employee=me, ask=ask, user=self.request.user)


def _visible(request: Request, pk: str) -> CorrectionRequest:
    row = correction_request_list_visible(user=request.user).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


class MyCorrectionRequestCancelApi(APIView):
    """The operator withdraws a pending request."""

    @extend_schema(tags=[TAG], request=None, responses=CorrectionRequestOutput)
    def post(self, request: Request, pk: str) -> Response:
        me = me_or_404(request)
        row = correction_request_list_own(employee=me).filter(pk=pk).first()
        if row is None:
            raise NotFound()
        result = correction_request_cancel(request=row, employee=me)
        return Response(CorrectionRequestOutput(result).data)


@extend_schema_view(
    post=extend_schema(tags=[TAG], request=DecisionInput, responses=CorrectionRequestOutput)
)
class CorrectionRequestApproveApi(ManagerDecisionApi):
    """A manager of the operator's team approves: the correction is written with the manager
    as its actor and the operator's reason quoted."""

    find = staticmethod(_visible)
    decide = staticmethod(lambda row, **kw: correction_request_approve(request=row, **kw))
    output = CorrectionRequestOutput


@extend_schema_view(
    post=extend_schema(tags=[TAG], request=DecisionInput, responses=CorrectionRequestOutput)
)
class CorrectionRequestRejectApi(ManagerDecisionApi):
    """A manager of the operator's team rejects, saying why (`reason` is required)."""

    find = staticmethod(_visible)
    decide = staticmethod(lambda row, **kw: correction_request_reject(request=row, **kw))
    output = CorrectionRequestOutput
