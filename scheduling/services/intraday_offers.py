"""Rest-of-day offers (issue 26, item 5): a manager offers voluntary time off (VTO) when the
reforecast shows a queue over-staffed, or overtime when it is short, to the operators of a team
who can take it; the first to accept get it (up to the offer's slots) and each acceptance is
checked by the rules (scheduling/rules.py) and published at once as a new roster version, like
an approved swap.

VTO: the operator's published phone shift on the queue that runs through the offer's start ends
there (breaks after it go). Overtime: the operator works start..end on the queue: their shift
on the queue that ends at the start runs on to the end, or else an extra shift. Eligible: in
the team, skilled for the queue, with such a shift (VTO) or free then (overtime); the rules
then check rest, weekly maximums, days in a row, skills and availability.
"""

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.local_grid import local_date, wall_minute
from organisation.models import Employee, Queue, Team
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many, notices_withdraw
from scheduling.errors import (
    OfferAlreadyAccepted,
    OfferBadWindow,
    OfferBreaksRules,
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
from scheduling.rules import Violation, check
from scheduling.selectors.intraday_offers import offer_eligible
from scheduling.selectors.roster_rules import roster_rules_input, shift_assignments
from scheduling.services.roster_pairings import roster_pairing_derive
from scheduling.services.roster_republish import (
    roster_change_not_applied,
    roster_republish_edit,
    shift_copy,
)
from scheduling.services.roster_versions import roster_series_lock
from scheduling.services.swap_checks import stable_key
from scheduling.solver.model import Assignment

Kind = IntradayOffer.Kind
Status = IntradayOffer.Status
# An early finish or an extra block is off-template by nature: the template rules do not
# apply to the change (rest, overlap, weekly maximums, days in a row, skills and availability
# do); an overtime block is a second shift of the day; VTO is working less by choice.
SHAPE_RULES = frozenset(
    {"unknown_template", "template_not_allowed", "forbidden_transition", "break_window"}
)
WAIVED = {
    IntradayOffer.Kind.VTO: SHAPE_RULES | {"min_minutes_per_week", "min_minutes_total"},
    IntradayOffer.Kind.OVERTIME: SHAPE_RULES | {"one_shift_per_day"},
}


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
        people = offer_eligible(offer=offer)
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
    when = f"from {start:%a %d %b %H:%M}" + ("" if offer.kind == Kind.VTO else f" to {end:%H:%M}")
    subject = f"{what} offered on {offer.queue.name} {when}: first come, first served"
    values = {"queue": offer.queue.name, "day": start.date(), "start": start.time()}
    if offer.kind == Kind.VTO:
        sentence = Sentence.of("vto_offered", **values)
    else:
        sentence = Sentence.of("overtime_offered", **values, end=end.time())
    return Message(subject=subject, body=f"{subject}. Accept it on /me/offers/.", sentence=sentence)


def _vto_shift(offer: IntradayOffer, employee_id: object) -> Shift | None:
    return (
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            employee_id=employee_id,
            queue=offer.queue,
            activity=Activity.PHONE,
            start__lt=offer.start,
            end__gt=offer.start,
        )
        .select_related("roster")
        .first()
    )


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
    published = _published_for(offer, employee)
    series = roster_series_lock(published)
    # Locks in the order series, then offer, as swaps do: two acceptances queue here, and the
    # second sees the first's result when it gets the lock.
    offer = IntradayOffer.objects.select_for_update().select_related("queue__site").get(pk=offer.pk)
    _still_open(offer, employee, now)
    if employee.pk not in {e.pk for e in offer_eligible(offer=offer)}:
        raise OfferNotEligible()
    published = next(r for r in series if r.status == Roster.Status.PUBLISHED)
    roster = _republish(series, published, offer, employee, user, now)
    offer.taken += 1
    if offer.taken >= offer.slots:
        offer.status = Status.FILLED
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


def _published_for(offer: IntradayOffer, employee: Employee) -> Roster:
    if offer.kind == Kind.VTO:
        shift = _vto_shift(offer, employee.pk)
        if shift is None:
            raise OfferNotEligible()
        return shift.roster
    day = local_date(instant=offer.start, timezone=offer.queue.site.timezone)
    rosters = Roster.objects.filter(
        Q(team=offer.team) | Q(team__isnull=True, site=offer.team.site),
        status=Roster.Status.PUBLISHED,
        start_date__lte=day,
    ).order_by("-start_date")
    roster = next((r for r in rosters if (day - r.start_date).days < r.days), None)
    if roster is None:
        raise OfferNotEligible("No published roster covers the offer's day.")
    return roster


