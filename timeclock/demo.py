"""Demo stage "time clock": a week of punches for the published rosters, as terminals and
home operators would send them (seeded, so every run is the same).

Most operators arrive a few minutes early and leave on time; some are late; one forgets to
clock out; one does not come; home workers clock from their browser; a night shift is added
across the week's DST change (a revision of the roster, published); one terminal re-sends a
batch after a timeout. Punches are sent at the end of each day with the simulated clock. The
operator who forgot to clock out asks for a correction the next morning; it stays pending, for
their team's manager to decide in the approvals queue.
"""

import random
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from organisation.models import Employee, Site
from scheduling.models import Roster, Shift, ShiftTemplate
from scheduling.services.roster_edits import shift_add
from scheduling.services.roster_inputs import shift_template_create
from scheduling.services.roster_publish import roster_publish
from timeclock.models import CorrectionRequest, Device
from timeclock.services.correction_requests import (
    CorrectionAsk,
    correction_request_create,
    correction_request_describe,
)
from timeclock.services.devices import device_register
from timeclock.services.punches import PunchInput, punch_remote, punches_ingest

LATE_SHARE = 0.08
NIGHT_TEMPLATE = "Night (demo)"
CORRECTION_REASON = "Forgot to clock out: the queue at the terminal was long after my shift"


@dataclass(frozen=True)
class PunchWeek:
    shifts: int
    punches_created: int
    duplicates: int
    flagged: int
    late_arrivals: int
    remote_punches: int
    missing_out: str
    missing_out_shift: str  # its id, for the correction request
    absent: str
    night_shift: str


def _device(site: Site) -> Device:
    existing = Device.objects.filter(site=site, name="Demo terminal").first()
    return (
        existing
        or device_register(site=site, name="Demo terminal", is_kiosk=False, created_by=None)[0]
    )


def demo_punch_stage(*, start: date, days: int = 7) -> PunchWeek:
    rng = random.Random(2026)
    night = _night_across_dst(start, days)
    shifts = list(
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            local_date__gte=start,
            local_date__lt=start + timedelta(days=days),
        )
        .select_related("employee__user", "employee__team__site")
        .prefetch_related("breaks")
        .order_by("start", "employee__number")
    )
    office = [s for s in shifts if not s.employee.is_home_worker and s != night]
    missing_out, absent = office[len(office) // 3], office[len(office) // 2]
    events: dict[tuple[str, date], list[tuple[datetime, PunchInput]]] = {}
    remote: list[tuple[Employee, str, datetime]] = []
    late = 0
    for shift in shifts:
        if shift == absent:
            continue
        is_late = rng.random() < LATE_SHARE and shift != night
        late += is_late
        arrive = shift.start + (
            timedelta(minutes=rng.randint(7, 25))
            if is_late
            else -timedelta(minutes=rng.randint(1, 8))
        )
        moments = [("in", arrive)]
        for b in shift.breaks.all():
            moments += [
                ("break_start", b.start),
                ("break_end", b.end + timedelta(minutes=rng.randint(0, 3))),
            ]
        if shift != missing_out:
            moments.append(("out", shift.end + timedelta(minutes=rng.randint(0, 6))))
        if shift.employee.is_home_worker:
            remote += [(shift.employee, kind, at) for kind, at in moments]
            continue
        day_key = (str(shift.employee.team.site_id), shift.local_date)
        for kind, at in moments:
            item = PunchInput(
                event_id=uuid.uuid4(),
                kind=kind,
                occurred_at=at.replace(second=rng.randint(0, 59)),
                badge=shift.employee.badge_id,
                employee_number=None if shift.employee.badge_id else shift.employee.number,
            )
            events.setdefault(day_key, []).append((at, item))
    counts = _send_terminal_batches(events)
    for employee, kind, at in remote:
        result = punch_remote(
            employee=employee,
            kind=kind,
            ip_address="198.51.100.7",
            user_agent="Demo browser",
            now=at,
        )
        counts[result.status] += 1
    return PunchWeek(
        shifts=len(shifts),
        punches_created=counts["created"],
        duplicates=counts["duplicate"],
        flagged=counts["flagged"],
        late_arrivals=late,
        remote_punches=len(remote),
        missing_out=f"{missing_out.employee.full_name} on {missing_out.local_date}",
        missing_out_shift=str(missing_out.pk),
        absent=f"{absent.employee.full_name} on {absent.local_date}",
        night_shift=_describe(night),
    )


def demo_correction_request(*, shift_id: str) -> str:
    """The operator of the shift without a clock-out asks, the next morning, for the
    clock-out they forgot; the request stays pending (once, however often the demo runs)."""
    shift = Shift.objects.select_related("employee__user", "employee__team__site").get(pk=shift_id)
    employee = shift.employee
    request = CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.PENDING, reason=CORRECTION_REASON
    ).first()
    if request is None:
        ask = CorrectionAsk(
            action="add",
            kind="out",
            occurred_at=shift.end + timedelta(minutes=4),
            reason=CORRECTION_REASON,
        )
        request = correction_request_create(
            employee=employee, ask=ask, user=employee.user, now=shift.end + timedelta(hours=15)
        )
    managers = ", ".join(sorted(m.username for m in request.employee.team.managers.all()))
    return (
        f"{request.employee.full_name} asks to {correction_request_describe(request)}; "
        f"pending in the approvals queue of {managers}"
    )


