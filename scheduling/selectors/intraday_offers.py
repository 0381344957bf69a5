"""Reads of the rest-of-day offers (issue 26): who may take an offer (one check, used before
anyone is told and again at acceptance), those an operator may take now, and a queue's offers
of a day for the intraday page.

The check (offer_check): the operator is in the offer's team and skilled for its queue; for
VTO they have a phone shift of the queue running through its start, for overtime they are free
over its window and took no VTO that day; then the rules (scheduling/rules.check) on their
shifts before and after the change: rest, overlap, weekly maximums, days in a row, skills and
availability. Contiguous overtime (ending where a shift starts or starting where one ends) is
checked as the one working period it makes, and a VTO window inside a shift as a gap in that
shift (its two parts are one working day), so neither is refused for "rest" between them."""

from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from organisation.local_grid import local_date, local_day_bounds, wall_minute
from organisation.models import Employee, Queue
from scheduling.errors import OfferAfterVto, OfferBreaksRules, OfferNotEligible
from scheduling.models import Activity, IntradayOffer, IntradayOfferAcceptance, Roster, Shift
from scheduling.rules import Violation, check
from scheduling.selectors.roster_rules import roster_rules_input, shift_assignments
from scheduling.solver.model import Assignment, Break

Kind = IntradayOffer.Kind
# An early finish, a gap or an extra block is off-template by nature: the template rules do
# not apply to the change (rest, overlap, weekly maximums, days in a row, skills and
# availability do); an overtime block is a second shift of the day; VTO is working less by
# choice. ("break_window" covers every break finding: the VTO gap is checked as one.)
SHAPE_RULES = frozenset(
    {"unknown_template", "template_not_allowed", "forbidden_transition", "break_window"}
)
WAIVED = {
    Kind.VTO: SHAPE_RULES | {"min_minutes_per_week", "min_minutes_total"},
    Kind.OVERTIME: SHAPE_RULES | {"one_shift_per_day"},
}


def offer_candidates(*, offer: IntradayOffer) -> QuerySet[Employee]:
    """In its team and skilled for its queue; for VTO on a phone shift of the queue running
    through its start, for overtime free over its window. The rules are not read here."""
    people = Employee.objects.filter(team=offer.team, queues=offer.queue).select_related("user")
    busy = Shift.objects.filter(
        state=Roster.Status.PUBLISHED, start__lt=offer.end, end__gt=offer.start
    )
    if offer.kind == Kind.VTO:
        on = busy.filter(queue=offer.queue, activity=Activity.PHONE, start__lt=offer.start)
        return people.filter(pk__in=on.values("employee_id")).order_by("number")
    return people.exclude(pk__in=busy.values("employee_id")).order_by("number")


def offer_eligible(
    *, offer: IntradayOffer, now: datetime, only: Employee | None = None
) -> list[Employee]:
    """Who may take the offer now: the candidates whom offer_check does not refuse (the same
    check the acceptance makes)."""
    people = offer_candidates(offer=offer)
    if only is not None:
        people = people.filter(pk=only.pk)
    return [p for p in people if offer_refusal(offer=offer, employee=p, now=now) is None]


def offer_refusal(
    *, offer: IntradayOffer, employee: Employee, now: datetime
) -> OfferNotEligible | OfferAfterVto | OfferBreaksRules | None:
    try:
        offer_check(offer=offer, employee=employee, now=now)
    except (OfferNotEligible, OfferAfterVto, OfferBreaksRules) as refused:
        return refused
    return None


def offer_check(
    *, offer: IntradayOffer, employee: Employee, now: datetime
) -> tuple[Roster, list[dict[str, Any]]]:
    """Raise why the operator cannot take the offer; else the published roster the change goes
    into and the violations the change brings that are waived (kept on it for the audit)."""
    if not offer_candidates(offer=offer).filter(pk=employee.pk).exists():
        raise OfferNotEligible()
    published = offer_roster(offer, employee)
    if offer.kind == Kind.OVERTIME and took_vto_on_day(offer, employee):
        raise OfferAfterVto()
    return published, offer_rules_check(published, offer, employee, now)


def took_vto_on_day(offer: IntradayOffer, employee: Employee) -> bool:
    """Whether the operator accepted VTO on the overtime's local day (any queue)."""
    tz = offer.queue.site.timezone
    start, end = local_day_bounds(
        first_day=local_date(instant=offer.start, timezone=tz),
        last_day=local_date(instant=offer.start, timezone=tz),
        timezone=tz,
    )
    return IntradayOfferAcceptance.objects.filter(
        employee=employee, offer__kind=Kind.VTO, offer__start__gte=start, offer__start__lt=end
    ).exists()


