"""Job status for pollers, job cancellation, and the headcount report job."""

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation import tasks
from organisation.api.base import InputSerializer, require_role
from organisation.api.fields import SaneDateField
from organisation.jobs import job_cancel, job_create
from organisation.models import Job
from organisation.roles import STAFF
from organisation.selectors import organisation as selectors


class JobOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "message",
            "params",
            "result",
            "trace",
            "attempts",
            "created_by",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


def _visible_job(request: Request, pk: str) -> Job:
    job = selectors.job_list_visible(user=request.user).filter(pk=pk).first()
    if job is None:
        raise NotFound()
    return job


class JobDetailApi(APIView):
    @extend_schema(tags=["jobs"], responses=JobOutput)
    def get(self, request: Request, pk: str) -> Response:
        return Response(JobOutput(_visible_job(request, pk)).data)


class JobCancelApi(APIView):
    @extend_schema(tags=["jobs"], request=None, responses=JobOutput)
    def post(self, request: Request, pk: str) -> Response:
        job = job_cancel(job=_visible_job(request, pk))
        return Response(JobOutput(job).data)


class HeadcountReportInput(InputSerializer):
    on = SaneDateField(required=False, help_text="Day to count (default: today)")


class HeadcountReportStartApi(APIView):
    """Start a headcount report (per site, team and queue) as a job; poll /jobs/{id}."""

    @extend_schema(tags=["jobs"], request=HeadcountReportInput, responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, STAFF)
        serializer = HeadcountReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        on: date | None = serializer.validated_data.get("on")
        params: dict[str, Any] = {"on": on.isoformat()} if on else {}
        job = job_create(
            kind="headcount_report",
            task=tasks.headcount_report,
            created_by=request.user,
            params=params,
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)
