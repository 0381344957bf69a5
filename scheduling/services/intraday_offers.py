"""Rest-of-day offers (issue 26, item 5): a manager offers voluntary time off (VTO) when the
reforecast shows a queue over-staffed, or overtime when it is short, to the operators of a team
who can take it; the first to accept get it (up to the offer's slots) and each acceptance is
checked by the rules (scheduling/rules.py) and published at once as a new roster version, like
an approved swap.

VTO: the operator is off start..end from their published phone shift on the queue that runs
through the offer's start: to (or past) the shift's end, the shift ends at the start; inside
it, the shift is split in two, the part before ending at the start and the part after starting
at the end (breaks inside the window go, the others stay with their part). Overtime: the
operator works start..end on the queue: their shift on the queue that ends at the start runs
on to the end, the one that starts at the end starts at the start (one working period), or
else an extra shift. Who may take it is offer_check's verdict (scheduling/selectors/
intraday_offers.py), asked before anyone is told and again at acceptance.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.local_grid import local_date
from organisation.models import Employee, Queue, Team
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many, notices_withdraw
from scheduling.errors import (
    OfferAlreadyAccepted,
    OfferBadWindow,
    OfferExpired,
    OfferLeavesTraineeAlone,
    OfferNotEligible,
    OfferTaken,
    OfferWithdrawAccepted,
)
from scheduling.models import (
    Activity,
    IntradayOffer,
    IntradayOfferAcceptance,
    Roster,
    RosterChange,
    Shift,
)
from scheduling.selectors.intraday_offers import (
    joined_shifts,
    offer_check,
    offer_eligible,
    offer_roster,
    vto_shift,
)
from scheduling.services.roster_pairings import roster_pairing_derive
from scheduling.services.roster_republish import (
    roster_change_not_applied,
    roster_republish_edit,
    shift_copy,
)
from scheduling.services.roster_versions import roster_series_lock
from scheduling.services.swap_checks import stable_key

Kind = IntradayOffer.Kind
Status = IntradayOffer.Status


def offer_create(
    *,
    kind: str,
    queue: Queue,
    team: Team,
    start: datetime,
    end: datetime,
    slots: int,
    expires_at: datetime,
    user: AbstractBaseUser | None,
    now: datetime | None = None,
) -> IntradayOffer:
    """Post an offer and tell the team's eligible operators (in the app and by e-mail)."""
    now = now or timezone.now()
    if not (now <= start < end and now < expires_at <= start) or slots < 1:
        raise OfferBadWindow()
    if end - start > timedelta(hours=24):  # a rest-of-day offer: a window within a day
        raise OfferBadWindow()
    with transaction.atomic():
        offer = IntradayOffer.objects.create(
            kind=kind,
            queue=queue,
            team=team,
            start=start,
            end=end,
            slots=slots,
            expires_at=expires_at,
            created_by=user,
        )
        people = offer_eligible(offer=offer, now=now)
        notice_many(
            recipients=[p.user for p in people],
            event_key=f"intraday_offer:{offer.pk}",
            message=_message(offer),
        )
    return offer


def _message(offer: IntradayOffer) -> Message:
    """The notice in English (the e-mail) and as a sentence the app says in the reader's
    language."""
    tz = offer.queue.site.timezone
    start = offer.start.astimezone(ZoneInfo(tz))
    end = offer.end.astimezone(ZoneInfo(tz))
    what = "Voluntary time off" if offer.kind == Kind.VTO else "Overtime"
    subject = f"{what} offered on {offer.queue.name} {start:%a %d %b %H:%M}-{end:%H:%M}"
    subject += ": first come, first served"
    values = {"queue": offer.queue.name, "day": start.date(), "start": start.time()}
    code = "vto_window_offered" if offer.kind == Kind.VTO else "overtime_offered"
    sentence = Sentence.of(code, **values, end=end.time())
    return Message(subject=subject, body=f"{subject}. Accept it on /me/offers/.", sentence=sentence)


def offer_accept(
    *,
    offer: IntradayOffer,
    employee: Employee,
    user: AbstractBaseUser | None,
    now: datetime | None = None,
) -> IntradayOfferAcceptance:
    """Take the offer: first come, first served; refused when taken, expired, accepted
    before, not for this operator or against the rules; nothing written then."""
    now = now or timezone.now()
    return retry_on_deadlock(lambda: _accept(offer, employee, user, now))