def _rested(worker: Employee, week: list[Shift], evening: datetime, morning: datetime) -> bool:
    rest = timedelta(minutes=worker.min_rest_minutes)
    return not any(s.start < morning + rest and s.end > evening - rest for s in week)


def _week_minutes(week: list[Shift]) -> float:
    return sum((s.end - s.start).total_seconds() for s in week) / 60


def _describe(night: Shift | None) -> str:
    if night is None:
        return "none (no DST change this week)"
    zone = ZoneInfo(night.roster.site.timezone)
    hours = (night.end - night.start).total_seconds() / 3600
    return (
        f"{night.employee.full_name}, {night.start.astimezone(zone):%a %d %b %H:%M} to "
        f"{night.end.astimezone(zone):%a %H:%M} ({hours:g} h of real time)"
    )


def _send_terminal_batches(
    events: dict[tuple[str, date], list[tuple[datetime, PunchInput]]],
) -> Counter[str]:
    """One batch per site and day, sent after the day; the first one twice (a timeout)."""
    counts: Counter[str] = Counter()
    seq: Counter[str] = Counter()
    first = True
    for (site_id, _), items in sorted(events.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        device = _device(Site.objects.get(pk=site_id))
        items.sort(key=lambda pair: pair[0])
        batch = []
        for _, item in items:
            seq[site_id] += 1
            batch.append(replace(item, device_seq=seq[site_id]))
        sent = max(at for at, _ in items) + timedelta(minutes=30)
        for _ in range(2 if first else 1):
            results = punches_ingest(
                items=batch,
                source="terminal",
                device=device,
                sent_at=sent,
                now=sent + timedelta(seconds=2),
            )
            counts.update(r.status for r in results)
            counts["flagged"] += sum(
                1 for r in results if r.status == "created" and r.punch and r.punch.review_reason
            )
        first = False
    return counts


def _night_across_dst(start: date, days: int) -> Shift | None:
    """Add a 22:00-06:00 night over the week's DST change at the first site that has one, as
    a revision of its published roster."""
    for site in Site.objects.order_by("name"):
        zone = ZoneInfo(site.timezone)
        for d in range(days):
            evening = datetime.combine(start + timedelta(days=d), time(22), tzinfo=zone)
            morning = datetime.combine(start + timedelta(days=d + 1), time(6), tzinfo=zone)
            if evening.utcoffset() == morning.utcoffset():
                continue
            roster = Roster.objects.filter(
                site=site, status=Roster.Status.PUBLISHED, start_date=start
            ).first()
            if roster is None:
                return None
            return _add_night(roster, site, evening, morning)
    return None


def _add_night(roster: Roster, site: Site, evening: datetime, morning: datetime) -> Shift | None:
    template = ShiftTemplate.objects.filter(
        site=site, name=NIGHT_TEMPLATE
    ).first() or shift_template_create(
        site=site,
        name=NIGHT_TEMPLATE,
        earliest_start=time(22),
        latest_start=time(22),
        lengths_minutes=[480],
        breaks=[],
        activity="backoffice",
        is_active=False,  # for manual nights only: the solver never plans it
    )
    # Everyone rested around the night; the one with the lightest week takes it, as agreed
    # overtime if their contract week is full (overridden with a reason, audited).
    rested = [
        (_week_minutes(week), worker)
        for worker in Employee.objects.filter(team__site=site, is_home_worker=False)
        if _rested(worker, week := list(roster.shifts.filter(employee=worker)), evening, morning)
    ]
    if not rested:
        return None
    worker = min(rested, key=lambda pair: (pair[0], pair[1].number))[1]
    edit = shift_add(
        roster=roster,
        employee=worker,
        template=template,
        start=evening.astimezone(ZoneInfo("UTC")),
        end=morning.astimezone(ZoneInfo("UTC")),
        activity="backoffice",
        note="Night cover for the systems migration",
        reason="Overtime night cover across the clock change, agreed with the operator",
        override=True,
        user=None,
        now=evening - timedelta(days=3),
    )
    roster_publish(roster=edit.roster, user=None, now=evening - timedelta(days=3))
    return Shift.objects.select_related("employee__user", "roster__site").get(pk=edit.shift.pk)  # type: ignore[union-attr]
