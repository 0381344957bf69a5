"""Pay APIs: pay periods (payroll closes and exports), timesheets, payslips and attendance
points for the operator themself (`/me/...`), their managers and payroll."""

from datetime import date, timedelta
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

from organisation.api.base import (
    CollectionApi,
    InputSerializer,
    ItemApi,
    ModelInputSerializer,
    collection_schema,
    item_schema,
    require_role,
)
from organisation.api.fields import SentenceOutput
from organisation.api.jobs import JobOutput
from organisation.jobs import job_create
from organisation.models import Employee, Site
from organisation.roles import PAYROLL, user_roles
from organisation.selectors.organisation import employee_list_visible, site_list_managed
from timeclock import payroll, reports, tasks
from timeclock.models import PayPeriod, PayPolicy, PayrollExport
from timeclock.payroll import pay_policy_save

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
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)

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
            period = payroll.period_create(**data)
        else:
            today = timezone.localdate()
            monday = today - timedelta(days=today.weekday())
            period = payroll.period_next(site=data["site"], anchor=monday)
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
        found = payroll.period_exceptions(period=_period(request, pk))
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
        rows = payroll.rounding_report(period=_period(request, pk))
        return Response(RoundingOutput(rows, many=True).data)


class PayPeriodAdjustmentsApi(APIView):
    """What closing this period would book for earlier closed periods (late punches and
    corrections): the closer approves them with approve_adjustments."""

    @extend_schema(tags=[TAG], responses={200: dict})
    def get(self, request: Request, pk: str) -> Response:
        period = _period(request, pk)
        return Response({"adjustments": payroll.adjustments_preview(period=period)})


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
        period = payroll.period_close(
            period=_period(request, pk), user=request.user, **serializer.validated_data
        )
        return Response(PayPeriodOutput(period).data)


class ExportInput(InputSerializer):
    format = serializers.ChoiceField(choices=PayrollExport.Format.choices)


