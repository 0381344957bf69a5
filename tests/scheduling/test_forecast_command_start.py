"""`manage.py forecast --start` with an offset on a wall-clock history (issue 26 review): the
start means a local wall time of the history, not an instant converted into UTC; --timezone
converts it into the history's zone; a start off the grid is bad_interval."""

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FLAT = np.r_[np.zeros(16), np.full(24, 20.0), np.zeros(8)]


def _history_file(path: Path, *, until: datetime, busy: float = 1.5) -> Path:
    rows = ["interval_start,calls,aht_seconds"]
    moment = datetime.combine(until.date() - timedelta(days=41), datetime.min.time())
    while moment < until:
        half_hour = moment.hour * 2 + moment.minute // 30
        scale = busy if moment.date() == until.date() else 1.0
        rows.append(f"{moment:%Y-%m-%d %H:%M},{FLAT[half_hour] * scale:g},180")
        moment += timedelta(minutes=30)
    path.write_text("\n".join(rows) + "\n")
    return path


def _run(tmp_path: Path, start: str, *extra: str) -> list[str]:
    history = _history_file(tmp_path / "h.csv", until=datetime(1999, 3, 3, 13, 0))  # noqa: DTZ001
    output = tmp_path / "out.csv"
    call_command(
        "forecast", "--history", str(history), "--start", start, "--days", "1",
        "--interval-minutes", "30", "--output", str(output), *extra,
    )  # fmt: skip
    return output.read_text().splitlines()


def test_an_offset_on_a_wall_clock_history_means_its_own_wall_time(tmp_path: Path) -> None:
    lines = _run(tmp_path, "1999-03-03T13:00+02:00")
    assert lines[1].startswith("1999-03-03 13:00,")
    assert lines == _run(tmp_path, "1999-03-03T13:00")


def test_with_timezone_the_start_is_converted_into_the_historys_zone(tmp_path: Path) -> None:
    lines = _run(tmp_path, "1999-03-03T12:00+00:00", "--timezone", "Europe/Amsterdam")
    assert lines[1].startswith("1999-03-03 13:00,")  # 12:00 UTC is 13:00 in Amsterdam (CET)


def test_an_off_grid_start_is_bad_interval(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bad_interval"):
        _run(tmp_path, "1999-03-03T13:10")
    with pytest.raises(CommandError, match="bad_interval"):
        _run(tmp_path, "1999-03-03T13:10+01:00")


def test_an_unknown_timezone_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bad_timezone"):
        _run(tmp_path, "1999-03-03T13:00", "--timezone", "Mars/Olympus")
