"""Request APIs: shift swaps, give-aways and the open-shift board; time off; the managers'
approval queue; the operator's notices. Views parse, call one service and serialize."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduling.api.rosters import MANAGERS
from scheduling.models import (
    Notice,
    RequestPolicy,
    Roster,
    Shift,
    ShiftSwap,
    SwapEvent,
    TimeOffRequest,
)
from scheduling.selectors import requests as selectors
from scheduling.services import swaps, time_off
from scheduling.services.request_policies import request_policy, request_policy_update
from wfm.api.base import CollectionApi, InputSerializer, ModelInputSerializer, require_role
from wfm.api.pagination import CappedPagination
from wfm.models import Employee, Team
from wfm.roles import Role
from wfm.selectors import team_list_managed, team_list_visible

TAG = "requests"
OPERATORS = frozenset({Role.OPERATOR})


def _me(request: Request) -> Employee:
    me = selectors.own_employee(request.user)
    if me is None:
        raise NotFound("You have no employee record.")
    return me


# --- Output --------------------------------------------------------------------------------


class RequestShiftOutput(serializers.ModelSerializer):
    """A shift as requests show it: times and queue, no manager's note."""

    queue_name = serializers.CharField(source="queue.name", default=None, read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "roster", "start", "end", "local_date", "activity", "queue", "queue_name"]
        read_only_fields = fields


class PersonOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "number", "name"]
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
        me = _me(self.request)
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


class DecisionInput(InputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _reason(request: Request) -> str:
    serializer = DecisionInput(data=request.data or {})
    serializer.is_valid(raise_exception=True)
    return str(serializer.validated_data["reason"])


class SwapAcceptApi(APIView):
    """The named colleague accepts; on an open post, a qualified colleague picks it up."""

    @extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, OPERATORS)
        swap = _visible_swap(request, pk)
        _reason(request)
        result = swaps.swap_accept(swap=swap, employee=_me(request), user=request.user)
        return Response(SwapOutput(result).data)


class SwapDeclineApi(APIView):
    @extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, OPERATORS)
        swap = _visible_swap(request, pk)
        result = swaps.swap_decline(
            swap=swap, employee=_me(request), user=request.user, reason=_reason(request)
        )
        return Response(SwapOutput(result).data)


class SwapCancelApi(APIView):
    @extend_schema(tags=[TAG], request=DecisionInput, responses=SwapOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, OPERATORS)
        swap = _visible_swap(request, pk)
        result = swaps.swap_cancel(
            swap=swap, employee=_me(request), user=request.user, reason=_reason(request)
        )
        return Response(SwapOutput(result).data)


class ManagerDecisionApi(APIView):
    """POST {"reason"}: a manager of the team decides a request visible to them."""

    find: ClassVar[Callable[[Request, str], Any]]
    decide: ClassVar[Callable[..., Any]]
    output: ClassVar[type[serializers.Serializer]]

    def post(self, request: Request, pk: str) -> Response:
        row = type(self).find(request, pk)
        require_role(request.user, MANAGERS)
        result = type(self).decide(row, approver=request.user, reason=_reason(request))
        return Response(self.output(result).data)


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

    @extend_schema(tags=[TAG], responses=SwapOutput(many=True))
    def get(self, request: Request) -> Response:
        require_role(request.user, OPERATORS)
        board = selectors.open_board(employee=_me(request), now=timezone.now())
        paginator = CappedPagination()
        page = paginator.paginate_queryset(board, request, view=self)
        return paginator.get_paginated_response(SwapOutput(page, many=True).data)


# --- Time off ------------------------------------------------------------------------------


