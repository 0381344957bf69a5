"""Chart geometry: bars inside a day cell, heat classes, line series with gaps."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from web.charts import day_bars, heat_class, heatmap, line_chart

ZONE = ZoneInfo("Europe/Amsterdam")


def test_a_night_shift_bar_is_cut_at_midnight() -> None:
    day = datetime(2026, 12, 7, tzinfo=ZONE)
    (bar,) = day_bars(
        day_start=day,
        spans=[(day + timedelta(hours=18), day + timedelta(hours=30), "bar-phone", "x", "/e/")],
    )
    assert bar.style == "left:75.00%;width:25.00%"
    assert bar.href == "/e/"


def test_heat_class_is_scheduled_minus_required() -> None:
    assert [heat_class(3, s) for s in (0, 2, 3, 4, 6)] == [
        "heat-under-2",
        "heat-under-1",
        "heat-ok",
        "heat-over-1",
        "heat-over-2",
    ]
    assert heat_class(0, 0) == "heat-none"


def test_heatmap_skips_empty_cells_and_line_chart_breaks_on_missing_values() -> None:
    shown = heatmap(days=[("Mon", [(0, 0, 0), (60, 2, 2)])], interval_minutes=60)
    assert [c.css for c in shown.rows[0].cells] == ["heat-ok"]
    chart = line_chart(labels=["a", "b", "c"], series=[("x", "series-a", [1.0, None, 3.0], False)])
    assert len(chart.series[0].points.split()) == 2
    assert chart.y_max == 4.0


def test_heatmap_axis_spans_only_the_busy_hours() -> None:
    shown = heatmap(
        days=[("Mon", [(8 * 60, 1, 1), (20 * 60 + 45, 1, 0)])], interval_minutes=15, width=672
    )
    assert shown.hours[0][0] == "08"
    assert shown.rows[0].cells[0].x == 72.0  # 08:00 at the left edge of the plot
    assert shown.rows[0].cells[-1].x + shown.rows[0].cells[-1].width == 672.0  # 21:00
