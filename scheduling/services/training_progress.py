"""A trainee's plan and its progress: enrolment (which makes them a trainee on the programme's
queue), sessions attended, self-study modules done (with the time spent), and the supervisor's
sign-off that promotes them once the supervised hours are reached."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.local_grid import local_date
from organisation.models import Employee, Proficiency
from organisation.selectors.proficiency import mentors_of_queue
from organisation.services.proficiency import proficiency_set
from scheduling.errors import (
    TrainingAlreadyEnrolled,
    TrainingBadLength,
    TrainingEnrolmentClosed,
    TrainingHoursShort,
    TrainingNoMentor,
    TrainingPlanBelowContract,
    TrainingSessionFull,
)
from scheduling.models import (
    ClassroomSession,
    Enrolment,
    ModuleCompletion,
    SessionAttendance,
    StudyModule,
    TrainingProgramme,
)
from scheduling.selectors.training import enrolment_progress


@transaction.atomic
def enrolment_create(
    *,
    programme: TrainingProgramme,
    employee: Employee,
    by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Enrolment:
    """The trainee's plan: they follow the programme and are a trainee on its queue from
    today. Refused when nobody on the queue can mentor them."""
    now = now or timezone.now()
    today = local_date(instant=now, timezone=programme.site.timezone)
    if employee.team.site_id != programme.site_id:
        message = "The operator works at another site."
        raise InvalidInput(
            message, extra={"fields": {"employee": [{"code": "invalid", "message": message}]}}
        )
    mentors = mentors_of_queue(queue_id=str(programme.queue_id), on=today)
    if not [m for m in mentors if m != str(employee.pk)]:
        raise TrainingNoMentor(extra={"queue": programme.queue.name})
    if Enrolment.objects.filter(
        programme=programme, employee=employee, status=Enrolment.Status.ACTIVE
    ).exists():
        raise TrainingAlreadyEnrolled()
    plan_fits_contract(programme=programme, employee=employee)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                programme=programme, employee=employee, enrolled_on=today
            )
    except IntegrityError as exc:  # enrolled at the same moment by someone else
        raise TrainingAlreadyEnrolled() from exc
    proficiency_set(
        employee=employee,
        queue=programme.queue,
        level=Proficiency.TRAINEE,
        reached_on=today,
        by=by,
        reason=f"enrolled in {programme.name}"[:200],
    )
    _audit("training.enrolled", by, enrolment, {"programme": programme.name})
    return enrolment


def plan_fits_contract(
    *, programme: TrainingProgramme, employee: Employee, max_minutes: int | None = None
) -> None:
    """A trainee's phone time on the queue is all supervised: if they work no other queue,
    the plan's weekly maximum must leave room for their contract's weekly minimum (else no
    roster exists, and the engine could only say so at the next build)."""
    limit = programme.max_supervised_minutes_per_week if max_minutes is None else max_minutes
    others = [q for q in employee.queues.all() if q.pk != programme.queue_id]
    if not others and employee.min_weekly_minutes > limit:
        raise TrainingPlanBelowContract(
            extra={
                "employee": employee.full_name,
                "contract_min_minutes": employee.min_weekly_minutes,
                "max_supervised_minutes": limit,
            }
        )


def _active(enrolment: Enrolment) -> Enrolment:
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status != Enrolment.Status.ACTIVE:
        raise TrainingEnrolmentClosed()
    return locked


@transaction.atomic
def session_attended(
    *,
    enrolment: Enrolment,
    session: ClassroomSession,
    by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> SessionAttendance:
    """The trainee attended the session (once; a second record changes nothing)."""
    enrolment = _active(enrolment)
    if session.programme_id != enrolment.programme_id:
        message = "The session belongs to another programme."
        raise InvalidInput(
            message, extra={"fields": {"session": [{"code": "invalid", "message": message}]}}
        )
    found = SessionAttendance.objects.filter(enrolment=enrolment, session=session).first()
    if found:
        return found
    ClassroomSession.objects.select_for_update().filter(pk=session.pk).first()
    if SessionAttendance.objects.filter(session=session).count() >= session.capacity:
        raise TrainingSessionFull(extra={"capacity": session.capacity})
    now = now or timezone.now()
    row = SessionAttendance.objects.create(
        enrolment=enrolment,
        session=session,
        attended_on=local_date(instant=now, timezone=enrolment.programme.site.timezone),
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    _audit("training.session_attended", by, enrolment, {"session": session.topic})
    return row


@transaction.atomic
def module_done(
    *,
    enrolment: Enrolment,
    module: StudyModule,
    by: AbstractBaseUser | None,
    minutes: int | None = None,
    now: datetime | None = None,
) -> ModuleCompletion:
    """The trainee finished a self-study module, at `now`, having spent `minutes` (default:
    the module's expected length). Marked once; pressing "done" again changes nothing."""
    enrolment = _active(enrolment)
    if module.programme_id != enrolment.programme_id:
        message = "The module belongs to another programme."
        raise InvalidInput(
            message, extra={"fields": {"module": [{"code": "invalid", "message": message}]}}
        )
    spent = module.expected_minutes if minutes is None else minutes
    if spent <= 0:
        raise TrainingBadLength(extra={"field": "minutes", "value": spent})
    found = ModuleCompletion.objects.filter(enrolment=enrolment, module=module).first()
    if found:
        return found
    row = ModuleCompletion.objects.create(
        enrolment=enrolment, module=module, completed_at=now or timezone.now(), minutes=spent
    )
    _audit("training.module_done", by, enrolment, {"module": module.title, "minutes": spent})
    return row


@transaction.atomic
def enrolment_sign_off(
    *, enrolment: Enrolment, by: AbstractBaseUser | None, now: datetime | None = None
) -> Enrolment:
    """The supervisor signs the trainee off: they reach the programme's level on its queue
    from today, and the roster counts them at it. Refused (nothing written) while the
    supervised hours in published rosters fall short of the programme's requirement."""
    now = now or timezone.now()
    enrolment = _active(enrolment)
    programme = enrolment.programme
    progress = enrolment_progress(enrolment=enrolment, until=now)
    if not progress.hours_reached:
        raise TrainingHoursShort(
            f"{progress.mentored_hours} of {progress.required_hours} supervised hours reached.",
            extra={
                "mentored_minutes": progress.mentored_minutes,
                "required_minutes": progress.required_minutes,
            },
        )
    enrolment.status = Enrolment.Status.SIGNED_OFF
    enrolment.signed_off_at = now
    enrolment.signed_off_by = by if getattr(by, "pk", None) else None
    enrolment.save(update_fields=["status", "signed_off_at", "signed_off_by"])
    proficiency_set(
        employee=enrolment.employee,
        queue=programme.queue,
        level=programme.target_level,
        reached_on=local_date(instant=now, timezone=programme.site.timezone),
        by=by,
        reason=f"signed off {programme.name}"[:200],
    )
    _audit("training.signed_off", by, enrolment, {"level": programme.target_level})
    return enrolment


def _audit(action: str, by: AbstractBaseUser | None, enrolment: Enrolment, data: dict) -> None:
    audit_record(
        action=action,
        actor=by,
        object_type="enrolment",
        object_id=str(enrolment.pk),
        data={"employee": str(enrolment.employee_id), **data},
    )