class PayPeriodExportApi(APIView):
    """POST {"format"} starts the export job (202); GET ?kind=csv|xlsx|billable downloads the
    file it wrote (`format` is DRF's own query parameter)."""

    @extend_schema(tags=[TAG], request=ExportInput, responses={202: JobOutput})
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, PAYROLL)
        period = _period(request, pk)
        serializer = ExportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        if period.status != PayPeriod.Status.CLOSED:
            raise payroll.PeriodNotClosed()
        job = job_create(
            kind="payroll_export",
            task=tasks.payroll_export_job,
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
        export = PayrollExport.objects.filter(
            period=period, format=request.query_params.get("kind", "")
        ).first()
        if export is None:
            raise NotFound("No such export yet: start it with POST.")
        kind = {
            "csv": "text/csv",
            "billable": "text/csv",
            "records": "text/csv",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[export.format]
        suffix = "xlsx" if export.format == "xlsx" else "csv"
        response = HttpResponse(bytes(export.content), content_type=kind)
        name = f"payroll-{period.site.name}-{period.start_date}-{export.format}.{suffix}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- Pay policies --------------------------------------------------------------------------


POLICY_FIELDS = [
    "site",
    "team",
    "pay_frequency",
    "rounding_minutes",
    "exact_time_only",
    "weekly_overtime_hours",
    "daily_overtime_hours",
    "overtime_multiplier",
    "night_start",
    "night_end",
    "night_premium",
    "weekend_premium",
    "holiday_premium",
    "fines_enabled",
    "grace_minutes",
    "lateness_mode",
    "lateness_amount",
    "lateness_tiers",
    "absence_mode",
    "absence_amount",
]


def _policies(request: Request) -> QuerySet[PayPolicy]:
    """Payroll and admins see every policy; managers those of their sites."""
    if user_roles(request.user) & PAYROLL:
        return PayPolicy.objects.order_by("site__name", "team__name")
    return PayPolicy.objects.filter(site__in=site_list_managed(user=request.user))


class PayPolicyOutput(serializers.ModelSerializer):
    class Meta:
        model = PayPolicy
        fields = ["id", *POLICY_FIELDS]
        read_only_fields = fields


class PayPolicyInput(ModelInputSerializer):
    class Meta:
        model = PayPolicy
        fields = POLICY_FIELDS


@collection_schema(PayPolicyInput, PayPolicyOutput, TAG)
class PayPolicyListApi(CollectionApi):
    """Payroll and admins set how each site (or team) pays; managers read their sites'."""

    create_roles = PAYROLL
    input_serializer = PayPolicyInput
    output_serializer = PayPolicyOutput

    def get_queryset(self) -> QuerySet[PayPolicy]:
        return _policies(self.request)

    def perform_create(self, data: dict[str, Any]) -> PayPolicy:
        return pay_policy_save(policy=PayPolicy(), fields=data)


@item_schema(PayPolicyInput, PayPolicyOutput, TAG)
class PayPolicyDetailApi(ItemApi):
    output_serializer = PayPolicyOutput
    delete_roles = PAYROLL

    def get_queryset(self) -> QuerySet[PayPolicy]:
        return _policies(self.request)

    def update_input(self, obj: Any) -> type[serializers.Serializer] | None:
        return PayPolicyInput if user_roles(self.request.user) & PAYROLL else None

    def perform_update(self, obj: Any, data: dict[str, Any]) -> PayPolicy:
        return pay_policy_save(policy=obj, fields=data)

    def perform_destroy(self, obj: Any) -> None:
        obj.delete()


# --- Timesheets, payslips, points ------------------------------------------------------------


class TimesheetRowOutput(serializers.Serializer):
    shift = serializers.CharField()
    work_date = serializers.DateField()
    scheduled_start = serializers.DateTimeField()
    scheduled_end = serializers.DateTimeField()
    clock_in = serializers.DateTimeField(allow_null=True)
    clock_out = serializers.DateTimeField(allow_null=True)
    worked_minutes = serializers.IntegerField()
    unpaid_break_minutes = serializers.IntegerField()
    late_minutes = serializers.IntegerField()
    early_leave_minutes = serializers.IntegerField()
    exceptions = serializers.ListField(child=serializers.CharField())


class PayslipLineOutput(serializers.Serializer):
    pay_code = serializers.CharField()
    minutes = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    rate = serializers.DecimalField(max_digits=12, decimal_places=4)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    rule = serializers.CharField(help_text="Why, in English")
    reason = SentenceOutput(many=True, help_text="Why, as sentences to translate")
    work_date = serializers.DateField(allow_null=True)


class PayslipOutput(serializers.Serializer):
    period = serializers.UUIDField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.CharField()
    currency = serializers.CharField()
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = PayslipLineOutput(many=True)


class PointEventOutput(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class PointsOutput(serializers.Serializer):
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    level = serializers.CharField()
    window_start = serializers.DateField()
    events = PointEventOutput(many=True)


class _Range(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs: dict[str, date]) -> dict[str, date]:
        if not timedelta(0) <= attrs["end"] - attrs["start"] < timedelta(days=reports.MAX_DAYS):
            raise serializers.ValidationError("A range of up to 62 days.", code="range")
        return attrs


def _employee(request: Request, pk: str | None) -> Employee:
    if pk is None:
        employee = getattr(request.user, "employee", None)
    else:
        employee = employee_list_visible(user=request.user).filter(pk=pk).first()
    if employee is None:
        raise NotFound()
    return employee


_RANGE = [
    OpenApiParameter("start", OpenApiTypes.DATE, required=True),
    OpenApiParameter("end", OpenApiTypes.DATE, required=True),
]


class TimesheetApi(APIView):
    """Worked time and exceptions per shift (the operator, their managers, payroll)."""

    @extend_schema(tags=[TAG], parameters=_RANGE, responses=TimesheetRowOutput(many=True))
    def get(self, request: Request, pk: str | None = None) -> Response:
        employee = _employee(request, pk)
        span = _Range(data=request.query_params)
        span.is_valid(raise_exception=True)
        rows = reports.timesheet_rows(
            employee=employee, first=span.validated_data["start"], last=span.validated_data["end"]
        )
        return Response(TimesheetRowOutput(rows, many=True).data)


class PayslipApi(APIView):
    """Every line of a period's pay with the rule that produced it."""

    @extend_schema(tags=[TAG], responses=PayslipOutput)
    def get(self, request: Request, period: str, pk: str | None = None) -> Response:
        employee = _employee(request, pk)
        found = PayPeriod.objects.filter(pk=period, site_id=employee.team.site_id).first()
        if found is None:
            raise NotFound()
        return Response(PayslipOutput(reports.payslip(employee=employee, period=found)).data)


class PointsApi(APIView):
    """Attendance points over the last 90 days and the flag they raise."""

    @extend_schema(tags=[TAG], responses=PointsOutput)
    def get(self, request: Request, pk: str | None = None) -> Response:
        employee = _employee(request, pk)
        today = timezone.localdate()
        return Response(PointsOutput(reports.points(employee=employee, on=today)).data)
