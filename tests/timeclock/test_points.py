"""Attendance points over a rolling window and their flags."""

from datetime import date, timedelta
from decimal import Decimal

from timeclock.points import PointsRules, points_status

ON = date(2026, 6, 30)


def test_points_add_up_inside_the_window_and_raise_flags() -> None:
    incidents = [(ON - timedelta(days=n), "late") for n in range(6)] + [(ON, "absent")]
    status = points_status(incidents, on=ON)
    assert status.total == Decimal("4.0")
    assert status.level == "warning"
    more = [*incidents, (ON - timedelta(days=10), "absent"), (ON - timedelta(days=11), "absent")]
    assert points_status(more, on=ON).level == "final_warning"
    many = [(ON - timedelta(days=n), "absent") for n in range(7)]
    assert points_status(many, on=ON).level == "dismissal_review"


def test_old_incidents_drop_out_and_duplicates_count_once() -> None:
    old = ON - timedelta(days=90)
    status = points_status([(old, "absent"), (ON, "late"), (ON, "late")], on=ON)
    assert status.total == Decimal("0.5")
    assert status.level == "none"
    assert status.window_start == ON - timedelta(days=89)


def test_rules_are_a_policy() -> None:
    strict = PointsRules(late=Decimal(1), warning=Decimal(1))
    assert points_status([(ON, "late")], on=ON, rules=strict).level == "warning"
