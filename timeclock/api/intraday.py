"""POST /api/v1/intraday/reforecasts: start the intraday reforecast job of a queue (issue 26)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.api.fields import AwareDateTimeField
from organisation.api.jobs import JobOutput
from organisation.roles import MANAGERS
from scheduling.api.forecasting import _ManagedQueueField
from timeclock import tasks
from timeclock.services.intraday import intraday_reforecast_request


class IntradayReforecastInput(InputSerializer):
    queue = _ManagedQueueField()
    at = AwareDateTimeField(required=False, help_text="The moment (default now), with offset")


class IntradayReforecastApi(APIView):
    """Reforecast the rest of a queue's day (and tomorrow) from the ACD's calls so far: 202 with
    the job; poll /jobs/{id}; its result holds the reforecast per interval."""

    error_statuses = (409,)

    @extend_schema(tags=["intraday"], request=IntradayReforecastInput, responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = IntradayReforecastInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = intraday_reforecast_request(
            queue=data["queue"],
            at=data.get("at") or timezone.now(),
            task=tasks.intraday_reforecast,
            user=request.user,
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)
