"""The intraday reforecast as a job (issue 26): requested for a queue and a moment, run by the
task timeclock.intraday_reforecast, its result the reforecast per interval and the day's
figures (the page computes the same on the fly)."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from organisation.jobs import EnqueueableTask, job_create
from organisation.models import Job, Queue
from timeclock.selectors.intraday import intraday_day, intraday_plan_check


def intraday_reforecast_request(
    *, queue: Queue, at: datetime, task: EnqueueableTask, user: AbstractBaseUser | None
) -> Job:
    """A queued job reforecasting `queue`'s local day of `at` (an aware instant) from the ACD's
    calls so far; refused at once when the day has no plan."""
    intraday_plan_check(queue=queue, now=at)
    return job_create(
        kind="intraday_reforecast",
        task=task,
        created_by=user,
        params={"queue": str(queue.pk), "at": at.isoformat()},
    )


def intraday_reforecast_run(*, queue: Queue, at: datetime) -> dict[str, Any]:
    """The reforecast of the day of `at` and its figures, as the job's result (JSON)."""
    day = intraday_day(queue=queue, now=at)
    update = day.update
    return {
        "queue": str(queue.pk),
        "day": day.day.isoformat(),
        "at": at.isoformat(),
        "interval_minutes": day.interval_minutes,
        "weight": round(update.weight, 4),
        "multiplier_today": round(update.multiplier_today, 4),
        "multiplier_tomorrow": round(update.multiplier_tomorrow, 4),
        "planned_calls": round(day.planned_total, 1),
        "reforecast_calls": round(day.reforecast_total, 1),
        "offered_so_far": day.offered_so_far,
        "handled_so_far": day.handled_so_far,
        "tomorrow_planned_calls": round(day.tomorrow_planned, 1),
        "tomorrow_reforecast_calls": round(day.tomorrow_reforecast, 1),
        "service_level_so_far": _round(day.service_level_so_far),
        "service_level_projected": _round(day.service_level_projected),
        "intervals": [
            {
                "start": i.start.isoformat(),
                "planned_calls": round(i.planned_calls, 2),
                "reforecast_calls": round(i.reforecast_calls, 2),
                "offered": i.offered,
                "required": i.required,
                "scheduled": i.scheduled,
                "logged_in": i.logged_in,
            }
            for i in day.intervals
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
