"""Reads of training: a trainee's progress (hours mentored in published rosters, sessions
attended, modules done, by date), the training policy of a site, and the sessions and pairing
a roster version placed."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from organisation.local_grid import local_date
from organisation.models import Employee, Site
from scheduling.models import (
    Activity,
    Enrolment,
    MentorPairing,
    ModuleCompletion,
    PlacedActivity,
    Roster,
    SessionAttendance,
    Shift,
    TrainingPolicy,
    TrainingProgramme,
)


@dataclass(frozen=True)
class ProgressEvent:
    day: date
    kind: str  # "mentored", "session", "module"
    title: str
    minutes: int


@dataclass(frozen=True)
class Progress:
    enrolment: Enrolment
    mentored_minutes: int
    required_minutes: int
    sessions_attended: int
    sessions_total: int
    modules_done: int
    modules_total: int
    events: tuple[ProgressEvent, ...] = field(default_factory=tuple)

    @property
    def hours_reached(self) -> bool:
        return self.mentored_minutes >= self.required_minutes

    @property
    def mentored_hours(self) -> Decimal:
        return (Decimal(self.mentored_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def required_hours(self) -> Decimal:
        return (Decimal(self.required_minutes) / 60).quantize(Decimal("0.1"))


def training_policy_of(*, site: Site) -> TrainingPolicy:
    """The site's policy, or the defaults (not saved)."""
    return TrainingPolicy.objects.filter(site=site).first() or TrainingPolicy(site=site)


def programme_list(*, sites: QuerySet[Site]) -> QuerySet[TrainingProgramme]:
    return (
        TrainingProgramme.objects.filter(site__in=sites)
        .select_related("site", "queue")
        .prefetch_related("sessions__trainer__user", "modules")
        .order_by("site__name", "name")
    )


def pairings_published(*, trainee: Employee, queue_id: str, since: date) -> QuerySet[MentorPairing]:
    """The spans the published rosters have the trainee on the queue beside a mentor."""
    return MentorPairing.objects.filter(
        trainee=trainee,
        queue_id=queue_id,
        roster__status=Roster.Status.PUBLISHED,
        roster__start_date__gte=since - timedelta(days=112),
    ).select_related("mentor__user")


Span = tuple[datetime, datetime]


def _phone_spans(pairings: list[MentorPairing]) -> dict[tuple[object, object], list[Span]]:
    """(roster, person) -> the spans on the queue's phone in that roster, breaks cut out."""
    if not pairings:
        return {}
    people = {p.trainee_id for p in pairings} | {p.mentor_id for p in pairings}
    shifts = Shift.objects.filter(
        roster_id__in={p.roster_id for p in pairings},
        employee_id__in=people,
        activity=Activity.PHONE,
        queue_id=pairings[0].queue_id,
    ).prefetch_related("breaks")
    spans: dict[tuple[object, object], list[Span]] = {}
    for shift in shifts:
        cuts = sorted((b.start, b.end) for b in shift.breaks.all())
        at = shift.start
        mine = spans.setdefault((shift.roster_id, shift.employee_id), [])
        for start, end in cuts:
            if start > at:
                mine.append((at, start))
            at = max(at, end)
        if shift.end > at:
            mine.append((at, shift.end))
    return spans


def _overlap(*lists: list[Span]) -> list[Span]:
    """The spans common to every list (each list's spans disjoint)."""
    common = lists[0]
    for other in lists[1:]:
        common = [
            (max(a, c), min(b, d)) for a, b in common for c, d in other if max(a, c) < min(b, d)
        ]
    return common


def enrolment_progress(*, enrolment: Enrolment, until: datetime | None = None) -> Progress:
    """Hours mentored (in published rosters, up to `until` if given), sessions attended and
    modules done, with each as an event on its local day."""
    programme = enrolment.programme
    tz = programme.site.timezone
    events: list[ProgressEvent] = []
    mentored = 0
    pairings = list(
        pairings_published(
            trainee=enrolment.employee,
            queue_id=str(programme.queue_id),
            since=enrolment.enrolled_on,
        )
    )
    phone = _phone_spans(pairings)
    for pairing in pairings:
        end = min(pairing.end, until) if until else pairing.end
        day = local_date(instant=pairing.start, timezone=tz)
        if end <= pairing.start or day < enrolment.enrolled_on:
            continue
        # Only what both still work on the queue's phone in that version: a pairing copied into
        # a later version (VTO taken, a shift moved, a break) counts as far as it still holds.
        together = _overlap(
            [(pairing.start, end)],
            phone.get((pairing.roster_id, pairing.trainee_id), []),
            phone.get((pairing.roster_id, pairing.mentor_id), []),
        )
        minutes = int(sum((b - a for a, b in together), timedelta(0)).total_seconds() // 60)
        if minutes <= 0:
            continue
        mentored += minutes
        events.append(ProgressEvent(day, "mentored", pairing.mentor.full_name, minutes))
    attended = list(SessionAttendance.objects.filter(enrolment=enrolment).select_related("session"))
    for row in attended:
        events.append(
            ProgressEvent(row.attended_on, "session", row.session.topic, row.session.length_minutes)
        )
    done = list(ModuleCompletion.objects.filter(enrolment=enrolment).select_related("module"))
    for row in done:
        day = local_date(instant=row.completed_at, timezone=tz)
        events.append(ProgressEvent(day, "module", row.module.title, row.minutes))
    return Progress(
        enrolment=enrolment,
        mentored_minutes=mentored,
        required_minutes=programme.required_supervised_minutes,
        sessions_attended=len(attended),
        sessions_total=programme.sessions.count(),
        modules_done=len(done),
        modules_total=programme.modules.count(),
        events=tuple(sorted(events, key=lambda e: (e.day, e.kind, e.title))),
    )


def enrolments_of(*, employee: Employee) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(employee=employee)
        .select_related("programme__queue", "programme__site")
        .prefetch_related("programme__sessions", "programme__modules", "completed")
        .order_by("-enrolled_on")
    )


def enrolments_of_sites(*, sites: QuerySet[Site]) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(programme__site__in=sites)
        .select_related("programme__queue", "programme__site", "employee__user")
        .order_by("programme__name", "employee__number")
    )


def placed_for(*, employee: Employee, start: datetime, end: datetime) -> QuerySet[PlacedActivity]:
    """Sessions and meetings the published rosters placed for the employee in [start, end)."""
    return (
        PlacedActivity.objects.filter(
            employee=employee,
            roster__status=Roster.Status.PUBLISHED,
            start__lt=end,
            end__gt=start,
        )
        .select_related("session__programme", "session__trainer__user", "meeting", "roster")
        .order_by("start")
    )
