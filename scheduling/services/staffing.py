"""Staffing scenarios: a what-if the manager applies becomes the stored requirement of the
days it covers (the forecast's calls stay; the next forecast of those days replaces it)."""

from dataclasses import asdict
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisation.audit import audit_record
from organisation.models import Queue
from scheduling.models import StaffingRequirement
from scheduling.selectors.forecasting import staffing_list
from scheduling.selectors.staffing import FIELDS, Scenario, StaffingRow, requirement

# What a scenario changes: every field of a row but its interval.
UPDATED = tuple(f for f in FIELDS if f not in ("interval_start", "interval_minutes"))


@transaction.atomic
def staffing_scenario_apply(
    *,
    queue: Queue,
    first_day: date,
    last_day: date,
    scenario: Scenario,
    user: AbstractBaseUser | None,
) -> int:
    """Recompute and save the requirement of the queue's local days under the scenario;
    the number of intervals changed. Audited with the scenario."""
    goal = scenario.goal()
    stored = list(
        staffing_list(queue=queue, first_day=first_day, last_day=last_day).select_for_update()
    )
    done: dict[tuple[float, float, int], StaffingRow] = {}
    for row in stored:
        values = StaffingRow(*(getattr(row, name) for name in FIELDS))
        key = (values.calls, values.aht_seconds, values.minutes)
        if key not in done:
            done[key] = requirement(row=values, scenario=scenario, goal=goal)
        for name in UPDATED:
            setattr(row, name, getattr(done[key], name))
    StaffingRequirement.objects.bulk_update(stored, UPDATED, batch_size=1000)
    audit_record(
        action="staffing_scenario_applied",
        actor=user,
        object_type="queue",
        object_id=str(queue.pk),
        data={
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "intervals": len(stored),
            "scenario": {k: str(v) if v is not None else None for k, v in asdict(scenario).items()},
        },
    )
    return len(stored)
