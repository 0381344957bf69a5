"""The geometry of the day view: an intraday Gantt (a bar per shift on a shared axis of the
day's minutes, breaks cut out) and per queue a chart of agents required against scheduled as
step lines with the gap shaded. Plain numbers in, CSS positions and SVG points out. The
minutes are the day's time line from its local midnight as time runs
(organisation.local_grid.timeline_minute): 1500 on the autumn day, 1380 on the spring one."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

DAY = 1440


def _wall_hour(minute: int) -> str:
    return f"{(minute // 60) % 24:02d}"


@dataclass(frozen=True)
class Axis:
    first: int  # minutes from the day's local midnight, as time runs
    last: int

    @property
    def span(self) -> int:
        return max(self.last - self.first, 1)

    def pct(self, minute: float) -> float:
        return 100 * (min(max(minute, self.first), self.last) - self.first) / self.span

    def hours(self, label: Callable[[int], str] = _wall_hour) -> list[tuple[str, float]]:
        """The hour ticks, each labelled by `label` (a minute of the axis to its local hour:
        "02" twice on the autumn day, no "02" on the spring one)."""
        step = 60 if self.span <= 14 * 60 else 120
        return [
            (label(m), self.pct(m))
            for m in range(-(-self.first // step) * step, self.last + 1, step)
        ]


def day_axis(
    spans: Sequence[tuple[int, int]], *, busy: Sequence[int] = (), day_minutes: int = DAY
) -> Axis:
    """Whole hours around the shifts' minutes (start, end from the day's midnight) and the
    busy minutes of the cover, inside the day of `day_minutes`; 06:00-22:00 when there is
    nothing."""
    points = [m for s in spans for m in s] + list(busy)
    if not points:
        return Axis(6 * 60, 22 * 60)
    first = max(0, (min(points) // 60) * 60)
    last = min(day_minutes, -(-max(points) // 60) * 60)
    return Axis(first, max(last, first + 60))


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
    label: str  # "08:15"; the autumn day's second "02:00 (2nd)"
    key: str  # how the query string names it: "08:15", "02:00-2"


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


def _shapes(
    required: Sequence[int], scheduled: Sequence[int], spans: Sequence[tuple[float, float]], y: Any
) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """Step lines of required and scheduled over `spans` (each value's x from, x to), and
    the polygons between them where scheduled is short of required and where it is over."""

    def step(values: Sequence[int]) -> str:
        return " ".join(f"{a},{y(v)} {b},{y(v)}" for (a, b), v in zip(spans, values, strict=True))

    shaded: list[list[str]] = [[], []]
    for k, (low, high) in enumerate(((scheduled, required), (required, scheduled))):
        run: list[int] = []
        for i in [*range(len(spans)), None]:
            if i is not None and low[i] < high[i]:
                run.append(i)
                continue
            if run:
                top = [f"{spans[q][0]},{y(high[q])} {spans[q][1]},{y(high[q])}" for q in run]
                bottom = [f"{spans[q][1]},{y(low[q])} {spans[q][0]},{y(low[q])}" for q in run[::-1]]
                shaded[k].append(" ".join(top + bottom))
                run = []
    return step(required), step(scheduled), tuple(shaded[0]), tuple(shaded[1])


def _y_scale(values: Sequence[int], top: int, plot_h: int) -> tuple[int, Any]:
    y_max = max(2, math.ceil(max([*values, 1]) * 1.1))

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / y_max), 2)

    return y_max, y


LEFT, RIGHT, TOP, FOOT = 28, 6, 8, 20


def cover_chart(
    *,
    required: Sequence[int],
    scheduled: Sequence[int],
    interval_minutes: int,
    axis: Axis,
    width: int = 720,
    height: int = 170,
    labels: Sequence[tuple[str, str]] = (),
    hour_label: Callable[[int], str] = _wall_hour,
) -> CoverChart:
    """Agents required and scheduled per interval as step lines over `axis`, the shortfall
    shaded (under) and the surplus lightly (over); one hit area per interval, named by
    `labels` (key, label per period; by the wall clock when not given) and the hours of the
    axis by `hour_label`."""
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - FOOT

    def named(p: int) -> tuple[str, str]:
        if p < len(labels):
            return labels[p]
        text = f"{p * interval_minutes // 60:02d}:{p * interval_minutes % 60:02d}"
        return text, text

    first, last = axis.first // interval_minutes, -(-axis.last // interval_minutes)
    periods = list(range(first, min(last, len(required))))

    def x(period: float) -> float:
        return round(LEFT + plot_w * (period * interval_minutes - axis.first) / axis.span, 2)

    spans = [(x(p), x(p + 1)) for p in periods]
    return _chart(
        (width, height, plot_w, plot_h),
        [required[p] for p in periods],
        [scheduled[p] for p in periods],
        spans,
        tuple(
            (label, round(LEFT + plot_w * pct / 100, 2)) for label, pct in axis.hours(hour_label)
        ),
        tuple(Hit(x(p), round(x(p + 1) - x(p), 2), p, named(p)[1], named(p)[0]) for p in periods),
    )


def window_chart(
    *,
    days: Sequence[tuple[str, Sequence[int], Sequence[int]]],
    interval_minutes: int,
    first_minute: int,
    last_minute: int,
    width: int = 960,
    height: int = 170,
) -> CoverChart:
    """Several days side by side (label, required, scheduled per interval of the day), each
    from `first_minute` to `last_minute` of its day: the hours nobody works are left out.
    The x labels are the days."""
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - FOOT
    first, last = first_minute // interval_minutes, -(-last_minute // interval_minutes)
    per_day = max(last - first, 1)
    step = plot_w / (per_day * max(len(days), 1))
    spans, required, scheduled = [], [], []
    for d, (_label, req, sch) in enumerate(days):
        for p in range(first, min(last, len(req))):
            left = LEFT + step * (d * per_day + p - first)
            spans.append((round(left, 2), round(left + step, 2)))
            required.append(req[p])
            scheduled.append(sch[p])
    labels = tuple(
        (label, round(LEFT + step * per_day * (d + 0.5), 2))
        for d, (label, _r, _s) in enumerate(days)
    )
    return _chart((width, height, plot_w, plot_h), required, scheduled, spans, labels, ())


def _chart(
    size: tuple[int, int, int, int],
    required: Sequence[int],
    scheduled: Sequence[int],
    spans: Sequence[tuple[float, float]],
    x_labels: tuple[tuple[str, float], ...],
    hits: tuple[Hit, ...],
) -> CoverChart:
    """The chart of values placed on `spans`; `size`: width, height, plot width, height."""
    width, height, plot_w, plot_h = size
    y_max, y = _y_scale([*required, *scheduled], TOP, plot_h)
    req, sch, under, over = _shapes(required, scheduled, spans, y)
    return CoverChart(
        width=width,
        height=height,
        left=LEFT,
        plot_width=plot_w,
        top=TOP,
        bottom=y(0),
        required=req,
        scheduled=sch,
        under=under,
        over=over,
        y_ticks=tuple((v, y(v)) for v in sorted({0, y_max // 2, y_max})),
        x_labels=x_labels,
        hits=hits,
    )
