"""The manager's approval queue: what waits for their decision in every app (accepted swaps,
open shifts, time off, punch-correction requests). It reads scheduling and the time clock, so it
lives in the shell, above both."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import require_role
from organisation.roles import MANAGERS
from scheduling.api.swaps import TAG, SwapOutput
from scheduling.api.time_off import TimeOffOutput
from scheduling.selectors import requests as selectors
from timeclock.api.correction_requests import CorrectionRequestOutput
from timeclock.selectors.correction_requests import correction_request_approvals


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