def vto_shift(offer: IntradayOffer, employee_id: object) -> Shift | None:
    """The operator's published phone shift on the queue running through the VTO's start."""
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


def offer_roster(offer: IntradayOffer, employee: Employee) -> Roster:
    """The published roster the acceptance changes: the VTO shift's, or the one covering the
    overtime's day."""
    if offer.kind == Kind.VTO:
        shift = vto_shift(offer, employee.pk)
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


def joined_shifts(
    roster: Roster, offer: IntradayOffer, employee: Employee
) -> tuple[Shift | None, Shift | None]:
    """The operator's phone shifts on the queue that end where the overtime starts and that
    start where it ends: the overtime lengthens them (one working period)."""
    mine = roster.shifts.filter(employee=employee, queue=offer.queue, activity=Activity.PHONE)
    return mine.filter(end=offer.start).first(), mine.filter(start=offer.end).first()


def _vto_after(a: Assignment, cut: int, until: int) -> Assignment:
    """The shift with the VTO window cut..until off: to its end, it ends at `cut`; inside it,
    the window is a gap (checked as an unpaid break: one working day, not two shifts with a
    rest between). Breaks overlapping the window go, the others stay."""
    kept = tuple(
        b for b in a.breaks if b.start_minute + b.length_minutes <= cut or b.start_minute >= until
    )
    if until >= a.end_minute:
        return replace(a, length_minutes=cut - a.start_minute, breaks=kept)
    gap = Break(start_minute=cut, length_minutes=until - cut, paid=False)
    return replace(a, breaks=tuple(sorted((*kept, gap), key=lambda b: b.start_minute)))


