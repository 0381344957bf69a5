"""Reads of proficiency: each employee's level per queue on a day (the latest level reached on
or before it; skilled without a row: proficient), and the history of one employee."""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from organisation.models import Employee, Proficiency, QueueProficiency

Levels = dict[tuple[str, str], str]  # (employee id, queue id) -> level


def proficiency_levels(*, employees: Iterable[Employee], on: date) -> Levels:
    """The level of every (employee, queue) with a row on or before `on` (one query). Pairs
    missing here are proficient if the employee is skilled for the queue."""
    ids = [e.pk for e in employees]
    levels: Levels = {}
    rows = (
        QueueProficiency.objects.filter(employee_id__in=ids, reached_on__lte=on)
        .order_by("reached_on", "recorded_at")
        .values_list("employee_id", "queue_id", "level")
    )
    for employee_id, queue_id, level in rows:
        levels[(str(employee_id), str(queue_id))] = level
    return levels


def proficiency_level(levels: Levels, employee_id: str, queue_id: str) -> str:
    return levels.get((employee_id, queue_id), Proficiency.PROFICIENT)


def proficiency_history(*, employee: Employee) -> QuerySet[QueueProficiency]:
    return (
        QueueProficiency.objects.filter(employee=employee)
        .select_related("queue")
        .order_by("queue__name", "reached_on", "recorded_at")
    )


def mentors_of_queue(*, queue_id: str, on: date) -> list[str]:
    """The ids of employees whose level on the queue is mentor on `on`."""
    levels: dict[str, str] = {}
    rows = (
        QueueProficiency.objects.filter(queue_id=queue_id, reached_on__lte=on)
        .order_by("reached_on", "recorded_at")
        .values_list("employee_id", "level")
    )
    for employee_id, level in rows:
        levels[str(employee_id)] = level
    return sorted(e for e, level in levels.items() if level == Proficiency.MENTOR)
