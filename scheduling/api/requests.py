"""Request APIs beyond the swaps and time off themselves: the team's policy for both, the
managers' approval queue (swaps, open shifts, time off and punch-correction requests), the
operator's notices."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import ModelInputSerializer
from organisation.models import Team
from organisation.selectors.organisation import team_list_managed, team_list_visible
from scheduling.api.swaps import TAG
from scheduling.models import (
    RequestPolicy,
)
from scheduling.services.request_policies import request_policy, request_policy_update

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
