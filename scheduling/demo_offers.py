"""Demo stage "rest-of-day offers" (issue 26): on the planning week's Friday at 13:05 the
Retail NL queue's manager offers voluntary time off from 15:00 to the team, and an hour of
overtime after a shift of the queue that ends later that day; the first eligible operator the
rules allow accepts each, and each acceptance is published as a new version of the site's
roster. Overtime the rules refuse to everyone (rest, weekly maximums: most of the demo's
operators are full) is withdrawn and offered after the next shift's end instead."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from organisation.errors import DomainError
from organisation.local_grid import local_instant
from organisation.models import Employee, Queue
from scheduling.models import Activity, IntradayOffer, Roster, Shift
from scheduling.selectors.intraday_offers import offer_eligible
from scheduling.services.intraday_offers import offer_accept, offer_create, offer_withdraw

QUEUE = "Retail NL"
MAX_OVERTIME_TRIES = 12


@dataclass(frozen=True)
class OfferDone:
    kind: str
    window: str
    offered_to: int
    accepted_by: str | None
    roster_version: int | None


def demo_offers_stage(*, start: date) -> list[OfferDone]:
    queue = Queue.objects.select_related("site").get(name=QUEUE)
    tz = queue.site.timezone
    day = start + timedelta(days=4)

    def at(hour: int, minute: int = 0) -> datetime:
        return local_instant(day=day, wall=time(hour, minute), timezone=tz, fold=0)

    working = (
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            queue=queue,
            activity=Activity.PHONE,
            start__lt=at(15),
            end__gt=at(16),
        )
        .select_related("employee__team")
        .order_by("employee__number")
        .first()
    )
    if working is None:
        return []
    team = working.employee.team
    vto = offer_create(
        kind="vto",
        queue=queue,
        team=team,
        start=at(15),
        end=at(16),
        slots=1,
        expires_at=at(14, 50),
        user=None,
        now=at(13, 5),
    )
    done = [_first_taker(vto, at(13, 10))]
    ends = (
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            queue=queue,
            activity=Activity.PHONE,
            employee__team=team,
            end__gt=at(14),
            end__lt=at(22),
        )
        .order_by("end")
        .values_list("end", flat=True)
        .distinct()
    )
    for end in list(ends)[:MAX_OVERTIME_TRIES]:
        overtime = offer_create(
            kind="overtime",
            queue=queue,
            team=team,
            start=end,
            end=end + timedelta(hours=1),
            slots=1,
            expires_at=end - timedelta(minutes=10),
            user=None,
            now=at(13, 5),
        )
        result = _first_taker(overtime, at(13, 10))
        if result.accepted_by:
            done.append(result)
            break
        offer_withdraw(offer=overtime, user=None)
    return done


def _first_taker(offer: IntradayOffer, now: datetime) -> OfferDone:
    people: list[Employee] = offer_eligible(offer=offer, now=now)
    tz = offer.queue.site.timezone
    window = f"{offer.start.astimezone(ZoneInfo(tz)):%a %d %b %H:%M}"
    if offer.kind == IntradayOffer.Kind.OVERTIME:
        window += f"-{offer.end.astimezone(ZoneInfo(tz)):%H:%M}"
    for person in people:
        try:
            taken = offer_accept(offer=offer, employee=person, user=person.user, now=now)
        except DomainError:
            continue  # the rules refuse this one (rest, weekly maximum): the next may take it
        return OfferDone(offer.kind, window, len(people), str(person), taken.roster.version)
    return OfferDone(offer.kind, window, len(people), None, None)
