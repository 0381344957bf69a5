"""Shift APIs: a roster's shifts and manual edits checked by the rules; the operator's own
schedule and personal calendar feed."""

import uuid
from datetime import date, timedelta
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import (
    InputSerializer,
)
from organisation.api.decisions import me_or_404
from organisation.api.fields import AwareDateTimeField, SaneDateField
from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Queue
from scheduling.api.rosters import TAG, managed_roster, visible_roster
from scheduling.errors import RangeTooLong
from scheduling.models import Roster, Shift, ShiftTemplate
from scheduling.selectors.rosters import (
    my_shifts,
    roster_is_managed,
    roster_list_visible,
    shifts_of,
)
from scheduling.services import calendar_feeds, roster_edits

# --- Shifts --------------------------------------------------------------------------------


class BreakOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    paid = serializers.BooleanField()


class ShiftOutput(serializers.ModelSerializer):
    """A shift; the manager's note only to managers and to the shift's own operator."""

    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    employee_number = serializers.CharField(source="employee.number", read_only=True)
    queue_name = serializers.CharField(source="queue.name", default=None, read_only=True)
    breaks = BreakOutput(many=True, read_only=True)
    note = serializers.SerializerMethodField()

    class Meta:
        model = Shift
        fields = [
            "id",
            "roster",
            "employee",
            "employee_name",
            "employee_number",
            "template",
            "queue",
            "queue_name",
            "activity",
            "start",
            "end",
            "local_date",
            "state",
            "pinned",
            "source",
            "breaks",
            "note",
        ]
        read_only_fields = fields

    def get_note(self, shift: Shift) -> str:
        if self.context.get("manager"):
            return shift.note
        viewer = self.context.get("employee_id")
        return shift.note if viewer is not None and viewer == shift.employee_id else ""


