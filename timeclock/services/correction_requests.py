"""Operators' correction requests: an operator asks for a missing punch to be added, or one of
their punches moved or voided; a manager of their team approves it or rejects it; the
operator may cancel it while it is pending.

pending -> approved | rejected | cancelled, once. Every transition locks the request's row, so
two approvals, or an approval racing a cancel, end in one outcome and at most one correction.
An approval writes the correction through correction_add / correction_void / correction_move
with the approving manager as its actor, so it is audited like any manager's correction (R1.2),
and its reason quotes the operator's.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.errors import InvalidInput, NotPermitted
from organisation.models import Employee
from organisation.selectors.organisation import team_list_managed
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from timeclock.errors import (
    CorrectionAlreadyRequested,
    CorrectionInFuture,
    CorrectionOwnRequest,
    CorrectionRequestWrongState,
    CorrectionTooOld,
    PunchNotYours,
    TooManyCorrectionRequests,
)
from timeclock.models import CorrectionRequest, Punch, PunchCorrection
from timeclock.services.corrections import correction_add, correction_move, correction_void

MAX_AGE = timedelta(days=31)  # about one open pay period back; older ones go to a manager
MAX_PENDING = 10  # per operator (R4.6)
REASON_MAX = 400
Status = CorrectionRequest.Status
Action = PunchCorrection.Action
KIND_WORDS = {
    Punch.Kind.IN: "clock-in",
    Punch.Kind.OUT: "clock-out",
    Punch.Kind.BREAK_START: "break start",
    Punch.Kind.BREAK_END: "break end",
}


@dataclass(frozen=True)
class CorrectionAsk:
    """What the operator asks: `add` a punch of `kind` at `occurred_at`, `move` `punch` to
    `occurred_at`, or `void` `punch`."""

    action: str
    reason: str
    punch: Punch | None = None
    kind: str = ""
    occurred_at: datetime | None = None


# --- Request -------------------------------------------------------------------------------


def correction_request_create(
    *, employee: Employee, ask: CorrectionAsk, user: AbstractBaseUser, now: datetime | None = None
) -> CorrectionRequest:
    """The operator's own request; refused with a code, and nothing written, when the ask
    is malformed, in the future, too old, about someone else's punch, already asked for, or
    one too many."""
    now = now or timezone.now()
    if employee.user_id != user.pk:
        raise NotPermitted("You can only ask for corrections of your own punches.")
    _check_shape(ask)
    if ask.punch is not None and ask.punch.employee_id != employee.pk:
        raise PunchNotYours()
    for at in (ask.occurred_at, ask.punch.corrected_at if ask.punch else None):
        if at is not None and at > now:
            raise CorrectionInFuture()
        if at is not None and at < now - MAX_AGE:
            raise CorrectionTooOld(extra={"max_days": MAX_AGE.days})
    return _create(employee, ask, user, now)


def _check_shape(ask: CorrectionAsk) -> None:
    if not ask.reason.strip():
        raise InvalidInput("Say why the punch needs correcting.", extra={"fields": ["reason"]})
    if len(ask.reason) > REASON_MAX:
        raise InvalidInput(
            f"A reason has at most {REASON_MAX} characters.", extra={"fields": ["reason"]}
        )
    if ask.action not in Action.values:
        raise InvalidInput("The action is add, move or void.", extra={"fields": ["action"]})
    if ask.action == Action.ADD:
        if ask.punch is not None:
            raise InvalidInput("An added punch names no punch.", extra={"fields": ["punch"]})
        missing = [f for f in ("kind", "occurred_at") if not getattr(ask, f)]
        if ask.kind and ask.kind not in Punch.Kind.values:
            missing = ["kind"]
    else:
        missing = ["punch"] if ask.punch is None else []
        if ask.action == Action.MOVE and ask.occurred_at is None:
            missing.append("occurred_at")
        if ask.action == Action.VOID and ask.occurred_at is not None:
            raise InvalidInput("A voided punch takes no time.", extra={"fields": ["occurred_at"]})
    if missing:
        raise InvalidInput(f"Give {' and '.join(missing)}.", extra={"fields": missing})


@transaction.atomic
def _create(
    employee: Employee, ask: CorrectionAsk, user: AbstractBaseUser, now: datetime
) -> CorrectionRequest:
    Employee.objects.select_for_update().filter(pk=employee.pk).first()  # serialise the counts
    kind = ask.punch.kind if ask.punch is not None else ask.kind
    pending = CorrectionRequest.objects.filter(employee=employee, status=Status.PENDING)
    same = Q(punch=ask.punch) if ask.punch is not None else Q(pk__in=[])
    if ask.occurred_at is not None:
        same |= Q(kind=kind, occurred_at=ask.occurred_at)
    if pending.filter(same).exists():
        raise CorrectionAlreadyRequested()
    if pending.count() >= MAX_PENDING:
        raise TooManyCorrectionRequests(extra={"limit": MAX_PENDING})
    row = CorrectionRequest(
        employee=employee,
        action=ask.action,
        punch=ask.punch,
        kind=kind,
        occurred_at=ask.occurred_at,
        reason=ask.reason.strip(),
        created_at=now,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # the one-pending constraints, in a race
        raise CorrectionAlreadyRequested() from exc
    _audit(row, user, "", {"action": row.action, "punch": row.punch_id, "reason": row.reason})
    managers = [m for m in employee.team.managers.all() if m.pk != user.pk]
    notice_many(
        recipients=managers,
        event_key=f"correction_request:{row.pk}:pending",
        message=Message(
            f"Punch correction to decide: {employee.full_name}",
            f"{employee.full_name} asks to {correction_request_describe(row)}. {row.reason}",
            Sentence.of("correction_to_decide", name=employee.full_name),
        ),
    )
    return row


# --- Decisions -----------------------------------------------------------------------------


def _locked(request: CorrectionRequest) -> CorrectionRequest:
    """The request as it is now, its row locked for this transaction."""
    return (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("employee__user", "employee__team__site", "punch")
        .get(pk=request.pk)
    )


def _may_decide(row: CorrectionRequest, user: AbstractBaseUser) -> None:
    if not team_list_managed(user=user).filter(pk=row.employee.team_id).exists():
        raise NotPermitted()
    if row.employee.user_id == user.pk:
        raise CorrectionOwnRequest()


def _require_pending(row: CorrectionRequest) -> None:
    if row.status != Status.PENDING:
        raise CorrectionRequestWrongState(extra={"status": row.status})


def correction_request_approve(
    *,
    request: CorrectionRequest,
    approver: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> CorrectionRequest:
    """Write the asked-for correction, with the approving manager as its actor, and link it
    to the request in the same transaction."""
    at = now or timezone.now()

    @transaction.atomic
    def work() -> CorrectionRequest:
        row = _locked(request)
        _may_decide(row, approver)
        _require_pending(row)
        row.correction = _correct(row, approver, reason.strip())
        _decide(row, Status.APPROVED, approver, reason.strip(), at)
        return row

    return retry_on_deadlock(work)


def correction_request_reject(
    *,
    request: CorrectionRequest,
    approver: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> CorrectionRequest:
    """Refuse the request; the operator is told why, so a reason is required."""
    if not reason.strip():
        raise InvalidInput("Say why the request is rejected.", extra={"fields": ["reason"]})
    with transaction.atomic():
        row = _locked(request)
        _may_decide(row, approver)
        _require_pending(row)
        _decide(row, Status.REJECTED, approver, reason.strip(), now or timezone.now())
    return row


def correction_request_cancel(
    *, request: CorrectionRequest, employee: Employee, now: datetime | None = None
) -> CorrectionRequest:
    """The operator withdraws their request before it is decided."""
    with transaction.atomic():
        row = _locked(request)
        if row.employee_id != employee.pk:
            raise NotPermitted("Only the requester can cancel the request.")
        _require_pending(row)
        _decide(row, Status.CANCELLED, None, "", now or timezone.now(), actor=employee.user)
    return row


def _correct(row: CorrectionRequest, approver: AbstractBaseUser, note: str) -> PunchCorrection:
    text = f'Requested by {row.employee.full_name} ({row.employee.number}): "{row.reason}"'
    if note:
        text += f" Approved: {note}"
    if len(text) > 500:
        text = text[:499] + "…"
    if row.action == Action.ADD and row.occurred_at is not None:
        return correction_add(
            employee=row.employee,
            kind=row.kind,
            occurred_at=row.occurred_at,
            reason=text,
            actor=approver,
        )
    if row.action == Action.VOID and row.punch is not None:
        return correction_void(punch=row.punch, reason=text, actor=approver)
    if row.action == Action.MOVE and row.punch is not None and row.occurred_at is not None:
        return correction_move(
            punch=row.punch, occurred_at=row.occurred_at, reason=text, actor=approver
        )
    raise CorrectionRequestWrongState()  # unreachable: the shape constraint


def _decide(
    row: CorrectionRequest,
    to: str,
    decider: AbstractBaseUser | None,
    reason: str,
    now: datetime,
    *,
    actor: AbstractBaseUser | None = None,
) -> None:
    row.status = to
    row.decided_at = now
    row.decided_by = decider  # type: ignore[assignment]
    row.decision_reason = reason
    row.save()
    _audit(row, actor or decider, "pending", {"reason": reason, "correction": row.correction_id})
    if to in (Status.APPROVED, Status.REJECTED):
        outcome = f"Your request to {correction_request_describe(row)} was {to}."
        notice_many(
            recipients=[row.employee.user],
            event_key=f"correction_request:{row.pk}:{to}",
            message=Message(
                f"Punch correction {to}",
                f"{outcome} {reason}".strip(),
                Sentence.of("correction_decided", status=to),
            ),
        )


def _audit(
    row: CorrectionRequest, actor: AbstractBaseUser | None, before: str, data: dict[str, object]
) -> None:
    audit_record(
        action="correction_requested" if not before else f"correction_request_{row.status}",
        actor=actor,
        object_type="correction_request",
        object_id=str(row.pk),
        data={
            "employee": str(row.employee_id),
            "from": before,
            "to": row.status,
            "kind": row.kind,
            "occurred_at": row.occurred_at,
            **data,
        },
    )


def correction_request_describe(row: CorrectionRequest) -> str:
    """The ask in words, in the site's local time: "add a clock-out at Tue 20 Oct 2026 17:04
    (Europe/Amsterdam)"."""
    zone = row.employee.team.site.timezone

    def local(at: datetime) -> str:
        return f"{at.astimezone(ZoneInfo(zone)):%a %d %b %Y %H:%M}"

    what = KIND_WORDS.get(Punch.Kind(row.kind), row.kind)
    if row.action == Action.ADD and row.occurred_at is not None:
        return f"add a {what} at {local(row.occurred_at)} ({zone})"
    punch_at = local(row.punch.corrected_at) if row.punch is not None else "?"
    if row.action == Action.MOVE and row.occurred_at is not None:
        return f"move the {what} of {punch_at} to {local(row.occurred_at)} ({zone})"
    return f"void the {what} of {punch_at} ({zone})"
