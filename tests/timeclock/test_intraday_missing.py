"""Missing ACD intervals are missing, not zero (issue 26 review): the reforecast updates from the
intervals whose figures arrived, the table shows a dash for the others, the service level so far
counts only intervals with figures, and a queue without any feed keeps its plan."""

from datetime import date

import numpy as np
import pytest

from scheduling.reforecast import GAP_INTERVALS, level_update, reforecast
from tests.conftest import Org
from tests.factories.intraday import intraday_scene, local
from timeclock.models import AcdInterval
from timeclock.selectors.intraday import intraday_day

DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"
FLAT = np.r_[np.zeros(16), np.full(24, 20.0), np.zeros(8)]


# --- Pure --------------------------------------------------------------------------------------


def test_a_missing_interval_is_left_out_of_the_level_not_read_as_zero() -> None:
    morning = 1.4 * FLAT[:26]
    holed = morning.copy()
    holed[20] = np.nan
    complete, missing = level_update(morning, FLAT), level_update(holed, FLAT)
    assert missing.base_so_far == pytest.approx(complete.base_so_far - 20.0)
    assert missing.actual_so_far == pytest.approx(complete.actual_so_far - 28.0)
    assert missing.ratio == pytest.approx(1.4)
    zero = morning.copy()
    zero[20] = 0.0
    assert level_update(zero, FLAT).ratio < missing.ratio


def test_missing_intervals_in_a_row_are_not_a_recorded_gap() -> None:
    holed = 1.4 * FLAT[:26]
    holed[18 : 18 + GAP_INTERVALS] = np.nan
    update = level_update(holed, FLAT)
    assert not update.gap
    assert update.multiplier_today > 1.0


def test_a_missing_elapsed_interval_is_reestimated_not_zero() -> None:
    holed = 1.4 * FLAT[:26]
    holed[20] = np.nan
    result = reforecast(np.vstack([FLAT, FLAT]), holed)
    assert result.calls[0, 20] == pytest.approx(20.0 * result.update.multiplier_today)
    assert result.calls[0, 19] == pytest.approx(28.0)


def test_no_figures_at_all_keep_the_plan() -> None:
    update = level_update(np.full(26, np.nan), FLAT)
    assert (update.multiplier_today, update.weight, update.gap) == (1.0, 0.0, False)


# --- The selector and the page -----------------------------------------------------------------


@pytest.mark.django_db
def test_one_interval_of_feed_lag_does_not_move_the_reforecast(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, busy=1.0)
    on_time = intraday_day(queue=scene.queue, now=local(DAY, 13, 10, TZ))
    lagging = intraday_day(queue=scene.queue, now=local(DAY, 13, 40, TZ))  # 13:00 not in yet
    assert lagging.update.multiplier_today == on_time.update.multiplier_today
    one = next(i for i in lagging.intervals if i.start == local(DAY, 13, 0, TZ))
    assert one.ended
    assert one.missing
    assert one.offered is None
    assert one.reforecast_calls == pytest.approx(20.0 * lagging.update.multiplier_today)
    assert lagging.intervals_received == 10  # 08:00-13:00
    assert lagging.received_until == local(DAY, 13, 0, TZ)
    assert lagging.intervals_missing == 1
    assert lagging.service_level_so_far == on_time.service_level_so_far


@pytest.mark.django_db
def test_a_hole_in_the_morning_is_left_out_of_the_level_and_the_service_level(org: Org) -> None:
    scene = intraday_scene(team=org.team_a, people=[org.op_a1, org.op_a2], day=DAY, busy=1.5)
    AcdInterval.objects.filter(queue=scene.queue, interval_start=local(DAY, 10, 0, TZ)).delete()
    result = intraday_day(queue=scene.queue, now=scene.now)
    assert result.update.actual_so_far == 9 * 30
    assert result.update.base_so_far == 9 * 20
    assert result.update.ratio == pytest.approx(1.5)
    assert result.service_level_so_far == pytest.approx((30 - 3 - 5) / 30)
    ten = next(i for i in result.intervals if i.start == local(DAY, 10, 0, TZ))
    assert ten.missing
    assert ten.reforecast_calls > 20.0
