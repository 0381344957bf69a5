"""Training APIs (issue 24): programmes with their sessions and modules, enrolments and their
progress, sign-off, proficiency per queue, meetings. Managers of a site's teams edit; an
operator sees their own plan and marks their own modules done. Thin: parse, one service,
serialize."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import CollectionApi, InputSerializer, require_role
from organisation.api.decisions import PersonOutput, me_or_404
from organisation.api.fields import AwareDateTimeField, SaneDateField
from organisation.models import Employee, Proficiency, Queue
from organisation.roles import MANAGERS, user_roles
from organisation.selectors.organisation import employee_list_visible, site_list_managed
from organisation.services.proficiency import proficiency_set
from scheduling.models import (
    ClassroomSession,
    Enrolment,
    Meeting,
    StudyModule,
    TrainingProgramme,
)
from scheduling.selectors.training import enrolment_progress
from scheduling.services import training, training_progress

TAG = "training"


# --- Output --------------------------------------------------------------------------------


class SessionOutput(serializers.ModelSerializer):
    trainer = PersonOutput(read_only=True)

    class Meta:
        model = ClassroomSession
        fields = [
            "id",
            "topic",
            "length_minutes",
            "trainer",
            "capacity",
            "room",
            "window_start",
            "window_end",
        ]
        read_only_fields = fields


class ModuleOutput(serializers.ModelSerializer):
    class Meta:
        model = StudyModule
        fields = ["id", "title", "kind", "expected_minutes", "url"]
        read_only_fields = fields


class ProgrammeOutput(serializers.ModelSerializer):
    sessions = SessionOutput(many=True, read_only=True)
    modules = ModuleOutput(many=True, read_only=True)

    class Meta:
        model = TrainingProgramme
        fields = [
            "id",
            "site",
            "queue",
            "name",
            "target_level",
            "min_supervised_minutes_per_week",
            "max_supervised_minutes_per_week",
            "required_supervised_minutes",
            "is_active",
            "sessions",
            "modules",
        ]
        read_only_fields = fields


class EnrolmentOutput(serializers.ModelSerializer):
    employee = PersonOutput(read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "programme", "employee", "enrolled_on", "status", "signed_off_at"]
        read_only_fields = fields


class ProgressEventOutput(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.ChoiceField(choices=["mentored", "session", "module"])
    title = serializers.CharField()
    minutes = serializers.IntegerField()


class ProgressOutput(serializers.Serializer):
    enrolment = EnrolmentOutput()
    mentored_minutes = serializers.IntegerField()
    required_minutes = serializers.IntegerField()
    hours_reached = serializers.BooleanField()
    sessions_attended = serializers.IntegerField()
    sessions_total = serializers.IntegerField()
    modules_done = serializers.IntegerField()
    modules_total = serializers.IntegerField()
    events = ProgressEventOutput(many=True)


class MeetingOutput(serializers.ModelSerializer):
    attendees = PersonOutput(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "site",
            "title",
            "kind",
            "length_minutes",
            "attendees",
            "min_share",
            "window_start",
            "window_end",
        ]
        read_only_fields = fields


class ProficiencyOutput(serializers.Serializer):
    employee = serializers.UUIDField(source="employee_id")
    queue = serializers.UUIDField(source="queue_id")
    level = serializers.CharField()
    reached_on = serializers.DateField()


# --- Scope ---------------------------------------------------------------------------------


def _programmes(request: Request) -> QuerySet[TrainingProgramme]:
    managed = TrainingProgramme.objects.filter(site__in=site_list_managed(user=request.user))
    if user_roles(request.user) & MANAGERS:
        return managed.prefetch_related("sessions__trainer__user", "modules")
    me = getattr(request.user, "employee", None)
    return TrainingProgramme.objects.filter(enrolments__employee=me).prefetch_related(
        "sessions__trainer__user", "modules"
    )


def _programme(request: Request, pk: Any) -> TrainingProgramme:
    row = _programmes(request).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def _enrolments(request: Request) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.select_related("employee__user", "programme__site", "programme__queue")
    if user_roles(request.user) & MANAGERS:
        return qs.filter(programme__site__in=site_list_managed(user=request.user))
    return qs.filter(employee__user=request.user)


def _enrolment(request: Request, pk: Any) -> Enrolment:
    row = _enrolments(request).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def _visible_employee(request: Request, pk: Any) -> Employee:
    row = employee_list_visible(user=request.user).filter(pk=pk).first()
    if row is None:
        raise NotFound("No such employee.")
    return row


Row = TypeVar("Row", TrainingProgramme, Enrolment)


def _managed(
    request: Request, pk: str, find: Callable[[Request, Any], Row], form: type[InputSerializer]
) -> tuple[Row, dict[str, Any]]:
    """A manager's POST on one programme or enrolment: the role (403), then the row (404 when
    not theirs), then the body (400), in that order."""
    require_role(request.user, MANAGERS)
    row = find(request, pk)
    data = form(data=request.data)
    data.is_valid(raise_exception=True)
    return row, dict(data.validated_data)


# --- Programmes ----------------------------------------------------------------------------


class ProgrammeInput(InputSerializer):
    queue = serializers.UUIDField()
    name = serializers.CharField(max_length=100)
    target_level = serializers.ChoiceField(choices=["junior", "proficient"], default="junior")
    min_supervised_minutes_per_week = serializers.IntegerField(default=0)
    max_supervised_minutes_per_week = serializers.IntegerField(default=40 * 60)
    required_supervised_minutes = serializers.IntegerField(default=0)


class ProgrammeListApi(CollectionApi):
    """GET: the programmes of my sites (managers) or the ones I follow. POST (managers): a
    programme on a queue of a site I manage."""

    create_roles = MANAGERS
    input_serializer = ProgrammeInput
    output_serializer = ProgrammeOutput

    def get_queryset(self) -> QuerySet[TrainingProgramme]:
        return _programmes(self.request).order_by("name")

    @extend_schema(tags=[TAG], responses=ProgrammeOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(tags=[TAG], request=ProgrammeInput, responses={201: ProgrammeOutput})
    def post(self, request: Request) -> Response:
        return super().post(request)

    def perform_create(self, data: dict[str, Any]) -> TrainingProgramme:
        queue = Queue.objects.filter(
            pk=data.pop("queue"), site__in=site_list_managed(user=self.request.user)
        ).first()
        if queue is None:
            raise NotFound("No such queue.")
        return training.programme_create(site=queue.site, queue=queue, by=self.request.user, **data)


class ProgrammeDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=ProgrammeOutput)
    def get(self, request: Request, pk: str) -> Response:
        return Response(ProgrammeOutput(_programme(request, pk)).data)


class SessionInput(InputSerializer):
    topic = serializers.CharField(max_length=200)
    length_minutes = serializers.IntegerField()
    window_start = AwareDateTimeField()
    window_end = AwareDateTimeField()
    trainer = serializers.UUIDField(required=False, allow_null=True, default=None)
    capacity = serializers.IntegerField(default=12, min_value=1)
    room = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ProgrammeSessionApi(APIView):
    """POST (managers): a classroom session of the programme, placed by the roster later."""

    @extend_schema(tags=[TAG], request=SessionInput, responses={201: SessionOutput})
    def post(self, request: Request, pk: str) -> Response:
        programme, fields = _managed(request, pk, _programme, SessionInput)
        trainer_id = fields.pop("trainer")
        trainer = _visible_employee(request, trainer_id) if trainer_id else None
        row = training.session_save(programme=programme, by=request.user, trainer=trainer, **fields)
        return Response(SessionOutput(row).data, status=status.HTTP_201_CREATED)


class ModuleInput(InputSerializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=StudyModule.Kind.choices)
    expected_minutes = serializers.IntegerField()
    url = serializers.URLField(required=False, allow_blank=True, default="")


class ProgrammeModuleApi(APIView):
    """POST (managers): a self-study module (video, audio or document) of the programme."""

    @extend_schema(tags=[TAG], request=ModuleInput, responses={201: ModuleOutput})
    def post(self, request: Request, pk: str) -> Response:
        programme, fields = _managed(request, pk, _programme, ModuleInput)
        row = training.module_save(programme=programme, by=request.user, **fields)
        return Response(ModuleOutput(row).data, status=status.HTTP_201_CREATED)


# --- Enrolments ----------------------------------------------------------------------------


class EnrolInput(InputSerializer):
    employee = serializers.UUIDField()


class ProgrammeEnrolApi(APIView):
    """POST (managers): enrol an operator; their plan starts today, as a trainee on the queue."""

    @extend_schema(tags=[TAG], request=EnrolInput, responses={201: EnrolmentOutput})
    def post(self, request: Request, pk: str) -> Response:
        programme, fields = _managed(request, pk, _programme, EnrolInput)
        employee = _visible_employee(request, fields["employee"])
        row = training_progress.enrolment_create(
            programme=programme, employee=employee, by=request.user
        )
        return Response(EnrolmentOutput(row).data, status=status.HTTP_201_CREATED)


class EnrolmentListApi(CollectionApi):
    """GET: enrolments at my sites (managers) or my own (operators)."""

    create_roles = frozenset()
    input_serializer = EnrolInput
    output_serializer = EnrolmentOutput
    filters = {"status": "status", "programme": "programme_id"}

    def get_queryset(self) -> QuerySet[Enrolment]:
        return _enrolments(self.request).order_by("-enrolled_on", "pk")

    @extend_schema(tags=[TAG], responses=EnrolmentOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(exclude=True)
    def post(self, request: Request) -> Response:
        return super().post(request)


class EnrolmentProgressApi(APIView):
    @extend_schema(tags=[TAG], responses=ProgressOutput)
    def get(self, request: Request, pk: str) -> Response:
        progress = enrolment_progress(enrolment=_enrolment(request, pk))
        body = {
            "enrolment": progress.enrolment,
            "mentored_minutes": progress.mentored_minutes,
            "required_minutes": progress.required_minutes,
            "hours_reached": progress.hours_reached,
            "sessions_attended": progress.sessions_attended,
            "sessions_total": progress.sessions_total,
            "modules_done": progress.modules_done,
            "modules_total": progress.modules_total,
            "events": progress.events,
        }
        return Response(ProgressOutput(body).data)


class EnrolmentSignOffApi(APIView):
    """POST (managers): promote the trainee to the programme's level; refused
    (training_hours_short) while the supervised hours fall short."""

    @extend_schema(tags=[TAG], request=None, responses=EnrolmentOutput)
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, MANAGERS)
        row = training_progress.enrolment_sign_off(
            enrolment=_enrolment(request, pk), by=request.user
        )
        return Response(EnrolmentOutput(row).data)


class AttendedInput(InputSerializer):
    session = serializers.UUIDField()


class EnrolmentAttendedApi(APIView):
    """POST (managers): the trainee attended a classroom session."""

    @extend_schema(tags=[TAG], request=AttendedInput, responses={200: dict})
    def post(self, request: Request, pk: str) -> Response:
        enrolment, fields = _managed(request, pk, _enrolment, AttendedInput)
        session = enrolment.programme.sessions.filter(pk=fields["session"]).first()
        if session is None:
            raise NotFound("No such session in the programme.")
        row = training_progress.session_attended(
            enrolment=enrolment, session=session, by=request.user
        )
        return Response({"session": str(session.pk), "attended_on": row.attended_on})


class ModuleDoneInput(InputSerializer):
    module = serializers.UUIDField()
    minutes = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=24 * 60
    )


class EnrolmentModuleDoneApi(APIView):
    """POST (the trainee): I finished a self-study module, having spent `minutes`."""

    @extend_schema(tags=[TAG], request=ModuleDoneInput, responses={200: dict})
    def post(self, request: Request, pk: str) -> Response:
        me = me_or_404(request)
        enrolment = _enrolment(request, pk)
        if enrolment.employee_id != me.pk:
            raise NotFound()
        data = ModuleDoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        module = enrolment.programme.modules.filter(pk=data.validated_data["module"]).first()
        if module is None:
            raise NotFound("No such module in the programme.")
        row = training_progress.module_done(
            enrolment=enrolment,
            module=module,
            by=request.user,
            minutes=data.validated_data["minutes"],
        )
        return Response(
            {"module": str(module.pk), "completed_at": row.completed_at, "minutes": row.minutes}
        )


# --- Proficiency and meetings --------------------------------------------------------------


class ProficiencyInput(InputSerializer):
    employee = serializers.UUIDField()
    queue = serializers.UUIDField()
    level = serializers.ChoiceField(choices=Proficiency.choices)
    reached_on = SaneDateField()


class ProficiencyApi(APIView):
    """POST (managers): the level an employee reached on a queue, from a day (history kept)."""

    @extend_schema(tags=[TAG], request=ProficiencyInput, responses={201: ProficiencyOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        data = ProficiencyInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        employee = _visible_employee(request, values["employee"])
        queue = Queue.objects.filter(pk=values["queue"], site=employee.team.site).first()
        if queue is None:
            raise NotFound("No such queue at the employee's site.")
        row = proficiency_set(
            employee=employee,
            queue=queue,
            level=values["level"],
            reached_on=values["reached_on"],
            by=request.user,
        )
        return Response(ProficiencyOutput(row).data, status=status.HTTP_201_CREATED)


class MeetingInput(InputSerializer):
    site = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, default="meeting")
    length_minutes = serializers.IntegerField()
    attendees = serializers.ListField(child=serializers.UUIDField(), max_length=500)
    # The share of attendees who must come: above 0, at most all (the model's constraint,
    # which otherwise answered with its own name).
    min_share = serializers.DecimalField(
        max_digits=4, decimal_places=3, default=1, min_value=Decimal("0.001"), max_value=Decimal(1)
    )
    window_start = AwareDateTimeField()
    window_end = AwareDateTimeField()


class MeetingListApi(CollectionApi):
    """GET: meetings and coaching at my sites. POST (managers): one for the roster to place."""

    create_roles = MANAGERS
    input_serializer = MeetingInput
    output_serializer = MeetingOutput

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            Meeting.objects.filter(site__in=site_list_managed(user=self.request.user))
            .prefetch_related("attendees__user")
            .order_by("window_start", "pk")
        )

    @extend_schema(tags=[TAG], responses=MeetingOutput(many=True))
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(tags=[TAG], request=MeetingInput, responses={201: MeetingOutput})
    def post(self, request: Request) -> Response:
        return super().post(request)

    def perform_create(self, data: dict[str, Any]) -> Meeting:
        site = site_list_managed(user=self.request.user).filter(pk=data.pop("site")).first()
        if site is None:
            raise NotFound("No such site.")
        wanted = data.pop("attendees")
        people = list(employee_list_visible(user=self.request.user).filter(pk__in=wanted))
        if len(people) != len(set(wanted)):
            raise NotFound("Some attendees are not among your people.")
        return training.meeting_create(site=site, by=self.request.user, attendees=people, **data)
