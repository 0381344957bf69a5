"""Request APIs beyond the swaps and time off themselves: the team's policy for both, the
managers' approval queue (swaps, open shifts, time off and punch-correction requests), the
operator's notices."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import ModelInputSerializer, require_role
from organisation.api.pagination import CappedPagination
from organisation.models import Team
from organisation.selectors import team_list_managed, team_list_visible
from scheduling.api.rosters import MANAGERS
from scheduling.api.swaps import TAG, SwapOutput
from scheduling.api.time_off import TimeOffOutput
from scheduling.models import (
    Notice,
    RequestPolicy,
)
from scheduling.selectors import requests as selectors
from scheduling.services.request_policies import request_policy, request_policy_update
from timeclock.correction_requests_api import CorrectionRequestOutput
from timeclock.selectors import correction_request_approvals

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
    correction_requests = CorrectionRequestOutput(many=True)


class ApprovalQueueApi(APIView):
    """Everything waiting for my decision: accepted swaps, open shifts nobody has taken yet
    (to release or leave), pending time off and pending punch-correction requests (at most
    200 of each, oldest first)."""

    @extend_schema(tags=[TAG], responses=ApprovalQueueOutput)
    def get(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        body = {
            "swaps": selectors.swap_approvals(user=request.user)[:200],
            "open_shifts": selectors.swap_open_posts(user=request.user)[:200],
            "time_off": selectors.time_off_approvals(user=request.user)[:200],
            "correction_requests": correction_request_approvals(user=request.user)[:200],
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