def _republish(
    series: list[Roster],
    published: Roster,
    offer: IntradayOffer,
    employee: Employee,
    user: AbstractBaseUser | None,
    now: datetime,
) -> Roster:
    """Check the change against the rules, then publish it as a new version. Open drafts
    newer than the published version get the same change where they can (roster_republish_edit,
    as approved swaps), so that publishing one later does not undo the acceptance."""
    waived = _rules_check(published, offer, employee, now)
    key, edit = _change(published, offer, employee, user, waived)
    new = roster_republish_edit(
        series=series,
        edit=edit,
        keys=[key],
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
) -> tuple[UUID, Edit]:
    """The stable key of the shift the acceptance changes (or adds) and the edit that makes
    the change in a version of the series; the edit returns the key when that version's copy
    is not as expected, and notes so on it."""
    reason = f"{offer.get_kind_display()} offer {offer.pk} accepted"

    def record(roster: Roster, row: Shift | None, before: Any, after: Any) -> list[UUID]:
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

    def copy(roster: Roster, fits: Callable[[Shift], bool]) -> Shift | None:
        row = shift_copy(roster, key)
        return row if row is not None and row.employee_id == employee.pk and fits(row) else None

    def cut(roster: Roster) -> list[UUID]:  # VTO: the shift ends at the offer's start
        row = copy(roster, lambda r: r.start < offer.start < r.end)
        if row is None:
            return record(roster, None, {}, None)
        before = {"start": row.start.isoformat(), "end": row.end.isoformat()}
        row.breaks.filter(start__gte=offer.start).delete()
        row.end = offer.start
        row.save(update_fields=["end"])
        return record(roster, row, before, {"end": row.end.isoformat()})

    def lengthen(roster: Roster) -> list[UUID]:  # staying on after the shift: it ends later
        row = copy(roster, lambda r: r.end == offer.start)
        if row is None:
            return record(roster, None, {}, None)
        before = {"start": row.start.isoformat(), "end": row.end.isoformat()}
        row.end = offer.end
        row.save(update_fields=["end"])
        return record(roster, row, before, {"end": row.end.isoformat()})

    def add(roster: Roster) -> list[UUID]:  # a shift of its own, one key in every version
        busy = roster.shifts.filter(employee=employee, start__lt=offer.end, end__gt=offer.start)
        if busy.exists():
            return record(roster, None, None, None)
        row = Shift.objects.create(
            roster=roster,
            employee=employee,
            queue=offer.queue,
            activity=Activity.PHONE,
            start=offer.start,
            end=offer.end,
            local_date=local_date(instant=offer.start, timezone=offer.queue.site.timezone),
            state=roster.status,
            source=Shift.Source.MANUAL,
            note=reason,
            origin=key,
        )
        return record(
            roster, row, None, {"start": row.start.isoformat(), "end": row.end.isoformat()}
        )

    if offer.kind == Kind.VTO:
        old = _vto_shift(offer, employee.pk)
        if old is None or old.roster_id != published.pk:  # changed since it was checked
            raise OfferNotEligible()
        key = stable_key(old)
        return key, cut
    joined = _joined_shift(published, offer, employee)
    if joined is not None:
        key = stable_key(joined)
        return key, lengthen
    key = uuid.uuid4()
    return key, add


def _joined_shift(roster: Roster, offer: IntradayOffer, employee: Employee) -> Shift | None:
    """The operator's phone shift on the queue that ends where the overtime starts."""
    return roster.shifts.filter(
        employee=employee, queue=offer.queue, activity=Activity.PHONE, end=offer.start
    ).first()


def _rules_check(
    published: Roster, offer: IntradayOffer, employee: Employee, now: datetime
) -> list[dict[str, Any]]:
    """The rules' verdict on the operator's shifts after the change: a violation the change
    brings is a refusal (an overtime block beside the day's shift is allowed)."""
    person = str(employee.pk)
    built = roster_rules_input(published, now=now, only={person}, demand=False)
    shifts = list(
        published.shifts.filter(employee=employee)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    before = shift_assignments(built, shifts)
    after = list(before)
    first, tz = built.first_day, built.timezone
    cut = wall_minute(instant=offer.start, first_day=first, timezone=tz)
    if offer.kind == Kind.VTO:
        after = [
            replace(
                a,
                length_minutes=cut - a.start_minute,
                breaks=tuple(b for b in a.breaks if b.start_minute < cut),
            )
            if a.start_minute < cut < a.start_minute + a.length_minutes
            and a.queue == str(offer.queue_id)
            else a
            for a in after
        ]
    else:
        end = wall_minute(instant=offer.end, first_day=first, timezone=tz)
        joined = next(
            (a for a in after if a.end_minute == cut and a.queue == str(offer.queue_id)), None
        )
        if joined is not None:  # staying on after the shift: the shift gets longer
            after = [
                replace(a, length_minutes=end - a.start_minute) if a is joined else a for a in after
            ]
        else:
            after.append(
                Assignment(
                    employee=person,
                    day=cut // 1440,
                    template="manual",
                    start_minute=cut,
                    length_minutes=end - cut,
                    breaks=(),
                    queue=str(offer.queue_id),
                    activity=Activity.PHONE,
                )
            )
    # Shifts without a known template (manual ones, the overtime block) would be skipped by
    # the sequence rules: they are checked as shifts of a stand-in template instead.
    known = {t.id for t in built.problem.templates}
    stand_in = built.problem.templates[0].id
    as_is = _fresh(check(built.problem, before), check(built.problem, after), person)
    before, after = (
        [a if a.template in known else replace(a, template=stand_in) for a in group]
        for group in (before, after)
    )
    fresh = _fresh(check(built.problem, before), check(built.problem, after), person)
    allowed = WAIVED[IntradayOffer.Kind(offer.kind)]

    def waived(v: Violation) -> bool:
        return v.rule in allowed or v.rule.startswith("template_")

    refused = [v for v in fresh if not waived(v)]
    if refused:
        found = [built.violation_json(v) for v in refused]
        raise OfferBreaksRules(found[0]["message"], extra={"violations": found})
    # What the roster's own check will find on the change, kept on it for the audit.
    return [built.violation_json(v) for v in dict.fromkeys(as_is + fresh) if waived(v)]


def _fresh(before: list[Violation], after: list[Violation], person: str) -> list[Violation]:
    old = Counter(v for v in before if v.employee == person)
    return list((Counter(v for v in after if v.employee == person) - old).elements())


def offers_expire(*, now: datetime | None = None) -> int:
    """Mark open offers past their expiry as expired (beat; accepting checks the time anyway)."""
    now = now or timezone.now()
    return IntradayOffer.objects.filter(status=Status.OPEN, expires_at__lte=now).update(
        status=Status.EXPIRED
    )


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
