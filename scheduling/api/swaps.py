"""Swap APIs: direct swaps, give-aways and the open-shift board, from request to decision."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import CollectionApi, InputSerializer, require_role
from organisation.api.decisions import (
    DecisionInput,
    ManagerDecisionApi,
    PersonOutput,
    decision_reason,
    me_or_404,
)
from organisation.api.pagination import CappedPagination
from organisation.models import Employee
from organisation.roles import OPERATORS
from scheduling.models import (
    Roster,
    Shift,
    ShiftSwap,
    SwapEvent,
)
from scheduling.selectors import requests as selectors
from scheduling.services import swaps

TAG = "requests"


# --- Output --------------------------------------------------------------------------------


class RequestShiftOutput(serializers.ModelSerializer):
    """A shift as requests show it: times and queue, no manager's note."""

    queue_name = serializers.CharField(source="queue.name", default=None, read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "roster", "start", "end", "local_date", "activity", "queue", "queue_name"]
        read_only_fields = fields


class SwapEventOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = SwapEvent
        fields = ["at", "actor", "from_status", "to_status", "reason"]
        read_only_fields = fields


class SwapOutput(serializers.ModelSerializer):
    requester = PersonOutput(read_only=True)
    counterpart = PersonOutput(read_only=True, allow_null=True)
    shift = RequestShiftOutput(read_only=True)
    counterpart_shift = RequestShiftOutput(read_only=True, allow_null=True)
    applied_roster_version = serializers.IntegerField(
        source="applied_roster.version", default=None, read_only=True
    )

    class Meta:
        model = ShiftSwap
        fields = [
            "id",
            "kind",
            "status",
            "team",
            "requester",
            "shift",
            "counterpart",
            "counterpart_shift",
            "note",
            "expires_at",
            "created_at",
            "accepted_at",
            "decided_at",
            "decision_reason",
            "auto_approved",
            "released",
            "applied_roster",
            "applied_roster_version",
        ]
        read_only_fields = fields


class SwapDetailOutput(SwapOutput):
    events = SwapEventOutput(many=True, read_only=True)

    class Meta(SwapOutput.Meta):
        fields = [*SwapOutput.Meta.fields, "events"]
        read_only_fields = fields


# --- Swaps ---------------------------------------------------------------------------------


class SwapCreateInput(InputSerializer):
    kind = serializers.ChoiceField(choices=ShiftSwap.Kind.choices)
    shift = serializers.UUIDField()
    counterpart = serializers.UUIDField(required=False, allow_null=True)
    counterpart_shift = serializers.UUIDField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _site_shift(me: Employee, pk: Any) -> Shift:
    """A published shift at the operator's site (another team's is refused by the service
    with its own code; elsewhere it does not exist)."""
    shift = (
        Shift.objects.filter(pk=pk, roster__site_id=me.team.site_id)
        .exclude(state=Roster.Status.DISCARDED)
        .select_related("employee", "roster__site", "queue")
        .first()
    )
    if shift is None:
        raise NotFound("No such shift.")
    return shift


def _site_colleague(me: Employee, pk: Any) -> Employee:
    person = Employee.objects.filter(pk=pk, team__site_id=me.team.site_id).first()
    if person is None:
        raise NotFound("No such colleague.")
    return person


class SwapListApi(CollectionApi):
    """GET: requests I am party to, my team's open posts (operators) or my teams' requests
    (managers). POST (operators): offer one of my published shifts: a direct `swap` for a
    colleague's shift, a `give_away` to a named colleague, or an `open` post on the board."""

    create_roles = OPERATORS
    input_serializer = SwapCreateInput
    output_serializer = SwapOutput
    filters = {"status": "status", "kind": "kind"}

    def get_queryset(self) -> QuerySet[ShiftSwap]:
        return selectors.swap_list_visible(user=self.request.user)

    @extend_schema(tags=[TAG], responses=SwapOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(tags=[TAG], request=SwapCreateInput, responses={201: SwapOutput})
    def post(self, request: Request) -> Response:
        return super().post(request)

    def perform_create(self, data: dict[str, Any]) -> ShiftSwap:
        me = me_or_404(self.request)
        ask = swaps.SwapAsk(
            kind=data["kind"],
            shift=_site_shift(me, data["shift"]),
            counterpart=_site_colleague(me, data["counterpart"])
            if data.get("counterpart")
            else None,
            counterpart_shift=(
                _site_shift(me, data["counterpart_shift"])
                if data.get("counterpart_shift")
                else None
            ),
            note=data["note"],
        )
        return swaps.swap_request(requester=me, ask=ask, user=self.request.user)


def _visible_swap(request: Request, pk: str) -> ShiftSwap:
    swap = selectors.swap_list_visible(user=request.user).filter(pk=pk).first()
    if swap is None:
        raise NotFound()
    return swap


class SwapDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=SwapDetailOutput)
    def get(self, request: Request, pk: str) -> Response:
        return Response(SwapDetailOutput(_visible_swap(request, pk)).data)


class SwapAcceptApi(APIView):
    """The named colleague accepts; on an open post, a qualified colleague picks it up."""

    @extend_schema(tags=[TAG], request=None, responses=SwapOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, OPERATORS)
        swap = _visible_swap(request, pk)
        result = swaps.swap_accept(swap=swap, employee=me_or_404(request), user=request.user)
        return Response(SwapOutput(result).data)


class OperatorWithdrawalApi(APIView):
    """POST {"reason"}: an operator party to a request ends it (`act`)."""

    act: ClassVar[Callable[..., ShiftSwap]]

    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, OPERATORS)
        swap = _visible_swap(request, pk)
        result = type(self).act(
            swap=swap,
            employee=me_or_404(request),
            user=request.user,
            reason=decision_reason(request),
        )
        return Response(SwapOutput(result).data)


@extend_schema_view(post=extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput))
class SwapDeclineApi(OperatorWithdrawalApi):
    """The named colleague says no."""

    act = staticmethod(swaps.swap_decline)


@extend_schema_view(post=extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput))
class SwapCancelApi(OperatorWithdrawalApi):
    """The requester withdraws the request before it is decided."""

    act = staticmethod(swaps.swap_cancel)


@extend_schema_view(post=extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput))
class SwapApproveApi(ManagerDecisionApi):
    """Approve an accepted request, or release an open shift that nobody took (only while
    cover stays above the team's threshold)."""

    find = staticmethod(_visible_swap)
    decide = staticmethod(lambda row, **kw: swaps.swap_approve(swap=row, **kw))
    output = SwapOutput


@extend_schema_view(post=extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput))
class SwapRejectApi(ManagerDecisionApi):
    find = staticmethod(_visible_swap)
    decide = staticmethod(lambda row, **kw: swaps.swap_reject(swap=row, **kw))
    output = SwapOutput


class OpenShiftBoardApi(APIView):
    """Open shifts of my team I could pick up (paginated)."""

    pagination_class = CappedPagination  # documents the page object in the schema

    @extend_schema(tags=[TAG], responses=SwapOutput(many=True))
    def get(self, request: Request) -> Response:
        require_role(request.user, OPERATORS)
        board = selectors.open_board(employee=me_or_404(request), now=timezone.now())
        paginator = CappedPagination()
        page = paginator.paginate_queryset(board, request, view=self)
        return paginator.get_paginated_response(SwapOutput(page, many=True).data)
