"""The database itself refuses impossible organisation rows, whatever the code path."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from organisation.models import Employee, Queue
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def refused(update: dict[str, object], model: type, pk: object) -> bool:
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**update)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "update",
    [
        {"min_weekly_minutes": 2500, "max_weekly_minutes": 2400},
        {"max_weekly_minutes": 7 * 24 * 60 + 1},
        {"max_days_per_week": 0},
        {"max_days_per_week": 8},
        {"hourly_rate": Decimal("-0.01")},
        {"employment_end": date(2000, 1, 1)},
    ],
)
def test_employee_check_constraints(org: Org, update: dict[str, object]) -> None:
    assert refused(update, Employee, org.op_a1.pk)


@pytest.mark.parametrize(
    "update",
    [
        {"service_level_target": Decimal("1")},
        {"service_level_target": Decimal("0")},
        {"max_occupancy": Decimal("0")},
        {"shrinkage": Decimal("1")},
    ],
)
def test_queue_check_constraints(org: Org, update: dict[str, object]) -> None:
    queue = Queue.objects.create(site=org.amsterdam, name="Q")
    assert refused(update, Queue, queue.pk)


def test_badge_ids_are_unique(org: Org) -> None:
    Employee.objects.filter(pk=org.op_a1.pk).update(badge_id="4711")
    assert refused({"badge_id": "4711"}, Employee, org.op_a2.pk)
