"""The geometry of the day view: an intraday Gantt (a bar per shift on a shared axis of local
minutes, breaks cut out) and per queue a chart of agents required against scheduled as step
lines with the gap shaded. Plain numbers in, CSS positions and SVG points out."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

DAY = 1440


@dataclass(frozen=True)
class Axis:
    first: int  # local minutes from the day's midnight
    last: int

    @property
    def span(self) -> int:
        return max(self.last - self.first, 1)

    def pct(self, minute: float) -> float:
        return 100 * (min(max(minute, self.first), self.last) - self.first) / self.span

    def hours(self) -> list[tuple[str, float]]:
        step = 60 if self.span <= 14 * 60 else 120
        return [
            (f"{(m // 60) % 24:02d}", self.pct(m))
            for m in range(-(-self.first // step) * step, self.last + 1, step)
        ]


def day_axis(spans: Sequence[tuple[int, int]], *, busy: Sequence[int] = ()) -> Axis:
    """Whole hours around the shifts' minutes (start, end from the day's midnight) and the
    busy minutes of the cover, inside the day; 06:00-22:00 when there is nothing."""
    points = [m for s in spans for m in s] + list(busy)
    if not points:
        return Axis(6 * 60, 22 * 60)
    first = max(0, (min(points) // 60) * 60)
    last = min(DAY, -(-max(points) // 60) * 60)
    return Axis(first, max(last, first + 60))


def minute_of(day: date, instant: datetime) -> int:
    """Wall-clock minutes from the local midnight of `day` to a local `instant`."""
    midnight = datetime.combine(day, time())
    return int((instant.replace(tzinfo=None) - midnight).total_seconds() // 60)


@dataclass(frozen=True)
class Piece:
    style: str  # "left:..%;width:..%"
    css: str  # "work q3" | "work act-training" | "brk"


def bar_pieces(
    axis: Axis, start: int, end: int, breaks: Sequence[tuple[int, int]], css: str
) -> tuple[Piece, ...]:
    """A shift from `start` to `end` (minutes) as work pieces with its breaks cut out."""
    pieces = []
    cursor = start
    for b_start, b_end in sorted(breaks):
        if b_start > cursor:
            pieces.append(_piece(axis, cursor, b_start, f"work {css}"))
        pieces.append(_piece(axis, b_start, b_end, "brk"))
        cursor = max(cursor, b_end)
    if end > cursor:
        pieces.append(_piece(axis, cursor, end, f"work {css}"))
    return tuple(p for p in pieces if p is not None)


def _piece(axis: Axis, start: int, end: int, css: str) -> Piece | None:
    left, right = axis.pct(start), axis.pct(end)
    if right <= left:
        return None
    return Piece(f"left:{left:.2f}%;width:{right - left:.2f}%", css)


@dataclass(frozen=True)
class Hit:
    x: float
    width: float
    period: int
    label: str  # "08:15"


@dataclass(frozen=True)
class CoverChart:
    width: int
    height: int
    left: int
    plot_width: int
    top: int
    bottom: float  # y of zero
    required: str  # SVG polyline points of the required step line
    scheduled: str
    under: tuple[str, ...]  # polygons where scheduled < required
    over: tuple[str, ...]
    y_ticks: tuple[tuple[int, float], ...]
    x_labels: tuple[tuple[str, float], ...]
    hits: tuple[Hit, ...]


def cover_chart(
    *,
    required: Sequence[int],
    scheduled: Sequence[int],
    interval_minutes: int,
    axis: Axis,
    width: int = 720,
    height: int = 170,
) -> CoverChart:
    """Agents required and scheduled per interval as step lines over `axis`, the shortfall
    shaded (under) and the surplus lightly (over); one hit area per interval."""
    left, right, top, foot = 28, 6, 8, 20
    plot_w, plot_h = width - left - right, height - top - foot
    first, last = axis.first // interval_minutes, -(-axis.last // interval_minutes)
    periods = range(first, min(last, len(required)))
    peak = max([*(required[p] for p in periods), *(scheduled[p] for p in periods), 1])
    y_max = max(2, math.ceil(peak * 1.1))

    def x(period: float) -> float:
        return round(left + plot_w * (period * interval_minutes - axis.first) / axis.span, 2)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / y_max), 2)

    def step(values: Sequence[int]) -> str:
        return " ".join(f"{x(p)},{y(values[p])} {x(p + 1)},{y(values[p])}" for p in periods)

    under, over = [], []
    for low, high, target in ((scheduled, required, under), (required, scheduled, over)):
        run: list[int] = []
        for p in [*periods, None]:
            if p is not None and low[p] < high[p]:
                run.append(p)
                continue
            if run:
                top_edge = [f"{x(q)},{y(high[q])} {x(q + 1)},{y(high[q])}" for q in run]
                low_edge = [f"{x(q + 1)},{y(low[q])} {x(q)},{y(low[q])}" for q in reversed(run)]
                target.append(" ".join(top_edge + low_edge))
                run = []
    ticks = sorted({0, y_max // 2, y_max})
    return CoverChart(
        width=width,
        height=height,
        left=left,
        plot_width=plot_w,
        top=top,
        bottom=y(0),
        required=step(required),
        scheduled=step(scheduled),
        under=tuple(under),
        over=tuple(over),
        y_ticks=tuple((v, y(v)) for v in ticks),
        x_labels=tuple((label, round(left + plot_w * pct / 100, 2)) for label, pct in axis.hours()),
        hits=tuple(
            Hit(
                x(p),
                round(x(p + 1) - x(p), 2),
                p,
                f"{p * interval_minutes // 60:02d}:{p * interval_minutes % 60:02d}",
            )
            for p in periods
        ),
    )