@transaction.atomic
def _accept(
    offer: IntradayOffer, employee: Employee, user: AbstractBaseUser | None, now: datetime
) -> IntradayOfferAcceptance:
    _still_open(offer, employee, now)  # before reading the roster the change would touch
    series = roster_series_lock(offer_roster(offer, employee))
    # Locks in the order series, then offer, as swaps do: two acceptances queue here, and the
    # second sees the first's result when it gets the lock.
    offer = IntradayOffer.objects.select_for_update().select_related("queue__site").get(pk=offer.pk)
    _still_open(offer, employee, now)
    published, waived = offer_check(offer=offer, employee=employee, now=now)
    if published.pk not in {r.pk for r in series}:  # published again meanwhile
        raise OfferNotEligible()
    roster = _republish(series, published, offer, employee, user, now, waived)
    offer.taken += 1
    if offer.taken >= offer.slots:  # its notices go, as when it is withdrawn
        offer.status = Status.FILLED
        notices_withdraw(event_key=f"intraday_offer:{offer.pk}")
    offer.save(update_fields=["taken", "status"])
    try:
        with transaction.atomic():
            accepted = IntradayOfferAcceptance.objects.create(
                offer=offer, employee=employee, roster=roster, accepted_at=now
            )
    except IntegrityError as exc:  # the same operator twice at once: the second is told so
        raise OfferAlreadyAccepted() from exc
    audit_record(
        action=f"intraday_offer_{offer.kind}_accepted",
        actor=user,
        object_type="intraday_offer",
        object_id=str(offer.pk),
        data={"employee": str(employee.pk), "roster": str(roster.pk), "version": roster.version},
    )
    return accepted


def _still_open(offer: IntradayOffer, employee: Employee, now: datetime) -> None:
    if IntradayOfferAcceptance.objects.filter(offer=offer, employee=employee).exists():
        raise OfferAlreadyAccepted()
    if offer.status in (Status.FILLED, Status.CANCELLED) or offer.taken >= offer.slots:
        raise OfferTaken()
    if offer.status == Status.EXPIRED or now >= offer.expires_at:
        raise OfferExpired()


def _republish(
    series: list[Roster],
    published: Roster,
    offer: IntradayOffer,
    employee: Employee,
    user: AbstractBaseUser | None,
    now: datetime,
    waived: list[dict[str, Any]],
) -> Roster:
    """Publish the checked change as a new version. Open drafts newer than the published
    version get the same change where they can (roster_republish_edit, as approved swaps), so
    that publishing one later does not undo the acceptance."""
    keys, edit = _change(published, offer, employee, user, waived)
    new = roster_republish_edit(
        series=series,
        edit=edit,
        keys=keys,
        people={str(employee.pk)},
        user=user,
        now=now,
        changed=OfferNotEligible,  # the shift changed since the offer was checked
    )
    _pairing_check(published, new, now)
    return new


def _pairing_check(published: Roster, new: Roster, now: datetime) -> None:
    """Publication derived the pairing again (roster_pairings), giving a trainee another
    mentor with room where the one who leaves sat with them; a trainee interval left without
    any that had one before refuses the acceptance (the caller's transaction undoes it)."""

    def alone(roster: Roster) -> set[tuple[str | None, str | None, tuple[int, int]]]:
        derived = roster_pairing_derive(roster, now=now)
        short = derived[2] if derived is not None else ()
        return {(s.employee, s.queue, t) for s in short for t in s.intervals}

    after = alone(new) - alone(published)
    if after:
        raise OfferLeavesTraineeAlone(
            extra={"trainees": sorted({str(e) for e, _, _ in after}), "intervals": len(after)}
        )


Edit = Callable[[Roster], list[UUID]]


