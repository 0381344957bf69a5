"""Pay period APIs: payroll opens, closes and exports periods; payroll and the site's
managers read their exceptions, rounding report and pending adjustments."""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.api.fields import SaneDateField
from organisation.api.jobs import JobOutput
from organisation.jobs import job_create
from organisation.models import Site
from organisation.roles import PAYROLL, has_role, user_roles
from organisation.selectors.organisation import employee_list_visible, site_list_managed
from timeclock.exports.billable import billable_adjustment_rows
from timeclock.exports.names import CONTENT_TYPES, export_file_name
from timeclock.models import PayPeriod, PayrollExport
from timeclock.selectors.periods import period_exceptions, rounding_report
from timeclock.services.adjustments import adjustments_preview
from timeclock.services.payroll_exports import payroll_export_check, payroll_export_reissue
from timeclock.services.periods import period_close, period_create, period_next
from timeclock.tasks import payroll_export_job

TAG = "pay"


def _periods(request: Request) -> QuerySet[PayPeriod]:
    roles = user_roles(request.user)
    periods = PayPeriod.objects.select_related("site")
    if roles & PAYROLL:
        return periods
    return periods.filter(site__in=site_list_managed(user=request.user))


def _period(request: Request, pk: str) -> PayPeriod:
    period = _periods(request).filter(pk=pk).first()
    if period is None:
        raise NotFound()
    return period


class PayPeriodOutput(serializers.ModelSerializer):
    class Meta:
        model = PayPeriod
        fields = [
            "id",
            "site",
            "start_date",
            "end_date",
            "pay_date",
            "status",
            "closed_at",
            "export_sha256",
        ]
        read_only_fields = fields


class PayPeriodInput(InputSerializer):
    """Explicit dates, or none: the next period by the site's pay frequency."""

    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all())
    start_date = SaneDateField(required=False)
    end_date = SaneDateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("start_date" in attrs) != ("end_date" in attrs):
            raise serializers.ValidationError("Give both dates or neither.", code="dates")
        return attrs


