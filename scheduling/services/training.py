"""Training programmes and meetings, written by managers: a programme per queue, its
classroom sessions, its self-study modules, and meetings or coaching for existing staff.
Each use case checks its input before anything is written (a bad length, a window shorter
than the session, a trainer asked to be in two places) and records an audit event."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.models import Employee, Queue, Site
from organisation.services.organisation import save_validated
from scheduling.errors import TrainerDoubleBooked, TrainingBadLength, TrainingLongerThanWindow
from scheduling.models import (
    ClassroomSession,
    Meeting,
    StudyModule,
    TrainingPolicy,
    TrainingProgramme,
)
from scheduling.services.training_progress import plan_fits_contract

PROGRAMME_FIELDS = (
    "name",
    "target_level",
    "min_supervised_minutes_per_week",
    "max_supervised_minutes_per_week",
    "required_supervised_minutes",
    "is_active",
)
TARGET_LEVELS = ("junior", "proficient")


def _positive(field: str, value: Any) -> None:
    if value is None or int(value) <= 0:
        raise TrainingBadLength(extra={"field": field, "value": value})


def _capacity(capacity: Any) -> None:
    """A session seats one person at least: refused on the capacity (it is no length)."""
    if capacity is None or int(capacity) < 1:
        message = "A session's capacity is at least one person."
        raise InvalidInput(
            message, extra={"fields": {"capacity": [{"code": "invalid", "message": message}]}}
        )


def _window(length_minutes: int, start: datetime, end: datetime) -> None:
    if end <= start:
        message = "The window ends before it starts."
        raise InvalidInput(
            message, extra={"fields": {"window_end": [{"code": "invalid", "message": message}]}}
        )
    if (end - start).total_seconds() < length_minutes * 60:
        raise TrainingLongerThanWindow(
            extra={
                "length_minutes": length_minutes,
                "window_minutes": int((end - start).total_seconds() // 60),
            }
        )


def _check_programme(fields: dict[str, Any]) -> None:
    for key in (
        "min_supervised_minutes_per_week",
        "max_supervised_minutes_per_week",
        "required_supervised_minutes",
    ):
        if key in fields and (fields[key] is None or int(fields[key]) < 0):
            raise TrainingBadLength(extra={"field": key, "value": fields[key]})
    low = fields.get("min_supervised_minutes_per_week")
    high = fields.get("max_supervised_minutes_per_week")
    if low is not None and high is not None and int(low) > int(high):
        raise TrainingBadLength(extra={"field": "max_supervised_minutes_per_week", "value": high})
    if fields.get("target_level", "junior") not in TARGET_LEVELS:
        message = "A programme leads to junior or proficient."
        raise InvalidInput(
            message, extra={"fields": {"target_level": [{"code": "invalid", "message": message}]}}
        )


@transaction.atomic
def programme_create(
    *, site: Site, queue: Queue, by: AbstractBaseUser | None, **fields: Any
) -> TrainingProgramme:
    if queue.site_id != site.pk:
        message = "The queue belongs to another site."
        raise InvalidInput(
            message, extra={"fields": {"queue": [{"code": "invalid", "message": message}]}}
        )
    _check_programme(fields)
    programme = TrainingProgramme(
        site=site, queue=queue, **{k: v for k, v in fields.items() if k in PROGRAMME_FIELDS}
    )
    save_validated(programme)
    _audit("training.programme_created", by, programme, {"name": programme.name})
    return programme


@transaction.atomic
def programme_update(
    *, programme: TrainingProgramme, by: AbstractBaseUser | None, **fields: Any
) -> TrainingProgramme:
    programme = TrainingProgramme.objects.select_for_update().get(pk=programme.pk)
    merged = {k: getattr(programme, k) for k in PROGRAMME_FIELDS}
    merged.update({k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    _check_programme(merged)
    for enrolment in programme.enrolments.filter(status="active").select_related("employee"):
        plan_fits_contract(
            programme=programme,
            employee=enrolment.employee,
            max_minutes=int(merged["max_supervised_minutes_per_week"]),
        )
    for key, value in merged.items():
        setattr(programme, key, value)
    save_validated(programme)
    _audit("training.programme_updated", by, programme, {"fields": sorted(fields)})
    return programme


def _trainer_clash(
    trainer: Employee, length_minutes: int, start: datetime, end: datetime, *, skip: Any = None
) -> ClassroomSession | None:
    """Another session of the trainer that cannot be given beside this one: their windows
    overlap and the span both windows cover is shorter than the two sessions together."""
    others = ClassroomSession.objects.filter(
        trainer=trainer, window_start__lt=end, window_end__gt=start
    ).exclude(pk=skip)
    for other in others:
        span = max(end, other.window_end) - min(start, other.window_start)
        if span.total_seconds() < (length_minutes + other.length_minutes) * 60:
            return other
    return None


@transaction.atomic
def session_save(
    *,
    programme: TrainingProgramme,
    by: AbstractBaseUser | None,
    topic: str,
    length_minutes: int,
    window_start: datetime,
    window_end: datetime,
    trainer: Employee | None = None,
    capacity: int = 12,
    room: str = "",
    session: ClassroomSession | None = None,
) -> ClassroomSession:
    """A classroom session added to a programme (or `session` changed)."""
    _positive("length_minutes", length_minutes)
    _capacity(capacity)
    _window(length_minutes, window_start, window_end)
    if trainer is not None:
        # Lock the trainer: two sessions saved at once for one trainer are checked in turn.
        Employee.objects.select_for_update().filter(pk=trainer.pk).first()
        clash = _trainer_clash(
            trainer, length_minutes, window_start, window_end, skip=session.pk if session else None
        )
        if clash is not None:
            raise TrainerDoubleBooked(
                extra={"trainer": trainer.full_name, "session": clash.topic, "id": str(clash.pk)}
            )
    row = session or ClassroomSession(programme=programme)
    for key, value in {
        "topic": topic,
        "length_minutes": length_minutes,
        "window_start": window_start,
        "window_end": window_end,
        "trainer": trainer,
        "capacity": capacity,
        "room": room,
    }.items():
        setattr(row, key, value)
    save_validated(row)
    _audit("training.session_saved", by, programme, {"session": str(row.pk), "topic": topic})
    return row


@transaction.atomic
def module_save(
    *,
    programme: TrainingProgramme,
    by: AbstractBaseUser | None,
    title: str,
    kind: str,
    expected_minutes: int,
    url: str = "",
    module: StudyModule | None = None,
) -> StudyModule:
    _positive("expected_minutes", expected_minutes)
    row = module or StudyModule(programme=programme)
    row.title, row.kind, row.expected_minutes, row.url = title, kind, expected_minutes, url
    save_validated(row)
    _audit("training.module_saved", by, programme, {"module": str(row.pk), "title": title})
    return row


@transaction.atomic
def meeting_create(
    *,
    site: Site,
    by: AbstractBaseUser | None,
    title: str,
    kind: str,
    length_minutes: int,
    attendees: list[Employee],
    min_share: Decimal,
    window_start: datetime,
    window_end: datetime,
) -> Meeting:
    """A meeting or coaching for existing staff, for the roster to place in its window."""
    _positive("length_minutes", length_minutes)
    _window(length_minutes, window_start, window_end)
    if not attendees:
        message = "Choose who must attend."
        raise InvalidInput(
            message, extra={"fields": {"attendees": [{"code": "required", "message": message}]}}
        )
    meeting = Meeting(
        site=site,
        title=title,
        kind=kind,
        length_minutes=length_minutes,
        min_share=min_share,
        window_start=window_start,
        window_end=window_end,
    )
    save_validated(meeting)
    meeting.attendees.set(attendees)
    audit_record(
        action="training.meeting_created",
        actor=by,
        object_type="meeting",
        object_id=str(meeting.pk),
        data={"title": title, "attendees": len(attendees)},
    )
    return meeting


@transaction.atomic
def training_policy_set(
    *,
    site: Site,
    by: AbstractBaseUser | None,
    trainee_share: Decimal,
    junior_share: Decimal,
    trainees_per_mentor: int,
) -> TrainingPolicy:
    policy = TrainingPolicy.objects.filter(site=site).first() or TrainingPolicy(site=site)
    policy.trainee_share, policy.junior_share = trainee_share, junior_share
    policy.trainees_per_mentor = trainees_per_mentor
    save_validated(policy)
    audit_record(
        action="training.policy_set",
        actor=by,
        object_type="site",
        object_id=str(site.pk),
        data={
            "trainee_share": str(trainee_share),
            "junior_share": str(junior_share),
            "trainees_per_mentor": trainees_per_mentor,
        },
    )
    return policy


def _audit(
    action: str, by: AbstractBaseUser | None, programme: TrainingProgramme, data: dict[str, Any]
) -> None:
    audit_record(
        action=action,
        actor=by,
        object_type="training_programme",
        object_id=str(programme.pk),
        data=data,
    )
