"""The day view's geometry: the axis around the shifts, bars with breaks cut out, and the
cover chart's gap shaded only where scheduled is short of required (or over)."""

from web.day_page import Axis, bar_pieces, cover_chart, day_axis, window_chart


def test_the_axis_is_whole_hours_around_the_shifts_inside_the_day() -> None:
    assert day_axis([(8 * 60 + 30, 17 * 60 + 15)]) == Axis(8 * 60, 18 * 60)
    assert day_axis([(22 * 60, 30 * 60)]) == Axis(22 * 60, 24 * 60)  # a night shift: cut at 24
    assert day_axis([]) == Axis(6 * 60, 22 * 60)


def test_a_bar_is_work_pieces_with_its_break_cut_out() -> None:
    pieces = bar_pieces(Axis(8 * 60, 18 * 60), 9 * 60, 17 * 60, [(13 * 60, 13 * 60 + 30)], "q0")
    assert [p.css for p in pieces] == ["work q0", "brk", "work q0"]
    assert pieces[1].style == "left:50.00%;width:5.00%"


def test_the_gap_is_shaded_where_scheduled_is_short_and_where_it_is_over() -> None:
    required = [0] * 8 + [2, 2, 2, 2] + [0] * 12
    scheduled = [0] * 8 + [2, 1, 1, 3] + [0] * 12
    chart = cover_chart(
        required=required, scheduled=scheduled, interval_minutes=60, axis=Axis(8 * 60, 12 * 60)
    )
    assert len(chart.under) == 1  # hours 9 and 10, one run
    assert len(chart.over) == 1  # hour 11
    assert [h.label for h in chart.hits] == ["08:00", "09:00", "10:00", "11:00"]
    window = window_chart(
        days=[("Mon 7", [1, 1], [1, 0]), ("Tue 8", [1, 1], [1, 1])],
        interval_minutes=60,
        first_minute=0,
        last_minute=120,
    )
    assert len(window.under) == 1
    assert [label for label, _x in window.x_labels] == ["Mon 7", "Tue 8"]
