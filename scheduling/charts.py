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