def _change(
    published: Roster,
    offer: IntradayOffer,
    employee: Employee,
    user: AbstractBaseUser | None,
    waived: list[dict[str, Any]],
) -> tuple[list[UUID], Edit]:
    """The stable keys of the shifts the acceptance changes (or adds) and the edit that makes
    the change in a version of the series; the edit returns the keys whose copy in that
    version is not as expected, and notes so on it."""
    reason = f"{offer.get_kind_display()} offer {offer.pk} accepted"
    tz = offer.queue.site.timezone

    def record(roster: Roster, key: UUID, row: Shift | None, before: Any, after: Any) -> list[UUID]:
        action = RosterChange.Action.ADDED if before is None else RosterChange.Action.REVISED
        if row is None:  # a draft whose copy the manager changed keeps their version
            roster_change_not_applied(roster, keys=[key], action=action, user=user, reason=reason)
            return [key]
        RosterChange.objects.create(
            roster=roster,
            actor=user,
            action=action,
            shift_id=row.pk,
            before=before,
            after=after,
            reason=reason,
            violations=waived,
        )
        return []

    def copy(roster: Roster, key: UUID, fits: Callable[[Shift], bool]) -> Shift | None:
        row = shift_copy(roster, key)
        return row if row is not None and row.employee_id == employee.pk and fits(row) else None

    def span(row: Shift) -> dict[str, str]:
        return {"start": row.start.isoformat(), "end": row.end.isoformat()}

    def vto(roster: Roster) -> list[UUID]:  # off start..end: an early finish or a split
        row = copy(roster, key, lambda r: r.start < offer.start < r.end)
        if row is None:
            return record(roster, key, None, {}, None)
        before = span(row)
        row.breaks.filter(start__lt=offer.end, end__gt=offer.start).delete()
        end = row.end
        row.end = offer.start  # first, so that the part after never overlaps it
        row.save(update_fields=["end"])
        if offer.end < end:  # the part after the window: a shift of its own
            rest = Shift.objects.create(
                roster=roster,
                employee=employee,
                template=row.template,
                queue=row.queue,
                activity=row.activity,
                start=offer.end,
                end=end,
                local_date=row.local_date,
                state=roster.status,
                source=Shift.Source.MANUAL,
                note=reason,
                origin=second,
            )
            row.breaks.filter(start__gte=offer.end).update(shift=rest)
            record(roster, second, rest, None, span(rest))
        return record(roster, key, row, before, {"end": row.end.isoformat()})

    def lengthen(roster: Roster) -> list[UUID]:  # staying on after or coming in before
        row = copy(roster, key, lambda r: offer.start == r.end or offer.end == r.start)
        if row is None:
            return record(roster, key, None, {}, None)
        before = span(row)
        if row.end == offer.start:
            row.end = offer.end
        else:
            row.start = offer.start
            row.local_date = local_date(instant=offer.start, timezone=tz)
        row.save(update_fields=["start", "end", "local_date"])
        return record(roster, key, row, before, span(row))

    def add(roster: Roster) -> list[UUID]:  # a shift of its own, one key in every version
        busy = roster.shifts.filter(employee=employee, start__lt=offer.end, end__gt=offer.start)
        if busy.exists():
            return record(roster, key, None, None, None)
        row = Shift.objects.create(
            roster=roster,
            employee=employee,
            queue=offer.queue,
            activity=Activity.PHONE,
            start=offer.start,
            end=offer.end,
            local_date=local_date(instant=offer.start, timezone=tz),
            state=roster.status,
            source=Shift.Source.MANUAL,
            note=reason,
            origin=key,
        )
        return record(roster, key, row, None, span(row))

    if offer.kind == Kind.VTO:
        old = vto_shift(offer, employee.pk)
        if old is None or old.roster_id != published.pk:  # changed since it was checked
            raise OfferNotEligible()
        key, second = stable_key(old), uuid.uuid4()
        return ([key, second] if offer.end < old.end else [key]), vto
    after_it, before_it = joined_shifts(published, offer, employee)
    joined = after_it or before_it
    if joined is not None:
        key = stable_key(joined)
        return [key], lengthen
    key = uuid.uuid4()
    return [key], add


def offers_expire(*, now: datetime | None = None) -> int:
    """Mark open offers past their expiry as expired (beat; accepting checks the time anyway);
    their notices go, as a withdrawn or filled offer's do."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            IntradayOffer.objects.select_for_update()
            .filter(status=Status.OPEN, expires_at__lte=now)
            .values_list("pk", flat=True)
        )
        for pk in due:
            notices_withdraw(event_key=f"intraday_offer:{pk}")
        return IntradayOffer.objects.filter(pk__in=due).update(status=Status.EXPIRED)


def offer_withdraw(*, offer: IntradayOffer, user: AbstractBaseUser | None) -> IntradayOffer:
    """Withdraw the places of an open offer nobody has taken yet: it closes and its notices
    go from the operators' lists; those who accepted keep their change (published already).
    Refused once every place is taken or when it has expired; withdrawing it again changes
    nothing."""
    with transaction.atomic():
        row = IntradayOffer.objects.select_for_update().get(pk=offer.pk)
        if row.status == Status.CANCELLED:
            return row
        if row.status == Status.FILLED or row.taken >= row.slots:
            raise OfferWithdrawAccepted(extra={"taken": row.taken})
        if row.status == Status.EXPIRED:
            raise OfferExpired()
        row.status = Status.CANCELLED
        row.save(update_fields=["status"])
        notices_withdraw(event_key=f"intraday_offer:{row.pk}")
        audit_record(
            action=f"intraday_offer_{row.kind}_withdrawn",
            actor=user,
            object_type="intraday_offer",
            object_id=str(row.pk),
            data={"taken": row.taken, "withdrawn": row.slots - row.taken},
        )
    return row
