"""Roster APIs: templates and availability, build jobs, review, edits, publish, operators'
shifts and calendar feeds. Views parse, call one service or selector, and serialize."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduling import tasks
from scheduling.errors import RangeTooLong
from scheduling.local_grid import local_day_bounds
from scheduling.models import AvailabilityBlock, Roster, RosterChange, Shift, ShiftTemplate
from scheduling.selectors.roster_review import roster_csv, roster_review
from scheduling.selectors.rosters import (
    my_shifts,
    roster_is_managed,
    roster_list_visible,
    shifts_of,
)
from scheduling.services import calendar_feeds, roster_edits, roster_inputs
from scheduling.services.rosters import (
    BuildRequest,
    roster_build_request,
    roster_diff,
    roster_discard,
    roster_publish,
    roster_revise,
)
from wfm.api.base import (
    CollectionApi,
    InputSerializer,
    ItemApi,
    ModelInputSerializer,
    collection_schema,
    item_schema,
    require_role,
)
from wfm.api.fields import AwareDateTimeField
from wfm.api.jobs import JobOutput
from wfm.errors import NotPermitted
from wfm.models import Employee, Queue, Site, Team
from wfm.roles import Role
from wfm.selectors import employee_list_visible, site_list_managed, team_list_managed

MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})
TAG = "rosters"


# --- Shift templates -----------------------------------------------------------------------


class ShiftTemplateOutput(serializers.ModelSerializer):
    class Meta:
        model = ShiftTemplate
        fields = [
            "id",
            "site",
            "name",
            "queue",
            "activity",
            "earliest_start",
            "latest_start",
            "start_step_minutes",
            "lengths_minutes",
            "weekdays",
            "breaks",
            "is_active",
        ]
        read_only_fields = fields


class ShiftTemplateInput(ModelInputSerializer):
    class Meta:
        model = ShiftTemplate
        fields = [
            "site",
            "name",
            "queue",
            "activity",
            "earliest_start",
            "latest_start",
            "start_step_minutes",
            "lengths_minutes",
            "weekdays",
            "breaks",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        managed = site_list_managed(user=request.user) if request else Site.objects.none()
        self.fields["site"].queryset = managed
        self.fields["queue"].queryset = Queue.objects.filter(site__in=managed)


@collection_schema(ShiftTemplateInput, ShiftTemplateOutput, TAG)
class ShiftTemplateListApi(CollectionApi):
    create_roles = MANAGERS
    input_serializer = ShiftTemplateInput
    output_serializer = ShiftTemplateOutput
    filters = {"site": "site", "queue": "queue"}

    def get_queryset(self) -> QuerySet[ShiftTemplate]:
        return ShiftTemplate.objects.filter(site__in=site_list_managed(user=self.request.user))

    def perform_create(self, data: dict[str, Any]) -> Model:
        return roster_inputs.shift_template_create(**data)


@item_schema(ShiftTemplateInput, ShiftTemplateOutput, TAG)
class ShiftTemplateDetailApi(ItemApi):
    """Templates are deactivated (is_active=false), not deleted: shifts refer to them."""

    output_serializer = ShiftTemplateOutput

    def get_queryset(self) -> QuerySet[ShiftTemplate]:
        return ShiftTemplate.objects.filter(site__in=site_list_managed(user=self.request.user))

    def update_input(self, obj: Any) -> type[serializers.Serializer]:
        return ShiftTemplateInput

    def perform_update(self, obj: Any, data: dict[str, Any]) -> Model:
        return roster_inputs.shift_template_update(template=obj, **data)


# --- Availability --------------------------------------------------------------------------


class AvailabilityOutput(serializers.ModelSerializer):
    class Meta:
        model = AvailabilityBlock
        fields = ["id", "employee", "kind", "start", "end", "reason", "created_at"]
        read_only_fields = fields


class AvailabilityInput(InputSerializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.none())
    kind = serializers.ChoiceField(choices=AvailabilityBlock.Kind.choices)
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["employee"].queryset = (
            Employee.objects.filter(team__in=team_list_managed(user=request.user))
            if request
            else Employee.objects.none()
        )


@collection_schema(AvailabilityInput, AvailabilityOutput, TAG)
class AvailabilityListApi(CollectionApi):
    """Managers record unavailability, approved time off and wishes for their teams;
    operators read their own."""

    create_roles = MANAGERS
    input_serializer = AvailabilityInput
    output_serializer = AvailabilityOutput
    filters = {"employee": "employee"}

    def get_queryset(self) -> QuerySet[AvailabilityBlock]:
        return AvailabilityBlock.objects.filter(
            employee__in=employee_list_visible(user=self.request.user)
        )

    def perform_create(self, data: dict[str, Any]) -> Model:
        return roster_inputs.availability_create(**data, created_by=self.request.user)


@item_schema(AvailabilityInput, AvailabilityOutput, TAG)
class AvailabilityDetailApi(ItemApi):
    output_serializer = AvailabilityOutput
    delete_roles = MANAGERS

    def get_queryset(self) -> QuerySet[AvailabilityBlock]:
        return AvailabilityBlock.objects.filter(
            employee__in=employee_list_visible(user=self.request.user)
        )

    def perform_destroy(self, obj: Any) -> None:
        if not team_list_managed(user=self.request.user).filter(pk=obj.employee.team_id).exists():
            raise PermissionDenied()
        obj.delete()


# --- Rosters -------------------------------------------------------------------------------


class RosterOutput(serializers.ModelSerializer):
    shifts = serializers.IntegerField(source="shifts.count", read_only=True)

    class Meta:
        model = Roster
        fields = [
            "id",
            "site",
            "team",
            "start_date",
            "days",
            "version",
            "status",
            "based_on",
            "job",
            "interval_minutes",
            "solver",
            "content_sha256",
            "created_at",
            "published_at",
            "shifts",
        ]
        read_only_fields = fields


class RosterBuildInput(InputSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none(), required=False)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none(), required=False)
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=1)
    time_limit_seconds = serializers.FloatField(min_value=1, default=30)
    seed = serializers.IntegerField(min_value=0, default=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["team"].queryset = team_list_managed(user=request.user)
            self.fields["site"].queryset = site_list_managed(user=request.user)

    def validate_time_limit_seconds(self, value: float) -> float:
        if value > settings.WFM_ROSTER_MAX_SECONDS:
            raise serializers.ValidationError(
                f"At most {settings.WFM_ROSTER_MAX_SECONDS} seconds.", code="max_value"
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("team")) == bool(attrs.get("site")):
            raise serializers.ValidationError(
                "Give a team or a site (a site roster covers all its teams).", code="scope"
            )
        return attrs


def _build_request(data: dict[str, Any], base: Roster | None = None) -> BuildRequest:
    team = data.get("team")
    site = team.site if team is not None else data["site"]
    return BuildRequest(
        site=site,
        team=team,
        start=data["start"],
        days=data["days"],
        time_limit_seconds=data["time_limit_seconds"],
        seed=data["seed"],
        base=base,
    )


class RosterListApi(CollectionApi):
    """GET: rosters the user may see. POST: start a build job (202 with the job)."""

    output_serializer = RosterOutput
    filters = {"team": "team", "site": "site", "status": "status", "start_date": "start_date"}

    def get_queryset(self) -> QuerySet[Roster]:
        return roster_list_visible(user=self.request.user).prefetch_related(None)

    @extend_schema(tags=[TAG], responses=RosterOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(tags=[TAG], request=RosterBuildInput, responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = RosterBuildInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("site") and not _manages_site(request, data["site"]):
            raise NotPermitted("A site roster needs a manager of every team at the site.")
        job = roster_build_request(
            request=_build_request(data), task=tasks.roster_build, user=request.user
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


def _manages_site(request: Request, site: Site) -> bool:
    probe = Roster(site=site, team=None)
    return roster_is_managed(user=request.user, roster=probe)


def _visible_roster(request: Request, pk: Any) -> Roster:
    roster = roster_list_visible(user=request.user).filter(pk=pk).first()
    if roster is None:
        raise NotFound()
    return roster


def _managed_roster(request: Request, pk: Any) -> Roster:
    roster = _visible_roster(request, pk)
    if not roster_is_managed(user=request.user, roster=roster):
        raise PermissionDenied()
    return roster


class RosterDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=RosterOutput)
    def get(self, request: Request, pk: str) -> Response:
        return Response(RosterOutput(_visible_roster(request, pk)).data)


class ResolveInput(InputSerializer):
    time_limit_seconds = serializers.FloatField(min_value=1, default=30)
    seed = serializers.IntegerField(min_value=0, default=0)

    validate_time_limit_seconds = RosterBuildInput.validate_time_limit_seconds


class RosterResolveApi(APIView):
    """Re-solve the period into a new draft, keeping this version's pinned shifts (and any
    shift that has already started)."""

    @extend_schema(tags=[TAG], request=ResolveInput, responses={202: JobOutput})
    def post(self, request: Request, pk: str) -> Response:
        roster = _managed_roster(request, pk)
        serializer = ResolveInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = {
            **serializer.validated_data,
            "team": roster.team,
            "site": roster.site,
            "start": roster.start_date,
            "days": roster.days,
        }
        job = roster_build_request(
            request=_build_request(data, base=roster), task=tasks.roster_build, user=request.user
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class RosterReviseApi(APIView):
    """The open draft revision of a published roster (created on first call)."""

    @extend_schema(tags=[TAG], request=None, responses=RosterOutput)
    def post(self, request: Request, pk: str) -> Response:
        draft = roster_revise(roster=_managed_roster(request, pk), user=request.user)
        return Response(RosterOutput(draft).data)


class RosterDiscardApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses=RosterOutput)
    def post(self, request: Request, pk: str) -> Response:
        roster = roster_discard(roster=_managed_roster(request, pk), user=request.user)
        return Response(RosterOutput(roster).data)


class DiffShiftOutput(serializers.Serializer):
    id = serializers.UUIDField()
    employee = serializers.UUIDField(source="employee_id")
    employee_name = serializers.CharField(source="employee.full_name")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    activity = serializers.CharField()
    queue = serializers.UUIDField(source="queue_id", allow_null=True)


class PublishOutput(serializers.Serializer):
    roster = RosterOutput()
    previous_version = serializers.IntegerField(allow_null=True)
    already_published = serializers.BooleanField()
    notified = serializers.IntegerField()
    added = DiffShiftOutput(many=True)
    removed = DiffShiftOutput(many=True)
    working_time_warnings = serializers.ListField(child=serializers.DictField())


class RosterPublishApi(APIView):
    """Publish a draft: the previous published version is superseded, the operators whose
    shifts changed are e-mailed once. Publishing again has no further effect."""

    @extend_schema(tags=[TAG], request=None, responses=PublishOutput)
    def post(self, request: Request, pk: str) -> Response:
        result = roster_publish(roster=_managed_roster(request, pk), user=request.user)
        body = {
            "roster": result.roster,
            "previous_version": result.previous.version if result.previous else None,
            "already_published": result.diff is None,
            "notified": result.notices,
            "added": result.diff.added if result.diff else [],
            "removed": result.diff.removed if result.diff else [],
            "working_time_warnings": list(result.working_time),
        }
        return Response(PublishOutput(body).data)


class DiffOutput(serializers.Serializer):
    against_version = serializers.IntegerField(allow_null=True)
    added = DiffShiftOutput(many=True)
    removed = DiffShiftOutput(many=True)


class RosterDiffApi(APIView):
    """Changes against the version this one revises (or the line's published version)."""

    @extend_schema(tags=[TAG], responses=DiffOutput)
    def get(self, request: Request, pk: str) -> Response:
        roster = _managed_roster(request, pk)
        old = roster.based_on or (
            Roster.objects.filter(
                scope_key=roster.scope_key,
                start_date=roster.start_date,
                status=Roster.Status.PUBLISHED,
            )
            .exclude(pk=roster.pk)
            .first()
        )
        diff = roster_diff(old=old, new=roster)
        body = {
            "against_version": old.version if old else None,
            "added": diff.added,
            "removed": diff.removed,
        }
        return Response(DiffOutput(body).data)


class ReviewOutput(serializers.Serializer):
    totals = serializers.DictField()
    cover = serializers.ListField(child=serializers.DictField())
    people = serializers.ListField(child=serializers.DictField())
    violations = serializers.ListField(child=serializers.DictField())


class RosterReviewApi(APIView):
    """Cover per queue and interval (required vs scheduled, local times), totals, paid hours
    and weekends per person, and every rule violation."""

    @extend_schema(tags=[TAG], responses=ReviewOutput)
    def get(self, request: Request, pk: str) -> Response:
        review = roster_review(roster=_managed_roster(request, pk), now=timezone.now())
        return Response(ReviewOutput(review).data)


class RosterExportApi(APIView):
    @extend_schema(
        tags=[TAG], responses={(200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR)}
    )
    def get(self, request: Request, pk: str) -> HttpResponse:
        roster = _visible_roster(request, pk)
        if not roster_is_managed(user=request.user, roster=roster):
            require_role(request.user, frozenset({Role.PAYROLL}))
        response = HttpResponse(roster_csv(roster=roster), content_type="text/csv; charset=utf-8")
        name = f"roster-{roster.start_date}-v{roster.version}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ChangeOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = RosterChange
        fields = [
            "id",
            "actor",
            "created_at",
            "action",
            "shift_id",
            "before",
            "after",
            "reason",
            "violations",
        ]
        read_only_fields = fields


class RosterChangesApi(APIView):
    @extend_schema(tags=[TAG], responses=ChangeOutput(many=True))
    def get(self, request: Request, pk: str) -> Response:
        roster = _managed_roster(request, pk)
        changes = roster.changes.select_related("actor").order_by("created_at", "pk")
        return Response(ChangeOutput(changes, many=True).data)


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
        return [
            {"rule": v.rule, "employee": v.employee, "day": v.day, "message": v.message}
            for v in result.overridden
        ]


def _shift_context(request: Request, roster: Roster) -> dict[str, Any]:
    employee = getattr(request.user, "employee", None)
    return {
        "manager": roster_is_managed(user=request.user, roster=roster),
        "employee_id": employee.pk if employee else None,
    }


class RosterShiftListApi(APIView):
    """GET: the roster's shifts (operators: published rosters of their team). POST: a manual
    shift, checked by the rules (409 with the violations unless overridden with a reason)."""

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("employee", OpenApiTypes.UUID)],
        responses=ShiftOutput(many=True),
    )
    def get(self, request: Request, pk: str) -> Response:
        roster = _visible_roster(request, pk)
        shifts = shifts_of(roster=roster)
        if request.query_params.get("employee"):
            shifts = shifts.filter(employee_id=request.query_params["employee"])
        context = _shift_context(request, roster)
        return Response(ShiftOutput(shifts, many=True, context=context).data)

    @extend_schema(tags=[TAG], request=ShiftAddInput, responses={201: EditOutput})
    def post(self, request: Request, pk: str) -> Response:
        roster = _managed_roster(request, pk)
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


def _own_employee(request: Request) -> Employee:
    employee = getattr(request.user, "employee", None)
    if employee is None:
        raise NotFound("You have no employee record.")
    return employee


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
        employee = _own_employee(request)
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
    start = serializers.DateField()
    end = serializers.DateField()

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
        token = calendar_feeds.calendar_feed_rotate(employee=_own_employee(request))
        url = request.build_absolute_uri(f"/api/v1/calendar/{token}.ics")
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["account"], request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        calendar_feeds.calendar_feed_revoke(employee=_own_employee(request))
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
