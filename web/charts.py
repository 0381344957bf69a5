"""Chart geometry for the server-rendered SVG charts: line series, a coverage heatmap and a
per-person timeline. Pure: numbers in, coordinates and CSS classes out (no Django)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # the class that colours the line (series-a, series-b, ...)
    points: str  # SVG polyline points "x,y x,y ..."
    dashed: bool = False


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: tuple[Series, ...]
    y_max: float
    y_ticks: tuple[tuple[str, float], ...]  # (label, y)
    x_labels: tuple[tuple[str, float], ...]  # (label, x)


PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 8, 8, 22


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None], bool]],
    width: int = 640,
    height: int = 200,
    label_every: int = 4,
    from_zero: bool = True,
    decimal: str = ".",
) -> LineChart:
    """Lines over a shared x axis of `labels`; each series is (label, css, values, dashed),
    values None where there is no data (the line breaks there). `from_zero=False` fits the
    axis to the values (a solver's objective moves by little against its size)."""
    values = [v for _, _, vs, _ in series for v in vs if v is not None]
    y_min, y_max = 0.0, _nice(max(values, default=1.0))
    if not from_zero and values:
        spread = (max(values) - min(values)) or abs(max(values)) or 1.0
        y_min, y_max = min(values) - spread * 0.1, max(values) + spread * 0.1
    n = max(len(labels), 2)
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM

    def x(i: int) -> float:
        return round(PAD_LEFT + plot_w * i / (n - 1), 1)

    def y(v: float) -> float:
        return round(PAD_TOP + plot_h * (1 - (v - y_min) / (y_max - y_min)), 1)

    lines = tuple(
        Series(
            name, css, " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(vs) if v is not None), dashed
        )
        for name, css, vs, dashed in series
    )
    steps = [y_min + (y_max - y_min) * k / 4 for k in range(5)]
    ticks = tuple((tick_label(v, decimal), y(v)) for v in steps)
    xl = tuple((label, x(i)) for i, label in enumerate(labels) if i % label_every == 0)
    return LineChart(width, height, lines, y_max, ticks, xl)


def tick_label(value: float, decimal: str = ".") -> str:
    """Short axis labels: 2M, 1.5M, 250k, 12, 0.5 (with the language's decimal mark)."""
    text = f"{value:.3g}"
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            text = f"{value / size:.3g}{suffix}"
            break
    return text.replace(".", decimal)


def _nice(value: float) -> float:
    """The next round number at or above `value` for the top of an axis: 1, 2, 4 or 8 times a
    power of ten, so the quarter ticks stay round."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 4, 8, 10):
        if value <= m * magnitude + 1e-9:
            return float(m * magnitude)
    return float(10 * magnitude)


@dataclass(frozen=True)
class HeatCell:
    x: float
    width: float
    css: str  # heat-under-2 .. heat-over-2, heat-none
    title: str


@dataclass(frozen=True)
class HeatRow:
    label: str
    y: float
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    row_height: int
    left: int
    plot_width: int
    rows: tuple[HeatRow, ...]
    hours: tuple[tuple[str, float], ...]


HEAT_LEFT = 72


def heat_class(required: int, scheduled: int) -> str:
    if required == 0 and scheduled == 0:
        return "heat-none"
    gap = scheduled - required
    if gap <= -2:
        return "heat-under-2"
    if gap == -1:
        return "heat-under-1"
    if gap == 0:
        return "heat-ok"
    return "heat-over-1" if gap == 1 else "heat-over-2"


def heatmap(
    *,
    days: Sequence[tuple[str, Sequence[tuple[int, int, int]]]],
    interval_minutes: int,
    width: int = 720,
    row_height: int = 14,
) -> Heatmap:
    """Rows of days, columns of intervals: each day is (label, [(minute of day, required,
    scheduled)]); the cell colour is scheduled minus required. The x axis spans the whole
    hours that hold any demand or cover (a call centre open 08-21 uses the width for that)."""
    busy = [m for _, cells in days for m, req, sch in cells if req or sch]
    first = (min(busy) // 60) * 60 if busy else 0
    last = -(-(max(busy) + interval_minutes) // 60) * 60 if busy else 1440
    plot_w = width - HEAT_LEFT
    per_minute = plot_w / (last - first)
    cell_w = round(interval_minutes * per_minute, 2)
    rows = []
    for r, (label, cells) in enumerate(days):
        rows.append(
            HeatRow(
                label,
                r * row_height,
                tuple(
                    HeatCell(
                        round(HEAT_LEFT + (minute - first) * per_minute, 2),
                        cell_w,
                        heat_class(required, scheduled),
                        f"{minute // 60:02d}:{minute % 60:02d} {scheduled}/{required}",
                    )
                    for minute, required, scheduled in cells
                    if required or scheduled  # the row's background shows "nothing"
                ),
            )
        )
    step = 1 if last - first <= 12 * 60 else 3 if last - first > 18 * 60 else 2
    hours = tuple(
        (f"{h:02d}", round(HEAT_LEFT + (h * 60 - first) * per_minute, 1))
        for h in range(first // 60, last // 60, step)
    )
    return Heatmap(
        width, len(rows) * row_height + 16, row_height, HEAT_LEFT, plot_w, tuple(rows), hours
    )


@dataclass(frozen=True)
class Bar:
    style: str  # "left:33.33%;width:33.33%" (CSS, never localized)
    css: str
    label: str
    href: str  # "" for a bar that links nowhere (breaks, rosters that cannot change)


def day_bars(
    *,
    day_start: datetime,
    spans: Sequence[tuple[datetime, datetime, str, str, str]],
) -> tuple[Bar, ...]:
    """Bars inside one local day cell: each span is (start, end, css, label, href) in the
    same zone as `day_start`; a span past midnight is cut at the cell's edge."""
    bars = []
    for start, end, css, label, href in spans:
        left = max((start - day_start).total_seconds() / 864, 0.0)
        right = min((end - day_start).total_seconds() / 864, 100.0)
        width = max(right - left, 0.5)
        bars.append(Bar(f"left:{left:.2f}%;width:{width:.2f}%", css, label, href))
    return tuple(bars)