class PayPeriodListApi(APIView):
    @extend_schema(tags=[TAG], responses=PayPeriodOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(PayPeriodOutput(_periods(request), many=True).data)

    @extend_schema(tags=[TAG], request=PayPeriodInput, responses={201: PayPeriodOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, PAYROLL)
        serializer = PayPeriodInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "start_date" in data:
            period = period_create(**data)
        else:
            today = timezone.localdate()
            monday = today - timedelta(days=today.weekday())
            period = period_next(site=data["site"], anchor=monday)
        return Response(PayPeriodOutput(period).data, status=status.HTTP_201_CREATED)


class ExceptionOutput(serializers.Serializer):
    employee_number = serializers.CharField(source="employee.number")
    employee_name = serializers.CharField(source="employee.full_name")
    shift = serializers.CharField(source="shift_id")
    work_date = serializers.DateField()
    exceptions = serializers.ListField(child=serializers.CharField())


class PayPeriodExceptionsApi(APIView):
    """What to look at before closing: late, absent, missing punches, early leave."""

    @extend_schema(tags=[TAG], responses=ExceptionOutput(many=True))
    def get(self, request: Request, pk: str) -> Response:
        found = period_exceptions(period=_period(request, pk), user=request.user)
        return Response(ExceptionOutput(found, many=True).data)


class RoundingOutput(serializers.Serializer):
    employee_number = serializers.CharField(source="employee.number")
    employee_name = serializers.CharField(source="employee.full_name")
    net_seconds = serializers.ListField(child=serializers.IntegerField())
    alert = serializers.BooleanField()


class PayPeriodRoundingApi(APIView):
    """Net effect of rounding per employee over this and the two periods before it; an
    alert where it favoured the employer in all three (payroll and managers)."""

    @extend_schema(tags=[TAG], responses=RoundingOutput(many=True))
    def get(self, request: Request, pk: str) -> Response:
        rows = rounding_report(period=_period(request, pk), user=request.user)
        return Response(RoundingOutput(rows, many=True).data)


class PayPeriodAdjustmentsApi(APIView):
    """What closing this period would book for earlier closed periods (late punches and
    corrections): the closer approves them with approve_adjustments. Payroll also gets
    the prior-period billable adjustments (per client queue and day: carried by a closed
    period, or what closing an open one would carry), as the billable file has them."""

    @extend_schema(tags=[TAG], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        period = _period(request, pk)
        visible = {
            str(e) for e in employee_list_visible(user=request.user).values_list("pk", flat=True)
        }
        rows = [a for a in adjustments_preview(period=period) if a["employee"] in visible]
        body: dict[str, Any] = {"adjustments": rows}
        if has_role(request.user, *PAYROLL):
            body["billable_adjustments"] = [
                {
                    "client": r.client,
                    "queue": r.queue,
                    "date": r.day.isoformat(),
                    "hours": r.hours,
                    "period_start": r.adjusts_start.isoformat() if r.adjusts_start else None,
                    "period_end": r.adjusts_end.isoformat() if r.adjusts_end else None,
                }
                for r in billable_adjustment_rows(period=period)
            ]
        return Response(body)


class CloseInput(InputSerializer):
    force_reason = serializers.CharField(max_length=500, required=False, default="")
    approve_adjustments = serializers.BooleanField(required=False, default=False)


class PayPeriodCloseApi(APIView):
    """Freeze the period (payroll only). Missing punches answer 409 unless forced with a
    reason; closing again changes nothing."""

    @extend_schema(tags=[TAG], request=CloseInput, responses=PayPeriodOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, PAYROLL)
        serializer = CloseInput(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        period = period_close(
            period=_period(request, pk), user=request.user, **serializer.validated_data
        )
        return Response(PayPeriodOutput(period).data)


class ExportInput(InputSerializer):
    format = serializers.ChoiceField(choices=PayrollExport.Format.choices)


class ExportVersionOutput(serializers.Serializer):
    format = serializers.CharField()
    version = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(
        source="created_by.username",
        default=None,
        allow_null=True,
        help_text="Who made it; None: not recorded",
    )
    superseded_at = serializers.DateTimeField(
        allow_null=True, help_text="When a re-issue replaced it; None: the current file"
    )


class PayPeriodExportReissueApi(APIView):
    """POST {"format": "adp"|"datev"} re-issues the period's file from the same locked pay
    lines with the site's earnings codes, account and employees' numbers as they are now: a
    new version (201; the one it replaces is kept, superseded, and downloads with GET
    .../exports?kind=<format>&version=<n>). Refused with nothing written: 400
    export_reissue_format; 409 period_not_closed, export_not_made, export_codes_unmapped,
    export_identifiers_missing, export_account_missing, export_identifiers_shared,
    export_reissue_unchanged. GET lists every version of every format."""

    @extend_schema(tags=[TAG], request=ExportInput, responses={201: ExportVersionOutput})
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, PAYROLL)
        period = _period(request, pk)
        serializer = ExportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = payroll_export_reissue(
            period=period, format=serializer.validated_data["format"], actor=request.user
        )
        return Response(ExportVersionOutput(issued).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=[TAG], responses=ExportVersionOutput(many=True))
    def get(self, request: Request, pk: str) -> Response:
        require_role(request.user, PAYROLL)
        period = _period(request, pk)
        rows = (
            PayrollExport.objects.filter(period=period)
            .select_related("created_by")
            .defer("content")
            .order_by("format", "-version")
        )
        return Response(ExportVersionOutput(rows, many=True).data)


class PayPeriodExportApi(APIView):
    """POST {"format"} starts the export job (202; csv, xlsx, records, billable, adp, datev;
    409 at once when the period is open, or for adp/datev when a pay code has no code or an
    employee no number, naming them); GET ?kind=<format> downloads the file it wrote
    (`format` is DRF's own query parameter)."""

    @extend_schema(tags=[TAG], request=ExportInput, responses={202: JobOutput})
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, PAYROLL)
        period = _period(request, pk)
        serializer = ExportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Unmapped pay codes, missing numbers: 409 at once, naming them; no job, no file.
        payroll_export_check(period=period, format=serializer.validated_data["format"])
        job = job_create(
            kind="payroll_export",
            task=payroll_export_job,
            created_by=request.user,
            params={"period": str(period.pk), "format": serializer.validated_data["format"]},
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, required=True)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(response=OpenApiTypes.BINARY)
        },
    )
    def get(self, request: Request, pk: str) -> HttpResponse:
        require_role(request.user, PAYROLL)
        period = _period(request, pk)
        # ?version=N: a version re-issued since (kept, superseded); else the current one.
        version = request.query_params.get("version", "")
        exports = PayrollExport.objects.filter(
            period=period, format=request.query_params.get("kind", "")
        )
        if version:
            if not version.isdigit() or len(version) > 4:
                raise NotFound("No such version of this export.")
            export = exports.filter(version=int(version)).first()
        else:
            export = exports.filter(superseded_at__isnull=True).first()
        if export is None:
            raise NotFound("No such export yet: start it with POST.")
        content = bytes(export.content)
        response = HttpResponse(content, content_type=CONTENT_TYPES[export.format])
        name = export_file_name(period=period, format=export.format, head=content)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