class ShiftAddInput(InputSerializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    template = serializers.PrimaryKeyRelatedField(queryset=ShiftTemplate.objects.all())
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    queue = serializers.PrimaryKeyRelatedField(
        queryset=Queue.objects.all(), required=False, allow_null=True
    )
    activity = serializers.ChoiceField(
        choices=Shift._meta.get_field("activity").choices, required=False
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    override = serializers.BooleanField(default=False)


class EditOutput(serializers.Serializer):
    roster = serializers.UUIDField(source="roster.pk")
    roster_version = serializers.IntegerField(source="roster.version")
    shift = ShiftOutput(allow_null=True)
    overridden_violations = serializers.SerializerMethodField()

    def get_overridden_violations(self, result: Any) -> list[dict[str, Any]]:
        return list(result.overridden)


def _shift_context(request: Request, roster: Roster) -> dict[str, Any]:
    employee = getattr(request.user, "employee", None)
    return {
        "manager": roster_is_managed(user=request.user, roster=roster),
        "employee_id": employee.pk if employee else None,
    }


def _uuid_param(name: str, value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ValidationError({name: [ErrorDetail("Must be a valid UUID.", "invalid")]}) from exc


class RosterShiftListApi(APIView):
    """GET: the roster's shifts (operators: published rosters of their team). POST: a manual
    shift, checked by the rules (409 with the violations unless overridden with a reason)."""

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("employee", OpenApiTypes.UUID)],
        responses=ShiftOutput(many=True),
    )
    def get(self, request: Request, pk: str) -> Response:
        roster = visible_roster(request, pk)
        shifts = shifts_of(roster=roster)
        employee = request.query_params.get("employee")
        if employee:
            shifts = shifts.filter(employee_id=_uuid_param("employee", employee))
        context = _shift_context(request, roster)
        return Response(ShiftOutput(shifts, many=True, context=context).data)

    @extend_schema(tags=[TAG], request=ShiftAddInput, responses={201: EditOutput})
    def post(self, request: Request, pk: str) -> Response:
        roster = managed_roster(request, pk)
        serializer = ShiftAddInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["employee"].team.site_id != roster.site_id or (
            roster.team_id and data["employee"].team_id != roster.team_id
        ):
            raise NotFound("No such employee in this roster's team or site.")
        if data["template"].site_id != roster.site_id:
            raise NotFound("No such shift template at this roster's site.")
        result = roster_edits.shift_add(roster=roster, user=request.user, **data)
        body = EditOutput(result, context=_shift_context(request, result.roster)).data
        return Response(body, status=status.HTTP_201_CREATED)


class ShiftChangeInput(InputSerializer):
    start = AwareDateTimeField(required=False)
    end = AwareDateTimeField(required=False)
    activity = serializers.ChoiceField(
        choices=Shift._meta.get_field("activity").choices, required=False
    )
    queue = serializers.PrimaryKeyRelatedField(queryset=Queue.objects.all(), required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    override = serializers.BooleanField(default=False)


class ShiftDeleteInput(InputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    override = serializers.BooleanField(default=False)


def _managed_shift(request: Request, pk: str) -> Shift:
    shift = (
        Shift.objects.filter(pk=pk, roster__in=roster_list_visible(user=request.user))
        .select_related("roster__site", "roster__team", "employee__user", "queue", "template")
        .first()
    )
    if shift is None:
        raise NotFound()
    if not roster_is_managed(user=request.user, roster=shift.roster):
        raise PermissionDenied()
    return shift


class ShiftDetailApi(APIView):
    """PATCH moves a shift (breaks move with it) or changes its activity, queue or note; a
    shift of a published roster is changed in that roster's draft revision."""

    @extend_schema(tags=[TAG], request=ShiftChangeInput, responses=EditOutput)
    def patch(self, request: Request, pk: str) -> Response:
        shift = _managed_shift(request, pk)
        serializer = ShiftChangeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("queue") is not None and data["queue"].site_id != shift.roster.site_id:
            raise NotFound("No such queue at this roster's site.")
        reason, override = data.pop("reason"), data.pop("override")
        result = roster_edits.shift_change(
            shift=shift,
            fields=roster_edits.ShiftFields(**data),
            user=request.user,
            reason=reason,
            override=override,
        )
        return Response(EditOutput(result, context=_shift_context(request, result.roster)).data)

    @extend_schema(tags=[TAG], request=ShiftDeleteInput, responses=EditOutput)
    def delete(self, request: Request, pk: str) -> Response:
        shift = _managed_shift(request, pk)
        serializer = ShiftDeleteInput(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        result = roster_edits.shift_delete(
            shift=shift, user=request.user, **serializer.validated_data
        )
        return Response(EditOutput(result, context=_shift_context(request, result.roster)).data)


class ShiftPinInput(InputSerializer):
    pinned = serializers.BooleanField()


class ShiftPinApi(APIView):
    @extend_schema(tags=[TAG], request=ShiftPinInput, responses=EditOutput)
    def post(self, request: Request, pk: str) -> Response:
        shift = _managed_shift(request, pk)
        serializer = ShiftPinInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = roster_edits.shift_pin(
            shift=shift, pinned=serializer.validated_data["pinned"], user=request.user
        )
        return Response(EditOutput(result, context=_shift_context(request, result.roster)).data)


# --- The operator's own schedule -----------------------------------------------------------


class MyShiftsApi(APIView):
    """My published shifts starting between two local dates (inclusive, at most 62 days)."""

    @extend_schema(
        tags=["account"],
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses=ShiftOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        employee = me_or_404(request)
        serializer = _RangeInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        first, last = serializer.validated_data["start"], serializer.validated_data["end"]
        start, end = local_day_bounds(
            first_day=first, last_day=last, timezone=employee.team.site.timezone
        )
        shifts = my_shifts(employee=employee, start=start, end=end).select_related(
            "employee__user", "template"
        )
        context = {"manager": False, "employee_id": employee.pk}
        return Response(ShiftOutput(shifts, many=True, context=context).data)


class _RangeInput(serializers.Serializer):
    start = SaneDateField()
    end = SaneDateField()

    def validate(self, attrs: dict[str, date]) -> dict[str, date]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError("The end comes before the start.", code="range")
        if attrs["end"] - attrs["start"] > timedelta(days=61):
            raise RangeTooLong("Ask for at most 62 days at a time.")
        return attrs


class CalendarFeedOutput(serializers.Serializer):
    url = serializers.URLField()


class MyCalendarFeedApi(APIView):
    """POST: a new secret feed URL (shown once; the old one stops working). DELETE: revoke."""

    @extend_schema(tags=["account"], request=None, responses={201: CalendarFeedOutput})
    def post(self, request: Request) -> Response:
        token = calendar_feeds.calendar_feed_rotate(employee=me_or_404(request))
        url = request.build_absolute_uri(f"/api/v1/calendar/{token}.ics")
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["account"], request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        calendar_feeds.calendar_feed_revoke(employee=me_or_404(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarFeedApi(APIView):
    """The iCalendar feed behind a secret URL (calendar apps cannot log in)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        tags=["account"],
        responses={(200, "text/calendar"): OpenApiResponse(response=OpenApiTypes.STR)},
    )
    def get(self, request: Request, token: str) -> HttpResponse:
        employee = calendar_feeds.calendar_feed_employee(token=token)
        if employee is None:
            raise NotFound()
        text = calendar_feeds.calendar_feed_text(employee=employee, now=timezone.now())
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        return response
