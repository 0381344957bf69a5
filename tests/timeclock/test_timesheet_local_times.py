"""The timesheet API gives times as the site's clocks showed them, with their offset and the
site's zone beside them (issue 23, item 5), across a DST change."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Org, client_for
from tests.factories.punches import past_shift, punch_make

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
SATURDAY = date(2026, 10, 31)  # the clocks go back at 02:00 on Sunday 1 November


def test_api_timesheet_gives_site_local_times_with_offset_and_zone(org: Org) -> None:
    # 22:00 to 06:00 by the wall clock (past_shift adds hours on the wall): 9 h elapsed.
    shift = past_shift(employee=org.op_b1, day=SATURDAY, hour=22, hours=8)
    punch_make(employee=org.op_b1, kind="in", at=shift.start + timedelta(minutes=2))
    punch_make(employee=org.op_b1, kind="out", at=shift.end)
    span = {"start": str(SATURDAY), "end": str(SATURDAY)}
    (row,) = client_for(org.op_b1.user).get("/api/v1/me/timesheet", span).json()
    assert row["timezone"] == "America/New_York"
    assert row["work_date"] == "2026-10-31"
    assert row["scheduled_start"] == "2026-10-31T22:00:00-04:00"
    # Nine hours later by the clock on the wall it is 06:00, an hour behind summer time.
    assert row["scheduled_end"] == "2026-11-01T06:00:00-05:00"
    assert row["clock_in"] == "2026-10-31T22:02:00-04:00"
    assert row["clock_out"] == "2026-11-01T06:00:00-05:00"
    assert datetime.fromisoformat(row["scheduled_end"]) == datetime.combine(
        date(2026, 11, 1), time(6), tzinfo=NEW_YORK
    )
    assert row["worked_minutes"] == 9 * 60 - 2
