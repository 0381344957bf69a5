"""Shift swaps, give-aways and the open-shift board, from request to decision.

pending -> accepted (the counterpart, or whoever picks the open shift up) -> approved (a
manager, or at once when the team's policy auto-approves and every check passes) | rejected
| cancelled | expired. Every transition locks the roster series first, then the swaps in
primary-key order, then the people, so that two approvals, an approval and a cancel, or a
swap and a publication of the same roster end in exactly one outcome. The checks of
swap_checks run again inside those locks before a new published version is written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.errors import DomainError, InvalidInput, NotPermitted
from organisation.models import Employee
from organisation.selectors.organisation import team_list_managed
from scheduling.errors import (
    DecisionReasonRequired,
    ShiftAlreadyOffered,
    ShiftOverlap,
    SwapAcrossRosters,
    SwapExpired,
    SwapNotForYou,
    SwapNoticeTooShort,
    SwapNotYourShift,
    SwapOtherTeam,
    SwapOwnOffer,
    SwapPartyCannotDecide,
    SwapShiftChanged,
    SwapShiftInPast,
    SwapShiftNotPublished,
    SwapWrongState,
    TooManyAccepts,
    TooManyOpenRequests,
)
from scheduling.models import RequestPolicy, Roster, RosterChange, Shift, ShiftSwap, SwapEvent
from scheduling.services import swap_notices
from scheduling.services.request_policies import request_policy
from scheduling.services.roster_republish import Moves, roster_republish, shift_copy
from scheduling.services.roster_versions import roster_series_lock
from scheduling.services.swap_checks import stable_key, swap_checks_run

Status = ShiftSwap.Status
# The reasons the system writes when a person gave none: stable English keys, stored as they
# are (the API shows them); the pages show each in the reader's language (web/swap_reasons.py).
DECLINED = "declined by the colleague"
CANCELLED = "cancelled by the requester"
APPROVED = "approved"
AUTO_APPROVED = "auto-approved: every check passed"
TRADED = "its shift was traded by "  # + the other request's id
TOO_SOON = "the shift starts too soon"
Kind = ShiftSwap.Kind


@dataclass(frozen=True)
class SwapAsk:
    kind: str
    shift: Shift
    counterpart: Employee | None = None
    counterpart_shift: Shift | None = None
    note: str = ""


# --- Request -------------------------------------------------------------------------------


def swap_request(
    *, requester: Employee, ask: SwapAsk, user: AbstractBaseUser, now: datetime | None = None
) -> ShiftSwap:
    now = now or timezone.now()
    counterpart = _validate_ask(requester, ask)
    return retry_on_deadlock(lambda: _request(requester, ask, counterpart, user, now))


def _validate_ask(requester: Employee, ask: SwapAsk) -> Employee | None:
    """Shape of the ask, before any lock: who the counterpart is, or a refusal."""
    for shift in (ask.shift, ask.counterpart_shift):
        if shift is not None and shift.state == Roster.Status.DRAFT:
            raise SwapShiftNotPublished()
        if shift is not None and shift.state != Roster.Status.PUBLISHED:
            raise SwapShiftChanged()
    if ask.shift.employee_id != requester.pk:
        raise SwapNotYourShift()
    if ask.kind == Kind.SWAP:
        if ask.counterpart_shift is None:
            raise InvalidInput(
                "A swap names the colleague's shift.", extra={"fields": ["counterpart_shift"]}
            )
        counterpart = ask.counterpart_shift.employee
        if ask.counterpart is not None and ask.counterpart.pk != counterpart.pk:
            raise InvalidInput("The counterpart shift belongs to someone else.")
        if ask.counterpart_shift.roster_id != ask.shift.roster_id:
            raise SwapAcrossRosters()
    elif ask.kind == Kind.GIVE_AWAY:
        if ask.counterpart is None or ask.counterpart_shift is not None:
            raise InvalidInput(
                "A give-away names the colleague and no shift of theirs.",
                extra={"fields": ["counterpart"]},
            )
        counterpart = ask.counterpart
    else:
        if ask.counterpart is not None or ask.counterpart_shift is not None:
            raise InvalidInput("An open-shift post names nobody; colleagues pick it up.")
        return None
    if counterpart.pk == requester.pk:
        raise SwapOwnOffer()
    if counterpart.team_id != requester.team_id:
        raise SwapOtherTeam()
    return counterpart


@transaction.atomic
def _request(
    requester: Employee,
    ask: SwapAsk,
    counterpart: Employee | None,
    user: AbstractBaseUser,
    now: datetime,
) -> ShiftSwap:
    series = roster_series_lock(ask.shift.roster)
    published = _published(series)
    policy = request_policy(requester.team_id)
    shifts = [ask.shift] + ([ask.counterpart_shift] if ask.counterpart_shift else [])
    for shift in shifts:
        _check_current(published, shift, shift.employee_id)
        _check_notice(shift, policy, now)
    keys = [stable_key(s) for s in shifts]
    if any(_shift_busy(key) for key in keys):
        raise ShiftAlreadyOffered()
    Employee.objects.select_for_update().filter(pk=requester.pk).first()
    open_count = ShiftSwap.objects.filter(requester=requester, status__in=ShiftSwap.ACTIVE).count()
    if open_count >= policy.max_open_requests:
        raise TooManyOpenRequests(extra={"open": open_count, "limit": policy.max_open_requests})
    if counterpart is not None:
        swap_checks_run(
            published=published,
            moves=_moves(ask.shift, ask.counterpart_shift, requester, counterpart),
            policy=policy,
            now=now,
        )
    swap = ShiftSwap(
        kind=ask.kind,
        team_id=requester.team_id,
        requester=requester,
        shift=ask.shift,
        shift_key=keys[0],
        counterpart=counterpart,
        counterpart_shift=ask.counterpart_shift,
        counterpart_shift_key=keys[1] if len(keys) > 1 else None,
        note=ask.note,
        expires_at=min(s.start for s in shifts) - timedelta(minutes=policy.min_notice_minutes),
        created_at=now,
    )
    try:
        with transaction.atomic():
            swap.save()
    except IntegrityError as exc:  # swap_one_active_per_shift
        raise ShiftAlreadyOffered() from exc
    _event(swap, user, "", Status.PENDING, now)
    swap_notices.notify_created(swap)
    return swap


def _published(series: list[Roster]) -> Roster:
    published = next((r for r in series if r.status == Roster.Status.PUBLISHED), None)
    if published is None:
        raise SwapShiftNotPublished()
    return published


def _check_current(published: Roster, shift: Shift, employee_id: object) -> Shift:
    """The published copy of the shift, unchanged since it was offered, or a refusal."""
    copy = shift_copy(published, stable_key(shift))
    if copy is None or (copy.employee_id, copy.start, copy.end) != (
        employee_id,
        shift.start,
        shift.end,
    ):
        raise SwapShiftChanged()
    return copy


def _check_notice(shift: Shift, policy: RequestPolicy, now: datetime) -> None:
    if shift.start <= now:
        raise SwapShiftInPast()
    if shift.start - now < timedelta(minutes=policy.min_notice_minutes):
        raise SwapNoticeTooShort(extra={"min_notice_minutes": policy.min_notice_minutes})


def _shift_busy(key: object, exclude: ShiftSwap | None = None) -> bool:
    """Whether the shift is offered by its owner (an open request) or promised to someone
    (the counterpart shift of an accepted swap). Several colleagues may ask for the same
    shift; only one of them can be accepted."""
    busy = ShiftSwap.objects.filter(
        Q(shift_key=key, status__in=ShiftSwap.ACTIVE)
        | Q(counterpart_shift_key=key, status=Status.ACCEPTED)
    )
    if exclude is not None:
        busy = busy.exclude(pk=exclude.pk)
    return busy.exists()


def _moves(
    shift: Shift, other: Shift | None, requester: Employee, counterpart: Employee | None
) -> Moves:
    """Shift keys moving between the two people (the requester's shift to nobody: a release)."""
    mine, theirs = str(requester.pk), str(counterpart.pk) if counterpart else None
    moves: Moves = {stable_key(shift): (mine, theirs)}
    if other is not None and theirs is not None:
        moves[stable_key(other)] = (theirs, mine)
    return moves


# --- Transitions ---------------------------------------------------------------------------


def _locked(swap: ShiftSwap) -> tuple[list[Roster], ShiftSwap]:
    """Lock the roster series, then the swap; the swap as it is now."""
    series = roster_series_lock(swap.shift.roster)
    row = _with_parties(ShiftSwap.objects.select_for_update(of=("self",))).get(pk=swap.pk)
    return series, row


def _with_parties(swaps: QuerySet[ShiftSwap]) -> QuerySet[ShiftSwap]:
    """With what the checks and the notices read: the shifts, the roster's site (the
    notices' local times) and both people with their users (the recipients)."""
    return swaps.select_related(
        "shift__roster__site",
        "counterpart_shift",
        "requester__user",
        "counterpart__user",
    )


def _require(swap: ShiftSwap, *states: str) -> None:
    if swap.status not in states:
        raise SwapWrongState(extra={"status": swap.status})


def _transition(
    swap: ShiftSwap, user: AbstractBaseUser | None, to: str, now: datetime, reason: str = ""
) -> None:
    before = swap.status
    swap.status = to
    if to in (Status.APPROVED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED):
        swap.decided_at = now
        swap.decided_by = user  # type: ignore[assignment]
        swap.decision_reason = reason
    swap.save()
    _event(swap, user, before, to, now, reason)


def swap_accept(
    *, swap: ShiftSwap, employee: Employee, user: AbstractBaseUser, now: datetime | None = None
) -> ShiftSwap:
    """The named colleague accepts, or a qualified colleague picks up an open shift."""
    now = now or timezone.now()
    return retry_on_deadlock(lambda: _accept(swap, employee, user, now))


@transaction.atomic
def _accept(
    swap: ShiftSwap, employee: Employee, user: AbstractBaseUser, now: datetime
) -> ShiftSwap:
    series, swap = _locked(swap)
    if employee.pk == swap.requester_id:
        raise SwapOwnOffer()
    if swap.kind == Kind.OPEN:
        if employee.team_id != swap.team_id:
            raise SwapNotForYou()
    elif employee.pk != swap.counterpart_id:
        raise SwapNotForYou()
    _require(swap, Status.PENDING)
    if now >= swap.expires_at:
        raise SwapExpired()
    policy = request_policy(swap.team_id)
    _accept_rate(employee, user, policy, now)
    published = _published(series)
    _check_current(published, swap.shift, swap.requester_id)
    if swap.counterpart_shift is not None:
        _check_current(published, swap.counterpart_shift, swap.counterpart_id)
        if _shift_busy(swap.counterpart_shift_key, exclude=swap):
            raise ShiftAlreadyOffered()
    moves = _moves(swap.shift, swap.counterpart_shift, swap.requester, employee)
    waived = swap_checks_run(published=published, moves=moves, policy=policy, now=now)
    swap.counterpart = employee
    swap.accepted_at = now
    _transition(swap, user, Status.ACCEPTED, now)
    if policy.auto_approve_swaps:
        try:
            with transaction.atomic():
                reason = AUTO_APPROVED
                _apply(series, swap, None, now, reason=reason, checked=waived)
                swap.auto_approved = True
                swap.save(update_fields=["auto_approved"])
                return swap
        except (DomainError, IntegrityError) as exc:  # a check failed: a manager decides
            swap.refresh_from_db()
            code = exc.code if isinstance(exc, DomainError) else "shift_overlap"
            _event(swap, None, Status.ACCEPTED, Status.ACCEPTED, now, f"not auto-approved: {code}")
    swap_notices.notify_accepted(swap)
    return swap


def _accept_rate(
    employee: Employee, user: AbstractBaseUser, policy: RequestPolicy, now: datetime
) -> None:
    """At most `max_accepts_per_hour` acceptances per person (counted under their row lock)."""
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    since = now - timedelta(hours=1)
    recent = list(
        SwapEvent.objects.filter(actor=user, to_status=Status.ACCEPTED, at__gt=since)
        .exclude(from_status=Status.ACCEPTED)
        .order_by("at")
        .values_list("at", flat=True)
    )
    if len(recent) >= policy.max_accepts_per_hour:
        wait = recent[0] + timedelta(hours=1) - now
        raise TooManyAccepts(extra={"retry_after_seconds": max(1, int(wait.total_seconds()) + 1)})


def swap_decline(
    *,
    swap: ShiftSwap,
    employee: Employee,
    user: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> ShiftSwap:
    """The named colleague says no."""

    def guard(row: ShiftSwap) -> None:
        if row.kind == Kind.OPEN or employee.pk != row.counterpart_id:
            raise SwapNotForYou()
        _require(row, Status.PENDING)

    return _close(swap, user, Status.REJECTED, reason or DECLINED, guard, now)


def swap_cancel(
    *,
    swap: ShiftSwap,
    employee: Employee,
    user: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> ShiftSwap:
    """The requester withdraws (before a decision)."""

    def guard(row: ShiftSwap) -> None:
        if employee.pk != row.requester_id:
            raise SwapNotYourShift("Only the requester can cancel the request.")
        _require(row, *ShiftSwap.ACTIVE)

    return _close(swap, user, Status.CANCELLED, reason or CANCELLED, guard, now)


def _close(
    swap: ShiftSwap,
    user: AbstractBaseUser,
    to: str,
    reason: str,
    guard: Callable[[ShiftSwap], None],
    now: datetime | None,
) -> ShiftSwap:
    """End a request without applying it: decline, cancel or reject, under the locks."""
    at = now or timezone.now()

    @transaction.atomic
    def work() -> ShiftSwap:
        _, row = _locked(swap)
        guard(row)
        _transition(row, user, to, at, reason)
        swap_notices.notify_decided(row, to)
        return row

    return retry_on_deadlock(work)


def swap_approve(
    *, swap: ShiftSwap, approver: AbstractBaseUser, reason: str = "", now: datetime | None = None
) -> ShiftSwap:
    """A manager of the team approves an accepted request (or releases an open shift nobody
    took): the checks run again under the locks and a new published version is written."""
    now = now or timezone.now()

    @transaction.atomic
    def work() -> ShiftSwap:
        series, row = _locked(swap)
        _may_decide(row, approver)
        if row.kind == Kind.OPEN and row.status == Status.PENDING:
            pass  # a release: approved with no taker
        else:
            _require(row, Status.ACCEPTED)
        if now >= row.expires_at:
            raise SwapExpired()
        _apply(series, row, approver, now, reason=reason or APPROVED)
        return row

    try:
        return retry_on_deadlock(work)
    except IntegrityError as exc:  # another roster's published shift overlaps (PostgreSQL)
        raise ShiftOverlap("The swap would overlap a shift in another roster.") from exc


def swap_reject(
    *,
    swap: ShiftSwap,
    approver: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> ShiftSwap:
    """A manager refuses a swap, give-away or open post; the operator is told why, so a
    reason is required (decision_reason_required)."""
    if not reason.strip():
        raise DecisionReasonRequired(extra={"fields": ["reason"]})

    def guard(row: ShiftSwap) -> None:
        _may_decide(row, approver)
        _require(row, *ShiftSwap.ACTIVE)

    return _close(swap, approver, Status.REJECTED, reason.strip(), guard, now)


def _may_decide(swap: ShiftSwap, user: AbstractBaseUser) -> None:
    if not team_list_managed(user=user).filter(pk=swap.team_id).exists():
        raise NotPermitted()
    own = Employee.objects.filter(user=user).values_list("pk", flat=True).first()
    if own is not None and own in (swap.requester_id, swap.counterpart_id):
        raise SwapPartyCannotDecide()


def _apply(
    series: list[Roster],
    swap: ShiftSwap,
    user: AbstractBaseUser | None,
    now: datetime,
    *,
    reason: str,
    checked: list[dict[str, Any]] | None = None,
) -> None:
    """Check again (unless this transaction just did: `checked` holds the waived rules) and
    write the new published version; other open requests on the same shifts can no longer
    happen and are cancelled."""
    moves = _moves(swap.shift, swap.counterpart_shift, swap.requester, swap.counterpart)
    waived = checked
    if waived is None:
        published = _published(series)
        _check_current(published, swap.shift, swap.requester_id)
        if swap.counterpart_shift is not None:
            _check_current(published, swap.counterpart_shift, swap.counterpart_id)
        policy = request_policy(swap.team_id)
        waived = swap_checks_run(published=published, moves=moves, policy=policy, now=now)
    release = swap.counterpart_id is None
    roster = roster_republish(
        series=series,
        moves=moves,
        action=RosterChange.Action.RELEASED if release else RosterChange.Action.SWAPPED,
        user=user,
        reason=f"{swap.get_kind_display()} {swap.pk}: {reason}",
        now=now,
        waived=waived,
    )
    swap.applied_roster = roster
    swap.released = release
    _transition(swap, user, Status.APPROVED, now, reason)
    _cancel_siblings(swap, list(moves), user, now)
    audit_record(
        action="swap_approved",
        actor=user,
        object_type="shift_swap",
        object_id=str(swap.pk),
        data={
            "roster": str(roster.pk),
            "version": roster.version,
            "released": release,
        },
    )
    swap_notices.notify_decided(swap, "approved")


def _cancel_siblings(
    swap: ShiftSwap, keys: list[object], user: AbstractBaseUser | None, now: datetime
) -> None:
    siblings = (
        _with_parties(ShiftSwap.objects.select_for_update(of=("self",)))
        .filter(status__in=ShiftSwap.ACTIVE)
        .filter(Q(shift_key__in=keys) | Q(counterpart_shift_key__in=keys))
        .exclude(pk=swap.pk)
        .order_by("pk")
    )
    for other in siblings:
        _transition(other, user, Status.CANCELLED, now, f"{TRADED}{swap.pk}")
        swap_notices.notify_decided(other, "cancelled")


def swaps_expire(*, now: datetime | None = None) -> int:
    """Expire every open request whose shift starts too soon to decide it."""
    now = now or timezone.now()
    count = 0
    due = ShiftSwap.objects.filter(status__in=ShiftSwap.ACTIVE, expires_at__lte=now).order_by("pk")
    for swap in due.select_related("shift__roster")[:1000]:
        with transaction.atomic():
            _, row = _locked(swap)
            if row.status in ShiftSwap.ACTIVE and row.expires_at <= now:
                _transition(row, None, Status.EXPIRED, now, TOO_SOON)
                swap_notices.notify_decided(row, "expired")
                count += 1
    return count


# --- Audit ---------------------------------------------------------------------------------


def _event(
    swap: ShiftSwap,
    user: AbstractBaseUser | None,
    before: str,
    to: str,
    now: datetime,
    reason: str = "",
) -> None:
    SwapEvent.objects.create(
        swap=swap, at=now, actor=user, from_status=before, to_status=to, reason=reason
    )
