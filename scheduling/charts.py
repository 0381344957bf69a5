"""PNG charts a manager reads at a glance: history, forecast and required agents of a queue.

Pure plotting (matplotlib, no Django): callers pass plain series.
"""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt


def forecast_chart(
    *,
    path: Path,
    title: str,
    history: Sequence[tuple[datetime, float]],
    forecast: Sequence[tuple[datetime, float]],
    scheduled_agents: Sequence[tuple[datetime, int]],
    interval_minutes: int,
) -> Path:
    """Calls per interval (history, then forecast) with agents to schedule on a second axis.

    Datetimes are naive local wall-clock times of the queue's site.
    """
    figure, calls_axis = plt.subplots(figsize=(13, 4.8), dpi=110)
    if history:
        times, values = zip(*history, strict=True)
        calls_axis.plot(times, values, color="#8a8a8a", linewidth=0.8, label="calls (history)")
    if forecast:
        times, values = zip(*forecast, strict=True)
        calls_axis.plot(times, values, color="#1f77b4", linewidth=1.2, label="calls (forecast)")
        calls_axis.axvline(times[0], color="#444444", linestyle=":", linewidth=1)
    calls_axis.set_ylabel(f"calls per {interval_minutes} min")
    calls_axis.set_ylim(bottom=0)
    agents_axis = calls_axis.twinx()
    if scheduled_agents:
        times, agents = zip(*scheduled_agents, strict=True)
        agents_axis.step(
            times, agents, where="post", color="#d62728", linewidth=1.2, label="agents to schedule"
        )
    agents_axis.set_ylabel("agents to schedule")
    agents_axis.set_ylim(bottom=0)
    calls_axis.xaxis.set_major_locator(mdates.DayLocator())
    calls_axis.xaxis.set_major_formatter(mdates.DateFormatter("%a %d %b"))
    calls_axis.grid(axis="x", color="#eeeeee")
    handles = calls_axis.get_legend_handles_labels()
    extra = agents_axis.get_legend_handles_labels()
    calls_axis.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8)
    calls_axis.set_title(title)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path


def coverage_chart(
    *,
    path: Path,
    title: str,
    series: dict[str, Sequence[tuple[datetime, int, int]]],
    interval_minutes: int,
) -> Path:
    """Required vs scheduled agents per interval, one panel per queue. Naive local times."""
    queues = sorted(series)
    figure, axes = plt.subplots(
        len(queues), 1, figsize=(13, 2.8 * max(len(queues), 1)), dpi=110, squeeze=False
    )
    for axis, queue in zip(axes[:, 0], queues, strict=True):
        points = series[queue]
        if points:
            times, required, scheduled = zip(*points, strict=True)
            axis.fill_between(
                times, required, step="post", color="#f4b6b6", alpha=0.7, label="required"
            )
            axis.step(
                times, scheduled, where="post", color="#1f77b4", linewidth=1.1, label="scheduled"
            )
        axis.set_ylabel(f"agents / {interval_minutes} min")
        axis.set_title(queue, fontsize=9, loc="left")
        axis.set_ylim(bottom=0)
        axis.xaxis.set_major_locator(mdates.DayLocator())
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%a %d"))
        axis.grid(axis="x", color="#eeeeee")
        axis.legend(loc="upper right", fontsize=8)
    figure.suptitle(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path


def roster_gantt(
    *,
    path: Path,
    title: str,
    rows: Sequence[
        tuple[str, Sequence[tuple[datetime, datetime, str, Sequence[tuple[datetime, datetime]]]]]
    ],
) -> Path:
    """One line per person: shifts as bars coloured by queue or activity, breaks as gaps.
    `rows`: (label, [(start, end, colour key, [(break start, break end)])]), naive local."""
    keys = sorted({key for _, shifts in rows for _, _, key, _ in shifts})
    palette = plt.get_cmap("tab10")
    colours = {key: palette(i % 10) for i, key in enumerate(keys)}
    figure, axis = plt.subplots(figsize=(14, 0.22 * len(rows) + 1.6), dpi=110)
    for y, (_, shifts) in enumerate(rows):
        for start, end, key, breaks in shifts:
            axis.barh(
                y,
                mdates.date2num(end) - mdates.date2num(start),
                left=mdates.date2num(start),
                height=0.7,
                color=colours[key],
            )
            for b_start, b_end in breaks:
                axis.barh(
                    y,
                    mdates.date2num(b_end) - mdates.date2num(b_start),
                    left=mdates.date2num(b_start),
                    height=0.7,
                    color="white",
                )
    axis.set_yticks(range(len(rows)), [label for label, _ in rows], fontsize=6)
    axis.invert_yaxis()
    axis.xaxis_date()
    axis.xaxis.set_major_locator(mdates.DayLocator())
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%a %d"))
    axis.grid(axis="x", color="#dddddd")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[k]) for k in keys]
    axis.legend(handles, keys, loc="upper right", fontsize=7)
    axis.set_title(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path
