"""Attendance points: late arrivals and absences score points over a rolling window; the
total raises warning, final-warning and dismissal-review flags. Pure."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class PointsRules:
    late: Decimal = Decimal("0.5")
    absent: Decimal = Decimal(1)
    window_days: int = 90
    warning: Decimal = Decimal(3)
    final_warning: Decimal = Decimal(5)
    dismissal_review: Decimal = Decimal(7)


@dataclass(frozen=True)
class PointEvent:
    day: date
    kind: str  # late | absent
    points: Decimal


@dataclass(frozen=True)
class PointsStatus:
    total: Decimal
    level: str  # none | warning | final_warning | dismissal_review
    events: tuple[PointEvent, ...]
    window_start: date


def points_status(
    incidents: Iterable[tuple[date, str]], *, on: date, rules: PointsRules | None = None
) -> PointsStatus:
    """Points from (day, 'late' | 'absent') incidents within the window ending on `on`."""
    rules = rules or PointsRules()
    start = on - timedelta(days=rules.window_days - 1)
    events = tuple(
        PointEvent(day, kind, rules.late if kind == "late" else rules.absent)
        for day, kind in sorted(set(incidents))
        if start <= day <= on and kind in ("late", "absent")
    )
    total = sum((e.points for e in events), Decimal(0))
    level = "none"
    for name, threshold in (
        ("warning", rules.warning),
        ("final_warning", rules.final_warning),
        ("dismissal_review", rules.dismissal_review),
    ):
        if total >= threshold:
            level = name
    return PointsStatus(total, level, events, start)
