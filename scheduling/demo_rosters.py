"""Demo stage "rosters": shift templates for each site, a site roster for the planning week
built through a job, reviewed, exported and published; coverage and Gantt charts."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from fixtures.demo_templates import TEMPLATES
from organisation.models import Job, Site
from scheduling import tasks
from scheduling.charts import coverage_chart, roster_gantt
from scheduling.demo import slug
from scheduling.models import Roster, ShiftTemplate
from scheduling.selectors.roster_review import roster_csv, roster_review
from scheduling.selectors.rosters import shifts_of
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from scheduling.services.roster_inputs import shift_template_create
from scheduling.services.roster_publish import roster_publish


@dataclass(frozen=True)
class SiteRoster:
    site: str
    version: int
    status: str
    shifts: int
    operators_working: int
    paid_hours: float
    required_agent_hours: float
    under_agent_intervals: int
    fully_covered_pct: float
    violations: int
    solver_status: str
    seconds: float
    notified: int
    charts: tuple[Path, ...]
    csv: Path


def demo_templates_load() -> None:
    for spec in TEMPLATES:
        site = Site.objects.get(name=spec.site)
        if not ShiftTemplate.objects.filter(site=site, name=spec.name).exists():
            shift_template_create(
                site=site,
                name=spec.name,
                earliest_start=spec.earliest_start,
                latest_start=spec.latest_start,
                start_step_minutes=spec.start_step_minutes,
                lengths_minutes=list(spec.lengths_minutes),
                breaks=list(spec.breaks),
            )


def demo_roster_stage(
    *,
    start: date,
    days: int,
    out_dir: Path,
    seconds: float,
    now: datetime,
    deterministic: bool = False,
) -> list[SiteRoster]:
    """`now`: the demo's clock (the planning happens before the week starts, even when the
    demo replays a past week)."""
    demo_templates_load()
    results = []
    for site in Site.objects.order_by("name"):
        request = BuildRequest(
            site=site,
            team=None,
            start=start,
            days=days,
            time_limit_seconds=seconds,
            deterministic=deterministic,
        )
        job = roster_build_request(request=request, task=tasks.roster_build, user=None, now=now)
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            raise RuntimeError(f"roster of {site.name} failed: {job.message} {job.result}")
        roster = Roster.objects.get(pk=job.result["roster"])
        review = roster_review(roster=roster, now=timezone.now())
        csv_path = out_dir / f"roster_{slug(site.name)}.csv"
        csv_path.write_text(roster_csv(roster=roster))
        charts = _charts(roster, review.cover, out_dir)
        published = roster_publish(roster=roster, user=None, now=now)
        results.append(_summary(roster, review, published.notices, charts, csv_path))
    return results


def _summary(
    roster: Roster, review: Any, notified: int, charts: tuple[Path, ...], csv_path: Path
) -> SiteRoster:
    totals = review.totals
    return SiteRoster(
        site=roster.site.name,
        version=roster.version,
        status=Roster.objects.get(pk=roster.pk).status,
        shifts=totals["shifts"],
        operators_working=sum(1 for p in review.people if p["shifts"]),
        paid_hours=totals["paid_hours"],
        required_agent_hours=totals["required_agent_hours"],
        under_agent_intervals=totals["under_agent_intervals"],
        fully_covered_pct=totals["intervals_fully_covered_pct"],
        violations=len(review.violations),
        solver_status=roster.solver["status"],
        seconds=roster.solver["wall_seconds"],
        notified=notified,
        charts=charts,
        csv=csv_path,
    )


def _charts(roster: Roster, cover: list[dict[str, Any]], out_dir: Path) -> tuple[Path, ...]:
    # Every interval of the week, zero where nothing is required or scheduled (nights).
    step = timedelta(minutes=roster.interval_minutes)
    first = datetime.combine(roster.start_date, datetime.min.time())
    grid = [first + k * step for k in range(roster.days * 1440 // roster.interval_minutes)]
    # The review's local starts carry their offset; the chart's axis is the wall clock (the
    # autumn day's second 02:00 hour, drawn over its first, is left out).
    known: dict[tuple[str, str], dict[str, Any]] = {}
    for r in cover:
        known.setdefault((r["queue_name"], r["local_start"][:16]), r)
    series: dict[str, list[tuple[datetime, int, int]]] = {}
    for queue in sorted({r["queue_name"] for r in cover}):
        rows = [known.get((queue, t.isoformat(timespec="minutes"))) for t in grid]
        series[queue] = [
            (t, r["required"] if r else 0, r["scheduled"] if r else 0)
            for t, r in zip(grid, rows, strict=True)
        ]
    name = slug(roster.site.name)
    coverage = coverage_chart(
        path=out_dir / f"coverage_{name}.png",
        title=f"{roster.site.name}: required vs scheduled agents, week of {roster.start_date}",
        series=series,
        interval_minutes=roster.interval_minutes,
    )
    zone = ZoneInfo(roster.site.timezone)
    rows: dict[str, list[Any]] = {}
    for s in shifts_of(roster=roster):
        key = s.queue.name if s.queue else s.activity
        breaks = [
            (
                b.start.astimezone(zone).replace(tzinfo=None),
                b.end.astimezone(zone).replace(tzinfo=None),
            )
            for b in s.breaks.all()
        ]
        rows.setdefault(f"{s.employee.number} {s.employee.full_name}", []).append(
            (
                s.start.astimezone(zone).replace(tzinfo=None),
                s.end.astimezone(zone).replace(tzinfo=None),
                key,
                breaks,
            )
        )
    gantt = roster_gantt(
        path=out_dir / f"roster_{name}.png",
        title=f"{roster.site.name} roster, week of {roster.start_date} (version {roster.version})",
        rows=sorted(rows.items()),
    )
    return coverage, gantt