class TimeOffCreateInput(InputSerializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
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
        return time_off.time_off_request(employee=_me(self.request), user=self.request.user, **data)


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
        result = time_off.time_off_cancel(request=row, employee=_me(request))
        return Response(TimeOffOutput(result).data)


class TimeOffCapacityInput(InputSerializer):
    team = serializers.UUIDField()
    day = serializers.DateField()
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


# --- Team policy --------------------------------------------------------------------------


POLICY_FIELDS = [
    "auto_approve_swaps",
    "min_notice_minutes",
    "equal_paid_time",
    "paid_time_tolerance_minutes",
    "release_min_cover_ratio",
    "trade_overtime_minutes",
    "trade_extra_days",
    "voluntary_below_minimum",
    "max_open_requests",
    "max_accepts_per_hour",
    "time_off_max_per_day",
]


class RequestPolicyOutput(serializers.ModelSerializer):
    class Meta:
        model = RequestPolicy
        fields = ["team", *POLICY_FIELDS]
        read_only_fields = fields


class RequestPolicyInput(ModelInputSerializer):
    class Meta:
        model = RequestPolicy
        fields = POLICY_FIELDS
        extra_kwargs = {
            "max_open_requests": {"min_value": 1, "max_value": 50},
            "max_accepts_per_hour": {"min_value": 1, "max_value": 500},
            "min_notice_minutes": {"max_value": 60 * 24 * 60},
        }


class RequestPolicyApi(APIView):
    """The team's rules for swaps and time off: managers of the team read and change them,
    its operators read them."""

    def _team(self, request: Request, pk: str) -> Team:
        team = team_list_visible(user=request.user).filter(pk=pk).first()
        if team is None:
            raise NotFound()
        return team

    @extend_schema(tags=[TAG], responses=RequestPolicyOutput)
    def get(self, request: Request, pk: str) -> Response:
        team = self._team(request, pk)
        return Response(RequestPolicyOutput(request_policy(team.pk)).data)

    @extend_schema(tags=[TAG], request=RequestPolicyInput, responses=RequestPolicyOutput)
    def patch(self, request: Request, pk: str) -> Response:
        team = self._team(request, pk)
        if not team_list_managed(user=request.user).filter(pk=team.pk).exists():
            raise PermissionDenied()
        serializer = RequestPolicyInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy = request_policy_update(team=team, **serializer.validated_data)
        return Response(RequestPolicyOutput(policy).data)


# --- Approvals and notices -----------------------------------------------------------------


class ApprovalQueueOutput(serializers.Serializer):
    swaps = SwapOutput(many=True)
    open_shifts = SwapOutput(many=True)
    time_off = TimeOffOutput(many=True)


class ApprovalQueueApi(APIView):
    """Everything waiting for my decision: accepted swaps, open shifts nobody has taken yet
    (to release or leave), pending time off (at most 200 of each, oldest first)."""

    @extend_schema(tags=[TAG], responses=ApprovalQueueOutput)
    def get(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        me = selectors.own_employee(request.user)
        open_posts = (
            selectors.swap_list_visible(user=request.user)
            .filter(
                team__in=team_list_managed(user=request.user),
                kind=ShiftSwap.Kind.OPEN,
                status=ShiftSwap.Status.PENDING,
            )
            .order_by("expires_at", "pk")
        )
        if me is not None:
            open_posts = open_posts.exclude(requester=me)
        body = {
            "swaps": selectors.swap_approvals(user=request.user)[:200],
            "open_shifts": open_posts[:200],
            "time_off": selectors.time_off_approvals(user=request.user)[:200],
        }
        return Response(ApprovalQueueOutput(body).data)


class NoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "event_key", "subject", "body", "created_at", "sent_at"]
        read_only_fields = fields


class MyNoticesApi(APIView):
    """My notices about requests, newest first (paginated)."""

    @extend_schema(tags=["account"], responses=NoticeOutput(many=True))
    def get(self, request: Request) -> Response:
        paginator = CappedPagination()
        page = paginator.paginate_queryset(
            selectors.my_notices(user=request.user), request, view=self
        )
        return paginator.get_paginated_response(NoticeOutput(page, many=True).data)
