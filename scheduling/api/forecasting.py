"""Scheduling APIs: history upload, forecast jobs, overrides and staffing requirements."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import (
    CollectionApi,
    InputSerializer,
    ModelInputSerializer,
    collection_schema,
    require_role,
)
from organisation.api.fields import SaneDateField
from organisation.api.jobs import JobOutput
from organisation.jobs import job_create
from organisation.models import Queue
from organisation.roles import MANAGERS
from organisation.selectors.organisation import queue_list_visible, site_list_managed
from scheduling import tasks
from scheduling.errors import HistoryFileError, HistoryTooLarge, RangeTooLong
from scheduling.forecast import MAX_HORIZON_DAYS, METHODS
from scheduling.models import ForecastOverride, ForecastRun, HistoryImport, StaffingRequirement
from scheduling.selectors import forecasting as selectors
from scheduling.services import forecasting as services


def _managed_queue(request: Request, pk: Any) -> Queue:
    """A queue the user may plan: 404 when invisible, 403 when visible but not theirs."""
    queue = queue_list_visible(user=request.user).filter(pk=pk).first()
    if queue is None:
        raise NotFound()
    if not site_list_managed(user=request.user).filter(pk=queue.site_id).exists():
        raise PermissionDenied()
    return queue


@extend_schema_field(OpenApiTypes.UUID)
class _ManagedQueueField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[Queue]:
        user = self.context["request"].user
        return Queue.objects.filter(site__in=site_list_managed(user=user))


# --- History -------------------------------------------------------------------------------


class HistoryImportOutput(serializers.ModelSerializer):
    created = serializers.BooleanField(read_only=True)

    class Meta:
        model = HistoryImport
        fields = [
            "id",
            "queue",
            "filename",
            "layout",
            "interval_minutes",
            "rows_read",
            "intervals_written",
            "first_interval",
            "last_interval",
            "created_at",
            "created",
        ]
        read_only_fields = fields


class HistoryUploadInput(InputSerializer):
    file = serializers.FileField()
    interval_minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=1440, help_text="Bins for per-call files"
    )


class HistoryUploadApi(APIView):
    """Upload interval counts or per-call records for a queue. The same file twice: no-op."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["forecasting"],
        request={"multipart/form-data": HistoryUploadInput},
        responses={201: HistoryImportOutput, 200: HistoryImportOutput},
    )
    def post(self, request: Request, pk: str) -> Response:
        queue = _managed_queue(request, pk)
        serializer = HistoryUploadInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > settings.WFM_HISTORY_UPLOAD_MAX_BYTES:
            raise HistoryTooLarge(
                extra={"max_bytes": settings.WFM_HISTORY_UPLOAD_MAX_BYTES, "bytes": upload.size}
            )
        data = upload.read()
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HistoryFileError("The file is not UTF-8 text.") from exc
        record, created = services.history_import(
            queue=queue,
            data=data,
            filename=upload.name,
            interval_minutes=serializer.validated_data.get("interval_minutes"),
            created_by=request.user,
        )
        record.created = created
        return Response(
            HistoryImportOutput(record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Forecasts -----------------------------------------------------------------------------


class ForecastRunOutput(serializers.ModelSerializer):
    class Meta:
        model = ForecastRun
        fields = [
            "id",
            "queue",
            "job",
            "start_date",
            "days",
            "interval_minutes",
            "method_requested",
            "method_used",
            "backtest_wape",
            "history_last_day",
            "created_at",
        ]
        read_only_fields = fields


class ForecastStartInput(InputSerializer):
    queue = _ManagedQueueField()
    start = SaneDateField()
    days = serializers.IntegerField(min_value=1, max_value=MAX_HORIZON_DAYS)
    interval_minutes = serializers.ChoiceField(choices=[15, 30, 60])
    method = serializers.ChoiceField(choices=METHODS, default="auto")


@collection_schema(ForecastStartInput, ForecastRunOutput, "forecasting")
class ForecastListApi(CollectionApi):
    """GET lists forecast runs; POST starts a forecast job (202, poll /jobs/{id})."""

    create_roles = MANAGERS
    input_serializer = ForecastStartInput
    output_serializer = ForecastRunOutput
    filters = {"queue": "queue"}

    def get_queryset(self) -> QuerySet[ForecastRun]:
        return selectors.forecast_run_list_visible(user=self.request.user)

    @extend_schema(tags=["forecasting"], request=ForecastStartInput, responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, self.create_roles)
        serializer = ForecastStartInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = job_create(
            kind="forecast",
            task=tasks.forecast_build,
            created_by=request.user,
            params={
                "queue": str(data["queue"].pk),
                "start": data["start"].isoformat(),
                "days": data["days"],
                "interval_minutes": data["interval_minutes"],
                "method": data["method"],
            },
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


# --- Overrides -----------------------------------------------------------------------------


class ForecastOverrideOutput(serializers.ModelSerializer):
    class Meta:
        model = ForecastOverride
        fields = ["id", "queue", "start_date", "end_date", "factor", "reason", "created_at"]
        read_only_fields = fields


class ForecastOverrideInput(ModelInputSerializer):
    queue = _ManagedQueueField()

    class Meta:
        model = ForecastOverride
        fields = ["queue", "start_date", "end_date", "factor", "reason"]


@collection_schema(ForecastOverrideInput, ForecastOverrideOutput, "forecasting")
class ForecastOverrideListApi(CollectionApi):
    """Manager adjustments applied on top of the model at the next forecast of their dates."""

    create_roles = MANAGERS
    input_serializer = ForecastOverrideInput
    output_serializer = ForecastOverrideOutput
    filters = {"queue": "queue"}

    def get_queryset(self) -> QuerySet[ForecastOverride]:
        return selectors.forecast_override_list_visible(user=self.request.user)

    def perform_create(self, data: dict[str, Any]) -> ForecastOverride:
        return services.forecast_override_create(created_by=self.request.user, **data)


class ForecastOverrideDeleteApi(APIView):
    @extend_schema(tags=["forecasting"], responses={204: None})
    def delete(self, request: Request, pk: str) -> Response:
        override = selectors.forecast_override_list_visible(user=request.user).filter(pk=pk).first()
        if override is None:
            raise NotFound()
        _managed_queue(request, override.queue_id)
        services.forecast_override_delete(override=override)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Staffing ------------------------------------------------------------------------------


class StaffingOutput(serializers.ModelSerializer):
    class Meta:
        model = StaffingRequirement
        fields = [
            "interval_start",
            "interval_minutes",
            "forecast_calls",
            "calls",
            "aht_seconds",
            "agents",
            "scheduled_agents",
            "service_level",
            "asa_seconds",
            "occupancy",
            "abandon_rate",
            "forecast_run",
        ]
        read_only_fields = fields


class StaffingQueryInput(InputSerializer):
    queue = serializers.UUIDField()
    start = SaneDateField(help_text="First local day of the queue's site")
    end = SaneDateField(help_text="Last local day, inclusive (at most 31 days)")


class StaffingListApi(APIView):
    """Required agents per interval of a queue over local days (at most 31 per request)."""

    @extend_schema(
        tags=["forecasting"],
        parameters=[
            OpenApiParameter("queue", str, required=True),
            OpenApiParameter("start", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, required=True, description="YYYY-MM-DD, inclusive"),
        ],
        responses=StaffingOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        query = StaffingQueryInput(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        queue = queue_list_visible(user=request.user).filter(pk=params["queue"]).first()
        if queue is None:
            raise NotFound()
        if not params["start"] <= params["end"] < params["start"] + timedelta(days=31):
            raise RangeTooLong("end must be on or after start, at most 31 days in all.")
        rows = selectors.staffing_list(
            queue=queue, first_day=params["start"], last_day=params["end"]
        )
        return Response(StaffingOutput(rows, many=True).data)
