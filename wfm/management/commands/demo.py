"""`python manage.py demo`: the main job on the embedded default, end to end, with a summary.

Stages so far: (1) load the demo organisation and report its headcount through a job;
(2) import each queue's call history, forecast the planning week and turn it into staffing,
with a chart per queue; (3) roster each site for the week, review, export and publish it,
with coverage and Gantt charts; (4) operators' requests: a swap, a give-away through the
open-shift board, time off; (5) the week's punches, and a request to correct the missing
clock-out, left for a manager; (6) the week replayed as an ACD feed: the reforecast's error
at 10:00 and 13:00 against the plan, the three operators with the lowest adherence;
(7) pay and the period's close; (8) the Friday's rest-of-day offers: voluntary time off and
overtime, each accepted and published. Every job runs in-process
here, whatever broker is configured.
"""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from fixtures.demo_organisation import demo_organisation
from organisation import tasks
from organisation.demo import demo_organisation_load
from organisation.jobs import job_create
from organisation.models import Job
from scheduling.demo import QueueForecast, demo_forecast_stage
from scheduling.demo_offers import OfferDone, demo_offers_stage
from scheduling.demo_requests import SITE, DemoRequests, demo_requests_stage
from scheduling.demo_rosters import SiteRoster, demo_roster_stage
from scheduling.demo_training import (
    demo_training_report,
    demo_training_stage,
    unplaced_sessions,
)
from timeclock.demo import PunchWeek, demo_correction_request, demo_punch_stage
from timeclock.demo_intraday import DemoIntraday, demo_intraday_stage
from timeclock.demo_pay import SitePay, demo_pay_stage
from wfm.celery import app as celery_app

DEMO_PASSWORD = "wfm-demo-2026"


def _dst_week(today: date, timezone: str = "Europe/Amsterdam") -> date:
    """Monday of the latest week before today that holds a DST change: the demo replays it,
    so its night shift crosses the change and its punches are in the past."""
    zone = ZoneInfo(timezone)
    day = today - timedelta(days=today.weekday() + 7)
    while True:
        offsets = {
            datetime.combine(day + timedelta(days=d), time(12), tzinfo=zone).utcoffset()
            for d in range(8)
        }
        if len(offsets) > 1:
            return day
        day -= timedelta(days=7)


