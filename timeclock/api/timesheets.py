"""Timesheet, payslip and attendance-points APIs for the operator themself (`/me/...`), their
managers and payroll."""

from datetime import date, timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.fields import LocalDateTimeField, SaneDateField, SentenceOutput
from organisation.models import Employee
from organisation.selectors.organisation import employee_list_visible
from timeclock.selectors.pay import payslip_get, payslip_periods
from timeclock.selectors.timesheets import points_get, timesheet_row_list
from timeclock.services.adjustments import adjustments_pending

TAG = "pay"
TIMESHEET_MAX_DAYS = 62


class TimesheetRowOutput(serializers.Serializer):
    """Times in the site's local time with their offset, the site's zone beside them."""

    shift = serializers.CharField()
    work_date = serializers.DateField(help_text="The site-local day the shift starts on")
    timezone = serializers.CharField(help_text="The site's IANA time zone")
    scheduled_start = LocalDateTimeField()
    scheduled_end = LocalDateTimeField()
    clock_in = LocalDateTimeField(allow_null=True)
    clock_out = LocalDateTimeField(allow_null=True)
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
    warnings = SentenceOutput(
        many=True, help_text="What payroll checks before closing (moved_site: paid across sites)"
    )


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
    start = SaneDateField()
    end = SaneDateField()

    def validate(self, attrs: dict[str, date]) -> dict[str, date]:
        if not timedelta(0) <= attrs["end"] - attrs["start"] < timedelta(days=TIMESHEET_MAX_DAYS):
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
        rows = timesheet_row_list(
            employee=employee, first=span.validated_data["start"], last=span.validated_data["end"]
        )
        zone = employee.team.site.timezone
        local = TimesheetRowOutput(
            [{**row, "timezone": zone} for row in rows], many=True, context={"timezone": zone}
        )
        return Response(local.data)


class PayslipApi(APIView):
    """Every line of a period's pay with the rule that produced it."""

    @extend_schema(tags=[TAG], responses=PayslipOutput)
    def get(self, request: Request, period: str, pk: str | None = None) -> Response:
        employee = _employee(request, pk)
        found = payslip_periods(employee=employee).filter(pk=period).first()
        if found is None:
            raise NotFound()
        pending = adjustments_pending(period=found)
        slip = payslip_get(employee=employee, period=found, adjustments=pending)
        return Response(PayslipOutput(slip).data)


class PointsApi(APIView):
    """Attendance points over the last 90 days and the flag they raise."""

    @extend_schema(tags=[TAG], responses=PointsOutput)
    def get(self, request: Request, pk: str | None = None) -> Response:
        employee = _employee(request, pk)
        today = timezone.localdate()
        return Response(PointsOutput(points_get(employee=employee, on=today)).data)
