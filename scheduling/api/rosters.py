"""Roster APIs: build jobs, versions (revise, resolve, discard, publish), review, diff,
export and the audit of changes. Views parse, call one service or selector, serialize."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import (
    CollectionApi,
    InputSerializer,
    require_role,
)
from organisation.api.fields import SaneDateField
from organisation.api.jobs import JobOutput
from organisation.errors import NotPermitted
from organisation.models import Site, Team
from organisation.roles import MANAGERS, Role
from organisation.selectors.organisation import site_list_managed, team_list_managed
from scheduling import tasks
from scheduling.models import Roster, RosterChange
from scheduling.selectors.roster_diffs import roster_diff
from scheduling.selectors.roster_review import roster_csv, roster_review
from scheduling.selectors.rosters import (
    roster_is_managed,
    roster_list_visible,
)
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from scheduling.services.roster_publish import roster_publish
from scheduling.services.roster_versions import roster_discard, roster_revise

TAG = "rosters"


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


DETERMINISTIC_HELP = (
    "The same input and seed give the same roster, whatever the machine's load; the time "
    "limit is then read as work (about idle-machine seconds)."
)


class RosterBuildInput(InputSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none(), required=False)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none(), required=False)
    start = SaneDateField()
    days = serializers.IntegerField(min_value=1)
    time_limit_seconds = serializers.FloatField(min_value=1, default=30)
    seed = serializers.IntegerField(min_value=0, default=0)
    deterministic = serializers.BooleanField(default=False, help_text=DETERMINISTIC_HELP)

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
        deterministic=data.get("deterministic", False),
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


def visible_roster(request: Request, pk: Any) -> Roster:
    roster = roster_list_visible(user=request.user).filter(pk=pk).first()
    if roster is None:
        raise NotFound()
    return roster


def managed_roster(request: Request, pk: Any) -> Roster:
    roster = visible_roster(request, pk)
    if not roster_is_managed(user=request.user, roster=roster):
        raise PermissionDenied()
    return roster


class RosterDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=RosterOutput)
    def get(self, request: Request, pk: str) -> Response:
        return Response(RosterOutput(visible_roster(request, pk)).data)


class ResolveInput(InputSerializer):
    time_limit_seconds = serializers.FloatField(min_value=1, default=30)
    seed = serializers.IntegerField(min_value=0, default=0)
    deterministic = serializers.BooleanField(default=False, help_text=DETERMINISTIC_HELP)

    validate_time_limit_seconds = RosterBuildInput.validate_time_limit_seconds


class RosterResolveApi(APIView):
    """Re-solve the period into a new draft, keeping this version's pinned shifts (and any
    shift that has already started)."""

    @extend_schema(tags=[TAG], request=ResolveInput, responses={202: JobOutput})
    def post(self, request: Request, pk: str) -> Response:
        roster = managed_roster(request, pk)
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
        draft = roster_revise(roster=managed_roster(request, pk), user=request.user)
        return Response(RosterOutput(draft).data)


class RosterDiscardApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses=RosterOutput)
    def post(self, request: Request, pk: str) -> Response:
        roster = roster_discard(roster=managed_roster(request, pk), user=request.user)
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
        result = roster_publish(roster=managed_roster(request, pk), user=request.user)
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
    """Changes against the version this one revises (or the series' published version)."""

    @extend_schema(tags=[TAG], responses=DiffOutput)
    def get(self, request: Request, pk: str) -> Response:
        roster = managed_roster(request, pk)
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
        review = roster_review(roster=managed_roster(request, pk), now=timezone.now())
        return Response(ReviewOutput(review).data)


class RosterExportApi(APIView):
    @extend_schema(
        tags=[TAG], responses={(200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR)}
    )
    def get(self, request: Request, pk: str) -> HttpResponse:
        roster = visible_roster(request, pk)
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
        roster = managed_roster(request, pk)
        changes = roster.changes.select_related("actor").order_by("created_at", "pk")
        return Response(ChangeOutput(changes, many=True).data)
