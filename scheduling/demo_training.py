"""Demo stage "training" (issue 24): at Amsterdam, three Retail NL operators are mentors and
four more are trainees in two programmes, each with a classroom session in the planning week;
after the roster is published, per trainee the mentors and supervised hours of the week, and
each session with its time and why that slot (the cover it costs against the best and worst
allowed slot, from the engine's placement)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from organisation.local_grid import local_instant
from organisation.models import Employee, Proficiency, Queue, Site
from organisation.services.proficiency import proficiency_set
from scheduling.models import MentorPairing, PlacedActivity, Roster, TrainingProgramme
from scheduling.services.training import module_save, programme_create, session_save
from scheduling.services.training_progress import enrolment_create

SITE, QUEUE = "Amsterdam", "Retail NL"
# (programme, weekly supervised hours min-max, hours to sign-off, session topic, weekday,
#  window from, window until, session minutes). A trainee's phone time on the queue is all
# supervised, so the weekly maximum must leave room for their contract's minimum.
PROGRAMMES = (
    ("Retail NL basics", (8, 40), 60, "Products and tariffs", 1, time(9), time(17), 120),
    ("Retail NL complaints", (8, 40), 40, "Handling complaints", 3, time(9), time(17), 90),
)


@dataclass(frozen=True)
class TrainingCast:
    mentors: tuple[str, ...]
    trainees: tuple[str, ...]


@dataclass(frozen=True)
class TraineeWeek:
    name: str
    programme: str
    mentors: tuple[str, ...]
    supervised_minutes: int
    min_minutes: int
    max_minutes: int


@dataclass(frozen=True)
class SessionSlot:
    topic: str
    programme: str
    start: datetime  # local
    end: datetime  # local
    attending: int
    cost_agent_hours: float
    best_agent_hours: float
    worst_agent_hours: float
    trainer: str


def demo_training_stage(*, start: date, now: datetime) -> TrainingCast:
    """Mentors, trainees, the two programmes and their sessions in the week of `start`
    (enrolled at `now`, before the roster is built). Idempotent: a second run adds nothing."""
    site = Site.objects.get(name=SITE)
    queue = Queue.objects.get(site=site, name=QUEUE)
    people = list(
        Employee.objects.filter(team__site=site, queues=queue, max_weekly_minutes__gte=32 * 60)
        .select_related("user", "team__site")
        .order_by("number")
    )
    mentors, trainees = people[:3], people[3:7]
    if TrainingProgramme.objects.filter(site=site).exists():
        return TrainingCast(
            tuple(m.full_name for m in mentors), tuple(t.full_name for t in trainees)
        )
    day = start - timedelta(days=400)
    for mentor in mentors:
        proficiency_set(
            employee=mentor, queue=queue, level=Proficiency.MENTOR, reached_on=day, by=None
        )
    for n, (name, (low, high), total, topic, weekday, since, until, minutes) in enumerate(
        PROGRAMMES
    ):
        programme = programme_create(
            site=site,
            queue=queue,
            by=None,
            name=name,
            min_supervised_minutes_per_week=low * 60,
            max_supervised_minutes_per_week=high * 60,
            required_supervised_minutes=total * 60,
        )
        session_day = start + timedelta(days=weekday)
        session_save(
            programme=programme,
            by=None,
            topic=topic,
            length_minutes=minutes,
            window_start=local_instant(day=session_day, wall=since, timezone=site.timezone),
            window_end=local_instant(day=session_day, wall=until, timezone=site.timezone),
            trainer=mentors[2],
            capacity=8,
            room="Training room 1",
        )
        module_save(
            programme=programme,
            by=None,
            title=f"{topic}: video",
            kind="video",
            expected_minutes=45,
        )
        for trainee in trainees[2 * n : 2 * n + 2]:
            enrolment_create(programme=programme, employee=trainee, by=None, now=now)
    return TrainingCast(tuple(m.full_name for m in mentors), tuple(t.full_name for t in trainees))


def demo_training_report(*, start: date) -> tuple[list[TraineeWeek], list[SessionSlot]]:
    """From Amsterdam's published roster of the week: each trainee's mentors and supervised
    hours, and each classroom session where the engine placed it and why."""
    site = Site.objects.get(name=SITE)
    zone = ZoneInfo(site.timezone)
    roster = Roster.objects.get(
        site=site, team=None, start_date=start, status=Roster.Status.PUBLISHED
    )
    weeks = []
    for programme in TrainingProgramme.objects.filter(site=site).order_by("name"):
        for enrolment in programme.enrolments.select_related("employee__user"):
            pairs = MentorPairing.objects.filter(
                roster=roster, trainee=enrolment.employee
            ).select_related("mentor__user")
            minutes: dict[str, int] = defaultdict(int)
            for p in pairs:
                minutes[p.mentor.full_name] += int((p.end - p.start).total_seconds() // 60)
            weeks.append(
                TraineeWeek(
                    name=enrolment.employee.full_name,
                    programme=programme.name,
                    mentors=tuple(sorted(minutes, key=lambda m: -minutes[m])),
                    supervised_minutes=sum(minutes.values()),
                    min_minutes=programme.min_supervised_minutes_per_week,
                    max_minutes=programme.max_supervised_minutes_per_week,
                )
            )
    slots = []
    placed = (
        PlacedActivity.objects.filter(roster=roster, session__isnull=False)
        .select_related("session__programme", "session__trainer__user")
        .order_by("start")
    )
    seen: dict[object, list[PlacedActivity]] = defaultdict(list)
    for row in placed:
        seen[row.session_id].append(row)
    for rows in seen.values():
        first, why = rows[0], rows[0].explanation
        slots.append(
            SessionSlot(
                topic=first.session.topic,
                programme=first.session.programme.name,
                start=first.start.astimezone(zone),
                end=first.end.astimezone(zone),
                attending=len(rows),
                cost_agent_hours=why.get("cover_cost_agent_hours", 0.0),
                best_agent_hours=why.get("best_cost_agent_hours", 0.0),
                worst_agent_hours=why.get("worst_cost_agent_hours", 0.0),
                trainer=first.session.trainer.full_name if first.session.trainer else "",
            )
        )
    return weeks, slots


def unplaced_sessions(*, start: date) -> list[str]:
    """Sessions of the week the published roster did not place, with the engine's reason."""
    site = Site.objects.get(name=SITE)
    roster = Roster.objects.get(
        site=site, team=None, start_date=start, status=Roster.Status.PUBLISHED
    )
    return [
        f"{s.get('session') or s.get('name')}: {s['message']}"
        for s in roster.solver.get("training_shortfalls", [])
    ]
