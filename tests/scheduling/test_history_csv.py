"""History files: both layouts, interval detection, and bad rows reported by line number."""

import pytest

from scheduling.errors import HistoryFileError
from scheduling.history_csv import read_history

BANK_HEADER = (
    "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,"
    "q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server\n"
)


def bank_row(entry: str, outcome: str, ser_time: int) -> str:
    return (
        f"AA0101,1,0,0,PS,1999-08-02,{entry},{entry},5,{entry},{entry},3,{outcome},"
        f"0:00:00,0:00:00,{ser_time},X\n"
    )


def test_interval_counts_with_aht() -> None:
    text = "interval_start,calls,aht_seconds\n2026-03-02 08:00,10,200\n2026-03-02 08:15,4,\n"
    counts = read_history(text)
    assert counts.interval_minutes == 15
    assert counts.layout == "interval_counts"
    frame = counts.frame
    assert frame["calls"].tolist() == [10.0, 4.0]
    assert frame["handle_seconds"].tolist() == [2000.0, 0.0]
    assert frame["handled_calls"].tolist() == [10.0, 0.0]


def test_extra_columns_and_bom_are_tolerated() -> None:
    text = (
        "\ufeffinterval_start,date,calls\n1999-01-01 00:00,1999-01-01,2.0\n1999-01-01 00:06,x,0\n"
    )
    counts = read_history(text.encode())
    assert counts.interval_minutes == 6
    assert counts.frame["calls"].sum() == 2.0


def test_anonymous_bank_per_call_layout() -> None:
    text = (
        BANK_HEADER
        + bank_row("8:01:10", "AGENT", 100)
        + bank_row("8:07:00", "HANG", 0)  # abandoned: offered, not handled
        + bank_row("8:14:59", "AGENT", 300)
        + bank_row("8:16:00", "PHANTOM", 0)  # ignored
        + bank_row("8:31:00", "AGENT", 60)
    )
    counts = read_history(text, interval_minutes=15)
    assert counts.layout == "anonymous_bank"
    rows = counts.frame.set_index(counts.frame["interval_start"].dt.strftime("%H:%M"))
    assert rows.loc["08:00", "calls"] == 3
    assert rows.loc["08:00", "handled_calls"] == 2
    assert rows.loc["08:00", "handle_seconds"] == 400
    assert rows.loc["08:30", "calls"] == 1
    assert "08:15" not in rows.index


def test_generic_per_call_layout_with_offsets() -> None:
    text = (
        "arrived_at,handle_seconds,abandoned\n"
        "2026-03-29T01:59:00+01:00,120,no\n"
        "2026-03-29T03:01:00+02:00,0,yes\n"
    )
    counts = read_history(text, interval_minutes=30)
    assert counts.frame["calls"].sum() == 2
    assert counts.frame["handled_calls"].sum() == 1
    assert str(counts.frame["interval_start"].dt.tz) == "UTC"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("interval_start,calls\n", "no rows"),
        ("when,how_many\n2026-01-01 00:00,3\n", "Unknown columns"),
    ],
)
def test_unusable_files_are_refused(text: str, expected: str) -> None:
    with pytest.raises(HistoryFileError, match=expected):
        read_history(text)


def test_bad_rows_are_reported_with_line_numbers() -> None:
    text = (
        "interval_start,calls\n"
        "2026-03-02 08:00,10\n"
        "2026-03-02 08:30,-3\n"
        "2026-03-02 09:00,ten\n"
        "yesterday,4\n"
        "2026-03-02 08:00,7\n"
    )
    with pytest.raises(HistoryFileError) as caught:
        read_history(text)
    found = {(e.line, e.message) for e in caught.value.errors}
    assert (3, "calls is negative") in found
    assert (4, "calls is not a number") in found
    assert (5, "interval_start is not a date and time") in found
    assert (6, "duplicate interval_start") in found
    assert "line 3" in str(caught.value)


def test_rows_off_the_interval_grid_are_refused() -> None:
    text = "interval_start,calls\n2026-03-02 08:00,1\n2026-03-02 08:30,1\n2026-03-02 08:45,1\n"
    counts = read_history(text)  # 15-minute grid with a gap is fine
    assert counts.interval_minutes == 15
    # 15-minute steps that do not start on the quarter hour cannot be placed on a day grid.
    with pytest.raises(HistoryFileError) as caught:
        read_history("interval_start,calls\n2026-03-02 08:07,1\n2026-03-02 08:22,1\n")
    assert [e.line for e in caught.value.errors] == [2, 3]


def test_mixed_offsets_and_naive_times_are_refused() -> None:
    text = "interval_start,calls\n2026-03-02T08:00:00+01:00,1\n2026-03-02 08:30,1\n"
    with pytest.raises(HistoryFileError) as caught:
        read_history(text)
    assert caught.value.errors[0].line == 2
