"""`python manage.py build_roster --team T --start DATE --days N [--site S] [--time-limit S]
[--seed N] [--deterministic] [--publish]`: build a team's (or a site's) roster as a job, with a
progress bar.

Runs the same job the API starts; without a broker it runs here, with one it waits for a
worker. Prints the solver's result and the new draft version.
"""

import sys
import threading
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Q

from organisation.errors import DomainError
from organisation.models import Job, Site, Team
from scheduling import tasks
from scheduling.models import Roster
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from scheduling.services.roster_publish import roster_publish

BAR = 30


class Command(BaseCommand):
    help = "Build a roster for a team (or a whole site) and period, as a job with progress."

    def add_arguments(self, parser: Any) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--team", help="Team name or id")
        scope.add_argument("--site", help="Site name or id (a roster of all its teams)")
        parser.add_argument("--start", type=date.fromisoformat, required=True)
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--time-limit", type=float, default=30.0, help="Seconds (30)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--deterministic",
            action="store_true",
            help="The same roster for the same input and seed, whatever the machine's load "
            "(the time limit is read as work: about idle-machine seconds)",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the result")

    def handle(self, *args: Any, **options: Any) -> None:
        team = _one(Team, options["team"]) if options["team"] else None
        site = team.site if team else _one(Site, options["site"])
        request = BuildRequest(
            site=site,
            team=team,
            start=options["start"],
            days=options["days"],
            time_limit_seconds=options["time_limit"],
            seed=options["seed"],
            deterministic=options["deterministic"],
        )
        done = threading.Event()
        holder: dict[str, Job] = {}
        watcher = threading.Thread(target=self._watch, args=(holder, done), daemon=True)
        watcher.start()
        try:
            job = roster_build_request(request=request, task=_Tracked(holder), user=None)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message} {exc.extra or ''}") from exc
        finally:
            done.set()
            watcher.join()
        job = _wait(job)
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(f"{job.status}: {job.message} {job.result or ''}")
        roster = Roster.objects.get(pk=job.result["roster"])
        self._summary(roster)
        if options["publish"]:
            result = roster_publish(roster=roster, user=None)
            self.stdout.write(f"Published version {roster.version}; {result.notices} notified.")

    def _watch(self, holder: dict[str, Job], done: threading.Event) -> None:
        """Redraw the bar from the job row while the solve runs (eager or on a worker)."""
        while not done.wait(0.5):
            job = holder.get("job")
            # This thread has its own connection: the row may not be visible to it yet.
            row = (
                Job.objects.filter(pk=job.pk).values("progress", "message").first() if job else None
            )
            if row is not None:
                filled = BAR * row["progress"] // 100
                bar = "#" * filled + "-" * (BAR - filled)
                sys.stderr.write(f"\r[{bar}] {row['progress']:3d}% {row['message'][:60]:<60}")
                sys.stderr.flush()
        sys.stderr.write("\n")
        connection.close()

    def _summary(self, roster: Roster) -> None:
        s = roster.solver
        bound = "unknown" if s["bound"] is None else f"{s['bound']:,.0f}"
        gap = "unknown" if s["gap"] is None else f"{100 * s['gap']:.2f} %"
        self.stdout.write(
            f"Roster {roster.pk} (draft version {roster.version}): {roster.shifts.count()} "
            f"shifts; {s['status']}, objective {s['objective']:,.0f}, "
            f"bound {bound}, gap {gap}, {s['wall_seconds']:.1f} s"
        )
        self.stdout.write(f"  {shortfall_sentence(s)}")
        for name, value in sorted(s["terms"].items()):
            self.stdout.write(f"  {name:<16} {value:>14,.0f}")
        if s["unmet_intervals"]:
            self.stdout.write(
                f"  {s['unmet_intervals']} intervals under-covered; binding: "
                + ", ".join(s["binding_rules"])
            )


def shortfall_sentence(stats: dict[str, Any]) -> str:
    """ "short X, at least Y unavoidable under these contracts" from a roster's solver stats."""
    short = stats.get("under_agent_intervals")
    bounds = stats.get("lower_bounds")
    if short is None:
        return "shortfall not recorded for this build"
    if bounds is None:
        return f"short {short} agent-intervals; how many were unavoidable is unknown"
    return (
        f"short {short} agent-intervals, at least {bounds['under_agent_intervals']} "
        "unavoidable under these contracts"
    )


class _Tracked:
    """The roster task, noting the job it is sent for so the progress bar can follow it."""

    def __init__(self, holder: dict[str, Job]) -> None:
        self.holder = holder

    def delay(self, job_id: str) -> Any:
        self.holder["job"] = Job.objects.get(pk=job_id)
        return tasks.roster_build.delay(job_id)


def _wait(job: Job) -> Job:
    job.refresh_from_db()
    while job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        time.sleep(0.5)  # a worker is solving: poll the row, as the API's clients do
        job.refresh_from_db()
    return job


def _one(model: Any, name_or_id: str) -> Any:
    query = Q(name=name_or_id)
    if len(name_or_id) == 36:
        query |= Q(pk=name_or_id)
    found = list(model.objects.filter(query)[:2])
    if len(found) != 1:
        raise CommandError(f"No single {model.__name__.lower()} named {name_or_id!r}.")
    return found[0]
