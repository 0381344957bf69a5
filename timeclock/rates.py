"""Pay rates by day: an employee's rate history as pay reads it (each rate from its first
local day), and the sentence a line priced by it carries when a period holds more than one
rate. Pure: no Django."""

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from organisation.sentences import Sentence, gettext_noop

RATE_SENTENCES = {
    "rate_in_force": gettext_noop("at {amount} an hour, the rate from {day}"),
}
# The pay codes priced by the hourly rate (fines and adjustments are not).
RATED_CODES = frozenset(
    {
        "REGULAR",
        "OVERTIME",
        "NIGHT_PREMIUM",
        "EVENING_PREMIUM",
        "WEEKEND_PREMIUM",
        "SATURDAY_PREMIUM",
        "SUNDAY_PREMIUM",
        "HOLIDAY_PREMIUM",
        "TRAINING",
    }
)
Line = TypeVar("Line")


@dataclass(frozen=True)
class RateSchedule:
    """Rates from their first local days, ascending; before the first, the first."""

    starts: tuple[date, ...]
    rates: tuple[Decimal, ...]

    @classmethod
    def flat(cls, rate: Decimal) -> "RateSchedule":
        return cls((date.min,), (rate,))

    def _index(self, day: date) -> int:
        return max(0, bisect_right(self.starts, day) - 1)

    def on(self, day: date) -> Decimal:
        """The rate in force on the local day `day`."""
        return self.rates[self._index(day)]

    def since(self, day: date) -> date:
        """The first day of the rate in force on `day`."""
        return self.starts[self._index(day)]

    def within(self, first: date, last: date) -> tuple[Decimal, ...]:
        """The rates in force on the days first..last, in order."""
        return self.rates[self._index(first) : self._index(last) + 1]

    def varies(self, first: date, last: date) -> bool:
        """Whether the days first..last are paid at more than one rate."""
        return len(set(self.within(first, last))) > 1


def rates_explained(lines: list[Line], rates: RateSchedule, first: date, last: date) -> list[Line]:
    """Where the days first..last hold more than one rate, each line priced by the rate says
    which rate and from when (the payslip shows why a period's hours are paid at two
    rates); otherwise the lines as they are."""
    if not rates.varies(first, last):
        return lines
    return [_explained(line, rates) for line in lines]


def _explained(line: Any, rates: RateSchedule) -> Any:
    day = line.work_date
    if day is None or str(line.pay_code) not in RATED_CODES:
        return line
    said = Sentence.of("rate_in_force", amount=rates.on(day), day=rates.since(day))
    return replace(line, reason=(*line.reason, said))


def lines_at_rates(
    *, rates: RateSchedule, first: date, last: date, price: Callable[[Decimal], list[Line]]
) -> list[Line]:
    """An employee's lines for the days first..last with each day at the rate in force on it.
    `price(rate)` gives the lines of the whole timesheet at one rate (so weekly overtime and
    the minimum-wage floor still count the whole week). One rate in the days: its lines.
    Several: each line priced by the rate (RATED_CODES, per shift and day) is taken from the
    lines at the rate of its day, and explained; the fines, and the floor that caps them,
    from the lines at the lowest of the rates (never more than the day's rate would take)."""
    within = rates.within(first, last)
    if len(set(within)) == 1:
        return price(within[0])
    runs = {rate: price(rate) for rate in sorted(set(within))}
    twins = {rate: _by_key(lines) for rate, lines in runs.items()}
    lines = []
    for line in runs[min(runs)]:
        day = getattr(line, "work_date", None)
        if day is not None and str(getattr(line, "pay_code", "")) in RATED_CODES:
            line = twins[rates.on(day)][_key(line)].pop(0)
        lines.append(line)
    return rates_explained(lines, rates, first, last)


def _key(line: Any) -> tuple[str, Any, Any, int]:
    return (str(line.pay_code), line.work_date, line.shift_id, line.minutes)


def _by_key(lines: list[Line]) -> dict[tuple[str, Any, Any, int], list[Line]]:
    found: dict[tuple[str, Any, Any, int], list[Line]] = {}
    for line in lines:
        found.setdefault(_key(line), []).append(line)
    return found


def rate_said(reason: Iterable[Mapping[str, Any]]) -> Decimal | None:
    """The rate in force on a frozen line's day, as its reason says where its period held
    more than one rate (the 'rate_in_force' sentence, as JSON); None where it held one (its
    lines carry no such sentence, so the exports keep their layout)."""
    for sentence in reason or ():
        if sentence.get("code") == "rate_in_force":
            return Decimal(str((sentence.get("values") or {})["amount"]))
    return None