class Command(BaseCommand):
    help = "Load the demo organisation and run the whole chain on it, printing a summary."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--start",
            type=date.fromisoformat,
            help="First day (a Monday) of the week; default: the latest week with a DST change",
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=settings.VAR_DIR / "demo",
            help="Where the demo writes its history files and charts",
        )
        parser.add_argument(
            "--roster-seconds",
            type=float,
            default=30.0,
            help="Solver time limit of each site's roster (default 30)",
        )
        parser.add_argument(
            "--deterministic",
            action="store_true",
            help="Deterministic rosters: the same whatever the machine's load, the time limit "
            "read as work (about idle-machine seconds)",
        )
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help="Password given to the demo admin, managers and payroll officer when created.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        celery_app.conf.task_always_eager = True
        # Publication e-mails go to files beside the charts, not into this summary.
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = str(options["output_dir"] / "mail")
        spec = demo_organisation()
        self.stdout.write("Loading the demo organisation ...")
        demo_organisation_load(spec=spec, password=options["password"])
        job = job_create(kind="headcount_report", task=tasks.headcount_report, created_by=None)
        job.refresh_from_db()
        if job.status != Job.Status.SUCCEEDED:
            self.stderr.write(f"headcount report failed: {job.message}")
            raise SystemExit(1)
        self._print_organisation(job.result)
        start = options["start"] or _dst_week(timezone.localdate())
        self.stdout.write("")
        self.stdout.write(f"Forecasting the week of {start} from 8 weeks of history ...")
        self._print_forecasts(demo_forecast_stage(start=start, out_dir=options["output_dir"]))
        self.stdout.write("")
        self.stdout.write(f"Rostering each site for the week of {start} and publishing ...")
        planned_at = datetime.combine(start - timedelta(days=3), time(9), tzinfo=UTC)
        cast = demo_training_stage(start=start, now=planned_at)
        rosters = demo_roster_stage(
            start=start,
            days=7,
            out_dir=options["output_dir"],
            seconds=options["roster_seconds"],
            deterministic=options["deterministic"],
            now=planned_at,
        )
        self._print_rosters(rosters)
        self._print_training(cast, start)
        self.stdout.write("")
        self.stdout.write("Operators' requests: a swap, an open shift, time off ...")
        self._print_requests(demo_requests_stage(start=start, now=planned_at + timedelta(hours=2)))
        self.stdout.write("")
        self.stdout.write("Simulating the week's punches from terminals and home operators ...")
        week = demo_punch_stage(start=start)
        self._print_punches(week)
        self.stdout.write(
            f"  correction request: {demo_correction_request(shift_id=week.missing_out_shift)}"
        )
        self.stdout.write("")
        self.stdout.write("Replaying the week's ACD feed: reforecasts and adherence ...")
        self._print_intraday(demo_intraday_stage(start=start))
        self.stdout.write("")
        self.stdout.write("Computing attendance and pay, closing the week's pay period ...")
        self._print_pay(demo_pay_stage(start=start, out_dir=options["output_dir"]))
        self.stdout.write("")
        self.stdout.write("Rest of Friday: voluntary time off and overtime offered ...")
        self._print_offers(demo_offers_stage(start=start))
        self._print_logins(spec, options["password"])

    def _print_training(self, cast: Any, start: date) -> None:
        w = self.stdout.write
        weeks, slots = demo_training_report(start=start)
        w("")
        w(self.style.MIGRATE_HEADING("Training at Amsterdam, Retail NL (published roster)"))
        w(f"  mentors: {', '.join(cast.mentors)}; trainees in two programmes: {len(weeks)}")
        w(f"  {'trainee':<22} {'programme':<22} {'supervised':>10}  {'plan':<11} mentors")
        for t in weeks:
            plan = f"{t.min_minutes // 60}-{t.max_minutes // 60} h"
            hours = f"{t.supervised_minutes / 60:.1f} h"
            mentors = ", ".join(t.mentors) or "none"
            w(f"  {t.name:<22} {t.programme:<22} {hours:>10}  {plan:<11} {mentors}")
        for s in slots:
            w(
                f"  session {s.topic!r} ({s.programme}): {s.start:%a %d %b %H:%M}-{s.end:%H:%M}, "
                f"{s.attending} attending incl. trainer {s.trainer}"
            )
            w(
                f"    why this slot: it costs {s.cost_agent_hours:.2f} agent-hours of cover; "
                f"the best allowed slot {s.best_agent_hours:.2f}, the worst "
                f"{s.worst_agent_hours:.2f}"
            )
        for line in unplaced_sessions(start=start):
            w(f"  not given: {line}")

    def _print_offers(self, offers: list[OfferDone]) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING("Rest-of-day offers, first come first served"))
        for o in offers:
            label = "voluntary time off from" if o.kind == "vto" else "overtime"
            taker = (
                f"accepted by {o.accepted_by}, published as roster version {o.roster_version}"
                if o.accepted_by
                else "not taken (no eligible operator the rules allow)"
            )
            w(f"  {label} {o.window}: offered to {o.offered_to} operators; {taker}")

    def _print_intraday(self, done: DemoIntraday) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING("Intraday, the week replayed from the ACD feed"))
        w(
            f"  {done.intervals_accepted} interval statistics stored, "
            f"{done.intervals_duplicate} duplicates (a replay)"
        )
        w(
            f"  {done.states_accepted} agent states stored, "
            f"{done.states_duplicate} duplicates (a replay)"
        )
        w(f"  {'queue':<24}{'rest-of-day WAPE':>18}{'plan':>8}{'reforecast':>12}")
        for q in done.queues:
            for cut in q.plan_wape:
                w(
                    f"  {q.queue:<24}{'from ' + cut:>18}{q.plan_wape[cut]:>8.3f}"
                    f"{q.reforecast_wape[cut]:>12.3f}"
                )
        w("  adherence, the three operators furthest from their schedule (agent states):")
        for a in done.worst:
            conformance = "-" if a.conformance_percent is None else f"{a.conformance_percent:.0f}%"
            w(
                f"    {a.name:<24}{a.team:<20}adherence {a.adherence_percent:.1f}%  "
                f"conformance {conformance}"
            )

    def _print_requests(self, done: DemoRequests) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING(f"Requests, {SITE}"))
        w(f"  swap: {done.swap}")
        w(f"  open shift: {done.open_shift}")
        for line in done.time_off:
            w(f"  time off: {line}")
        w(f"  {SITE}'s roster is now published as version {done.roster_version}")

    def _print_pay(self, sites: list[SitePay]) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING("Pay, the week's period (closed, exported)"))
        for s in sites:
            w(
                f"  {s.site}: {s.period}, {s.employees} employees, gross {s.gross} {s.currency}, "
                f"{s.exceptions} shifts with exceptions"
            )
            for penalty in s.penalties:
                w(f"    {penalty}")
            if not s.penalties:
                w("    no fines deducted")
            for said in s.law:
                w(f"    law: {said}")
            w(f"    export: {s.csv}  {s.xlsx}")

    def _print_punches(self, week: PunchWeek) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING("Time clock, the week's punches"))
        w(
            f"  {week.shifts} published shifts; {week.punches_created} punches stored, "
            f"{week.duplicates} duplicates answered (a re-sent batch), {week.flagged} for review; "
            f"{week.remote_punches} from home operators' browsers"
        )
        w(
            f"  late arrivals: {week.late_arrivals}; no clock-out: {week.missing_out}; "
            f"absent: {week.absent}"
        )
        w(f"  night shift across the DST change: {week.night_shift}")

    def _print_rosters(self, rosters: list[SiteRoster]) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING("Rosters, planning week (site rosters, published)"))
        w(
            f"  {'site':<12}{'ver':>4}{'shifts':>8}{'people':>8}{'paid h':>9}{'need h':>9}"
            f"{'short':>7}{'covered':>9}{'rules':>7}{'solver':>10}{'s':>6}{'notified':>10}"
        )
        for r in rosters:
            w(
                f"  {r.site:<12}{r.version:>4}{r.shifts:>8}{r.operators_working:>8}"
                f"{r.paid_hours:>9.0f}{r.required_agent_hours:>9.0f}{r.under_agent_intervals:>7}"
                f"{r.fully_covered_pct:>8.1f}%{r.violations:>7}{r.solver_status:>10}"
                f"{r.seconds:>6.1f}{r.notified:>10}"
            )
        w("  (short: agent-intervals under-covered; rules: violations found by the checker)")
        for r in rosters:
            w(f"  {r.site}: {r.csv}")
            for chart in r.charts:
                w(f"    chart: {chart}")

    def _print_forecasts(self, forecasts: list[QueueForecast]) -> None:
        w = self.stdout.write
        w(self.style.MIGRATE_HEADING("Forecast and staffing, planning week"))
        w(
            f"  {'queue':<24}{'method':<16}{'backtest WAPE':>14}{'calls':>9}"
            f"{'peak agents':>13}{'agent-hours':>13}"
        )
        for f in forecasts:
            wape = f.backtest_wape.get(f.method)
            w(
                f"  {f.queue:<24}{f.method:<16}{(f'{wape:.3f}' if wape else '-'):>14}"
                f"{f.calls:>9.0f}{f.peak_scheduled_agents:>13}{f.scheduled_agent_hours:>13.0f}"
            )
        for f in forecasts:
            w(f"  chart: {f.chart}")

    def _print_organisation(self, report: dict[str, Any]) -> None:
        w = self.stdout.write
        w("")
        w(self.style.MIGRATE_HEADING(f"Organisation on {report['on']}"))
        for site in report["sites"]:
            w("")
            w(
                self.style.SUCCESS(site["name"]) + f"  {site['timezone']}  {site['country_code']}  "
                f"min wage {site['minimum_hourly_wage']} {site['currency']}/h  "
                f"{site['employees']} operators ({site['home_workers']} home)  "
                f"contracted up to {site['contracted_max_hours_per_week']} h/week"
            )
            w(f"  {'team':<22}{'operators':>10}  managers")
            for team in site["teams"]:
                w(f"  {team['name']:<22}{team['headcount']:>10}  {', '.join(team['managers'])}")
            w(f"  {'queue':<24}{'goal':>7}{'occ.':>7}{'shrink':>8}{'skilled':>9}  client")
            for q in site["queues"]:
                w(
                    f"  {q['name']:<24}{q['service_goal']:>7}"
                    f"{float(q['max_occupancy']):>7.0%}{float(q['shrinkage']):>8.0%}"
                    f"{q['skilled_operators']:>9}  {q['client'] or '-'}"
                )

    def _print_logins(self, spec: Any, password: str) -> None:
        w = self.stdout.write
        w("")
        w(self.style.MIGRATE_HEADING("Logins (make run, then http://127.0.0.1:8000/admin/)"))
        for person in spec.staff:
            w(f"  {person.role:<9}{person.username:<15}password: {password}")
        w(f"  operators: {len(spec.operators)} (op001 ...), no password; badges 4701 ...")
