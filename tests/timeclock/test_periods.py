"""Pay period boundaries for each frequency."""

from datetime import date

import pytest

from timeclock.periods import next_period


@pytest.mark.parametrize(
    ("frequency", "after", "expected"),
    [
        ("weekly", date(2026, 6, 7), (date(2026, 6, 8), date(2026, 6, 14))),
        ("biweekly", date(2026, 6, 14), (date(2026, 6, 15), date(2026, 6, 28))),
        ("semimonthly", date(2026, 2, 15), (date(2026, 2, 16), date(2026, 2, 28))),
        ("semimonthly", date(2026, 2, 28), (date(2026, 3, 1), date(2026, 3, 15))),
        ("monthly", date(2024, 1, 31), (date(2024, 2, 1), date(2024, 2, 29))),
        ("monthly", None, (date(2026, 6, 1), date(2026, 6, 30))),
        ("semimonthly", date(2026, 3, 10), (date(2026, 3, 11), date(2026, 3, 15))),
    ],
)
def test_next_period(frequency: str, after: date | None, expected: tuple[date, date]) -> None:
    assert next_period(frequency, after=after, anchor=date(2026, 6, 1)) == expected


def test_unknown_frequencies_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown pay frequency"):
        next_period("daily", after=None, anchor=date(2026, 6, 1))
