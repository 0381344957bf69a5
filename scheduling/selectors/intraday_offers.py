"""Reads of the rest-of-day offers (issue 26): those an operator may take now, and a queue's
offers of a day for the intraday page."""

from datetime import date, datetime

from django.db.models import QuerySet

from organisation.local_grid import local_day_bounds
from organisation.models import Employee, Queue
from scheduling.models import Activity, IntradayOffer, IntradayOfferAcceptance, Roster, Shift


def offer_eligible(*, offer: IntradayOffer) -> list[Employee]:
    """Who may take the offer: in its team and skilled for its queue; for VTO on a phone shift
    of the queue running through its start, for overtime free over its window."""
    people = Employee.objects.filter(team=offer.team, queues=offer.queue).select_related("user")
    busy = Shift.objects.filter(
        state=Roster.Status.PUBLISHED, start__lt=offer.end, end__gt=offer.start
    )
    if offer.kind == IntradayOffer.Kind.VTO:
        on = busy.filter(queue=offer.queue, activity=Activity.PHONE, start__lt=offer.start)
        return list(people.filter(pk__in=on.values("employee_id")).order_by("number"))
    return list(people.exclude(pk__in=busy.values("employee_id")).order_by("number"))


def offers_open_for(*, employee: Employee, now: datetime) -> list[IntradayOffer]:
    """Open offers of the operator's team not yet expired that they may take."""
    candidates = IntradayOffer.objects.filter(
        team_id=employee.team_id, status=IntradayOffer.Status.OPEN, expires_at__gt=now
    ).select_related("queue__site")
    taken = set(
        IntradayOfferAcceptance.objects.filter(employee=employee).values_list("offer_id", flat=True)
    )
    return [
        offer
        for offer in candidates
        if offer.pk not in taken and employee.pk in {e.pk for e in offer_eligible(offer=offer)}
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