def _overtime_after(
    after: list[Assignment], offer: IntradayOffer, person: str, cut: int, end: int
) -> list[Assignment]:
    """Contiguous overtime lengthens the shift it touches (before or after, any queue): one
    working period, so the rest rule sees no 0-minute "rest" inside it."""
    before_it = next((a for a in after if a.end_minute == cut), None)
    after_it = next((a for a in after if a.start_minute == end), None)
    if before_it is not None and after_it is not None:  # it fills the gap between two shifts
        merged = replace(
            before_it,
            length_minutes=after_it.end_minute - before_it.start_minute,
            breaks=before_it.breaks + after_it.breaks,
        )
        return [merged if a is before_it else a for a in after if a is not after_it]
    if before_it is not None:
        return [
            replace(a, length_minutes=end - a.start_minute) if a is before_it else a for a in after
        ]
    if after_it is not None:
        return [
            replace(a, day=cut // 1440, start_minute=cut, length_minutes=a.end_minute - cut)
            if a is after_it
            else a
            for a in after
        ]
    return [
        *after,
        Assignment(
            employee=person,
            day=cut // 1440,
            template="manual",
            start_minute=cut,
            length_minutes=end - cut,
            breaks=(),
            queue=str(offer.queue_id),
            activity=Activity.PHONE,
        ),
    ]


def _as_written(
    before: list[Assignment], offer: IntradayOffer, person: str, cut: int, end: int
) -> list[Assignment]:
    """The operator's shifts after the change as the roster will hold them (the service's
    edit): VTO cuts the shift or splits it into two; overtime lengthens a phone shift of the
    queue it touches, else it is a shift of its own."""
    queue = str(offer.queue_id)
    if offer.kind == Kind.VTO:
        result = []
        for a in before:
            if not (a.start_minute < cut < a.end_minute and a.queue == queue):
                result.append(a)
                continue
            kept = _vto_after(a, cut, end) if end >= a.end_minute else None
            if kept is not None:
                result.append(kept)
                continue
            first = tuple(b for b in a.breaks if b.start_minute + b.length_minutes <= cut)
            second = tuple(b for b in a.breaks if b.start_minute >= end)
            result.append(replace(a, length_minutes=cut - a.start_minute, breaks=first))
            result.append(
                replace(
                    a,
                    start_minute=end,
                    length_minutes=a.end_minute - end,
                    breaks=second,
                )
            )
        return result
    phone = [a for a in before if a.queue == queue and a.activity == Activity.PHONE]
    ends_here = next((a for a in phone if a.end_minute == cut), None)
    if ends_here is not None:
        longer = replace(ends_here, length_minutes=end - ends_here.start_minute)
        return [longer if a is ends_here else a for a in before]
    starts_here = next((a for a in phone if a.start_minute == end), None)
    if starts_here is not None:
        earlier = replace(
            starts_here,
            day=cut // 1440,
            start_minute=cut,
            length_minutes=starts_here.end_minute - cut,
        )
        return [earlier if a is starts_here else a for a in before]
    return _overtime_after([], offer, person, cut, end) + list(before)


def offer_rules_check(
    published: Roster, offer: IntradayOffer, employee: Employee, now: datetime
) -> list[dict[str, Any]]:
    """The rules' verdict on the operator's shifts after the change: a violation the change
    brings is a refusal (an overtime block beside the day's shift is allowed), carrying the
    rule's own sentence; else the waived ones."""
    person = str(employee.pk)
    built = roster_rules_input(published, now=now, only={person}, demand=False)
    shifts = list(
        published.shifts.filter(employee=employee)
        .select_related("template", "queue")
        .prefetch_related("breaks")
    )
    before = shift_assignments(built, shifts)
    first, tz = built.first_day, built.timezone
    cut = wall_minute(instant=offer.start, first_day=first, timezone=tz)
    end = wall_minute(instant=offer.end, first_day=first, timezone=tz)
    if offer.kind == Kind.VTO:
        after = [
            _vto_after(a, cut, end)
            if a.start_minute < cut < a.end_minute and a.queue == str(offer.queue_id)
            else a
            for a in before
        ]
    else:
        after = _overtime_after(list(before), offer, person, cut, end)
    # What the roster's own check will find on the change as written (a split VTO's two
    # shifts; an overtime block beside a shift of another queue), kept on it for the audit:
    # the offer's rules read them as one working period, the roster's check as two shifts.
    written = _as_written(before, offer, person, cut, end)
    as_is = _fresh(check(built.problem, before), check(built.problem, written), person)
    # Shifts without a known template (manual ones, the overtime block) would be skipped by
    # the sequence rules: they are checked as shifts of a stand-in template instead.
    known = {t.id for t in built.problem.templates}
    stand_in = built.problem.templates[0].id
    before, after = (
        [a if a.template in known else replace(a, template=stand_in) for a in group]
        for group in (before, after)
    )
    fresh = _fresh(check(built.problem, before), check(built.problem, after), person)
    allowed = WAIVED[Kind(offer.kind)]

    def waived(v: Violation) -> bool:
        return v.rule in allowed or v.rule.startswith("template_")

    refused = [v for v in fresh if not waived(v)]
    if refused:
        found = [built.violation_json(v) for v in refused]
        raise OfferBreaksRules(found[0]["message"], extra={"violations": found})
    return [built.violation_json(v) for v in dict.fromkeys(as_is + [v for v in fresh if waived(v)])]


def _fresh(before: list[Violation], after: list[Violation], person: str) -> list[Violation]:
    old = Counter(v for v in before if v.employee == person)
    return list((Counter(v for v in after if v.employee == person) - old).elements())


def offers_open_for(*, employee: Employee, now: datetime) -> list[IntradayOffer]:
    """Open offers of the operator's team not yet expired that they may take now."""
    candidates = IntradayOffer.objects.filter(
        team_id=employee.team_id, status=IntradayOffer.Status.OPEN, expires_at__gt=now
    ).select_related("queue__site", "team__site")
    taken = set(
        IntradayOfferAcceptance.objects.filter(employee=employee).values_list("offer_id", flat=True)
    )
    return [
        offer
        for offer in candidates
        if offer.pk not in taken and offer_refusal(offer=offer, employee=employee, now=now) is None
    ]


def offers_accepted_by(*, employee: Employee) -> QuerySet[IntradayOfferAcceptance]:
    return (
        IntradayOfferAcceptance.objects.filter(employee=employee)
        .select_related("offer__queue__site", "roster")
        .order_by("-accepted_at")
    )


def offers_of_day(*, queue: Queue, day: date) -> QuerySet[IntradayOffer]:
    start, end = local_day_bounds(first_day=day, last_day=day, timezone=queue.site.timezone)
    return (
        IntradayOffer.objects.filter(queue=queue, start__gte=start, start__lt=end)
        .select_related("team")
        .prefetch_related("acceptances__employee")
        .order_by("start")
    )
