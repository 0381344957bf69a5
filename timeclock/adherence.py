"""Schedule adherence and conformance, minute by minute. Pure: numpy and the standard library.

Industry meanings (e.g. NICE, Verint, Calabrio; see the README):
- adherence = minutes in the scheduled state / scheduled minutes (when, not only how much);
- conformance = minutes worked / scheduled working minutes (how much, whenever it was).
The caller turns instants into minute offsets from the start of a window (a site-local day:
1380, 1440 or 1500 minutes around DST) and passes spans; everything here is integer minutes.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

DEFAULT_THRESHOLD_MINUTES = 5


class Planned(IntEnum):
    """What the published roster says for a minute (0: nothing scheduled)."""

    NONE = 0
    PHONE = 1
    BREAK = 2
    MEETING = 3  # meetings and coaching
    TRAINING = 4
    OTHER_WORK = 5  # back office: work away from the phones


class Actual(IntEnum):
    """What the operator did in a minute, from the ACD states (or punches when no feed)."""

    ABSENT = 0  # logged out, or no state and no punch
    PHONE = 1  # logged in, available, on a call, after-call work
    BREAK = 2
    MEETING = 3
    TRAINING = 4
    NOT_READY = 5  # logged in, not taking calls
    WORKING = 6  # clocked in (punches only: no ACD feed for this operator)


# For each planned activity, the actual states that are in adherence with it.
ADHERENT: dict[Planned, frozenset[Actual]] = {
    Planned.PHONE: frozenset({Actual.PHONE, Actual.WORKING}),
    Planned.BREAK: frozenset({Actual.BREAK, Actual.ABSENT}),
    Planned.MEETING: frozenset({Actual.MEETING, Actual.TRAINING, Actual.WORKING}),
    Planned.TRAINING: frozenset({Actual.TRAINING, Actual.MEETING, Actual.WORKING}),
    Planned.OTHER_WORK: frozenset(
        {Actual.NOT_READY, Actual.MEETING, Actual.TRAINING, Actual.WORKING}
    ),
}
WORKED: frozenset[Actual] = frozenset(Actual) - {Actual.ABSENT, Actual.BREAK}

# Lookup table planned x actual -> adherent, for the vectorised comparison.
_TABLE = np.zeros((len(Planned), len(Actual)), dtype=bool)
for _planned, _actuals in ADHERENT.items():
    for _actual in _actuals:
        _TABLE[_planned, _actual] = True
_WORKED = np.array([a in WORKED for a in Actual], dtype=bool)


class Span(NamedTuple):
    """[start_minute, end_minute) of the window in one activity or state; later spans
    overwrite earlier ones where they meet (breaks over their shift). A named tuple: a day
    of 500 operators is some 30,000 of them."""

    start_minute: int
    end_minute: int
    code: int  # a Planned or an Actual value


@dataclass(frozen=True)
class OperatorInput:
    key: str
    planned: Sequence[Span]
    actual: Sequence[Span]


@dataclass(frozen=True)
class OutOfAdherence:
    """A run of minutes out of adherence, at least the threshold long."""

    start_minute: int
    end_minute: int
    planned: Planned
    actual: Actual  # the most frequent state in the run
    ongoing: bool  # runs up to the end of what is judged (the live list)

    @property
    def minutes(self) -> int:
        return self.end_minute - self.start_minute


@dataclass(frozen=True)
class Figures:
    """Sums in minutes; the percentages are None when nothing was scheduled."""

    scheduled_minutes: int = 0
    adherent_minutes: int = 0
    scheduled_work_minutes: int = 0
    worked_minutes: int = 0

    @property
    def adherence_percent(self) -> float | None:
        if not self.scheduled_minutes:
            return None
        return 100.0 * self.adherent_minutes / self.scheduled_minutes

    @property
    def conformance_percent(self) -> float | None:
        if not self.scheduled_work_minutes:
            return None
        return 100.0 * self.worked_minutes / self.scheduled_work_minutes

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.scheduled_minutes + other.scheduled_minutes,
            self.adherent_minutes + other.adherent_minutes,
            self.scheduled_work_minutes + other.scheduled_work_minutes,
            self.worked_minutes + other.worked_minutes,
        )


@dataclass(frozen=True)
class OperatorAdherence:
    key: str
    figures: Figures
    events: tuple[OutOfAdherence, ...]


def _paint(spans: Sequence[Span], minutes: int) -> npt.NDArray[np.int8]:
    line = np.zeros(minutes, dtype=np.int8)
    for start, end, code in spans:
        start, end = max(start, 0), min(end, minutes)
        if end > start:
            line[start:end] = code
    return line


def _runs(out: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    edges = np.diff(np.concatenate(([0], out.view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def operator_adherence(
    operator: OperatorInput, *, minutes: int, judged_minutes: int, threshold_minutes: int
) -> OperatorAdherence:
    """Figures and out-of-adherence events of one operator over the first `judged_minutes`
    of a window of `minutes` (a past day: all of them; today: up to now)."""
    judged = max(0, min(judged_minutes, minutes))
    planned = _paint(operator.planned, minutes)[:judged]
    actual = _paint(operator.actual, minutes)[:judged]
    scheduled = planned != Planned.NONE
    adherent = _TABLE[planned, actual] & scheduled
    work = scheduled & (planned != Planned.BREAK)
    worked = _WORKED[actual]
    figures = Figures(
        scheduled_minutes=int(scheduled.sum()),
        adherent_minutes=int(adherent.sum()),
        scheduled_work_minutes=int(work.sum()),
        worked_minutes=int(worked.sum()),
    )
    events = []
    for start, end in _runs(scheduled & ~adherent):
        if end - start < threshold_minutes:
            continue
        states = np.bincount(actual[start:end], minlength=len(Actual))
        events.append(
            OutOfAdherence(
                start_minute=start,
                end_minute=end,
                planned=Planned(int(np.bincount(planned[start:end]).argmax())),
                actual=Actual(int(states.argmax())),
                ongoing=end == judged,
            )
        )
    return OperatorAdherence(operator.key, figures, tuple(events))


def adherence_compute(
    operators: Sequence[OperatorInput],
    *,
    minutes: int,
    judged_minutes: int,
    threshold_minutes: int = DEFAULT_THRESHOLD_MINUTES,
) -> list[OperatorAdherence]:
    """Every operator's adherence over one window, in the order given."""
    return [
        operator_adherence(
            o, minutes=minutes, judged_minutes=judged_minutes, threshold_minutes=threshold_minutes
        )
        for o in operators
    ]


def figures_total(rows: Sequence[Figures]) -> Figures:
    """A team's (or a period's) figures: minutes summed, so each minute weighs the same."""
    total = Figures()
    for row in rows:
        total = total + row
    return total


# --- Agent states to spans, and a period day by day ---------------------------------------

# An open state (no end) with no later state that day counts at most up to the end of the
# scheduled shift it began in (or began up to this long before), or this long after its start
# when it began outside any shift; past that it is unknown (as if no state), not worked.
OPEN_STATE_GRACE_MINUTES = 15

SOURCE_ACD = "acd"  # the day's figures come from the ACD's agent states
SOURCE_PUNCHES = "punches"  # no ACD state that day: from the punches
SOURCE_NONE = "none"  # neither: nothing known (absent if anything was scheduled)
SOURCE_MIXED = "mixed"  # a period of days of both sources


class StateRow(NamedTuple):
    """An agent state in minutes from the window's start: its end when the ACD sent one, and
    the start of the operator's next state (None: none read)."""

    start_minute: int
    end_minute: int | None
    next_minute: int | None
    code: int  # an Actual value


def _day_of(minute: int, day_starts: Sequence[int]) -> int:
    """Index of the day holding `minute` (-1: before the window)."""
    return bisect_right(day_starts, minute) - 1


def open_state_bound(
    start: int, shifts: Sequence[tuple[int, int]], grace: int = OPEN_STATE_GRACE_MINUTES
) -> int:
    """The latest minute an open state begun at `start` can count to, without a later state:
    the end of a scheduled shift it began in (or up to `grace` before it), else `grace` on."""
    bound = start + grace
    for shift_start, shift_end in shifts:
        if shift_start - grace <= start < shift_end:
            bound = max(bound, shift_end)
    return bound


def state_spans(
    states: Sequence[StateRow],
    *,
    shifts: Sequence[tuple[int, int]],
    day_starts: Sequence[int],
    judged_minutes: int,
    grace: int = OPEN_STATE_GRACE_MINUTES,
) -> list[Span]:
    """The actual spans of one operator's ACD states. A state with an end lasts to it; an
    open one to the next state when that begins the same local day (or within the bound),
    else to `open_state_bound`; nothing counts past `judged_minutes` (now)."""
    spans = []
    for start, end, following, code in states:
        if end is None:
            bound = open_state_bound(start, shifts, grace)
            same_day = following is not None and (
                _day_of(following, day_starts) == _day_of(start, day_starts)
            )
            end = following if following is not None and (same_day or following <= bound) else bound
        stop = min(end, judged_minutes)
        if stop > start:
            spans.append(Span(start, stop, code))
    return spans


@dataclass(frozen=True)
class DayAdherence:
    """One operator's local day: where its actuals came from, its figures and its events
    (their minutes from the window's start)."""

    index: int
    source: str  # SOURCE_ACD | SOURCE_PUNCHES | SOURCE_NONE
    figures: Figures
    events: tuple[OutOfAdherence, ...]


def has_spans(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether any span lies (in part) in [start, end)."""
    return any(s < end and e > start and e > s for s, e, _ in spans)


def _shifted(spans: Sequence[Span], by: int) -> list[Span]:
    return [Span(s - by, e - by, c) for s, e, c in spans]


def operator_days(
    key: str,
    planned: Sequence[Span],
    acd: Sequence[Span],
    punched: Sequence[Span],
    *,
    day_bounds: Sequence[tuple[int, int]],
    judged_minutes: int,
    threshold_minutes: int = DEFAULT_THRESHOLD_MINUTES,
) -> list[DayAdherence]:
    """Each day of the window on its own source: the ACD's states where that day has any,
    the punches otherwise (an operator whose ACD did not report one day is not absent that
    day). An event is cut at midnight; it is ongoing only on the day still being judged."""
    days = []
    for index, (day_start, day_end) in enumerate(day_bounds):
        length = day_end - day_start
        judged = max(0, min(judged_minutes - day_start, length))
        if has_spans(acd, day_start, day_end):
            source, actual = SOURCE_ACD, acd
        elif has_spans(punched, day_start, day_end):
            source, actual = SOURCE_PUNCHES, punched
        else:
            source, actual = SOURCE_NONE, []
        result = operator_adherence(
            OperatorInput(key, _shifted(planned, day_start), _shifted(actual, day_start)),
            minutes=length,
            judged_minutes=judged,
            threshold_minutes=threshold_minutes,
        )
        events = tuple(
            OutOfAdherence(
                ev.start_minute + day_start,
                ev.end_minute + day_start,
                ev.planned,
                ev.actual,
                ongoing=ev.ongoing and judged < length,
            )
            for ev in result.events
        )
        days.append(DayAdherence(index, source, result.figures, events))
    return days


def period_source(days: Sequence[DayAdherence]) -> str:
    """The source of a period: the one its days used (days that used none do not count), or
    SOURCE_MIXED when some used the ACD's states and others the punches."""
    used = {d.source for d in days} - {SOURCE_NONE}
    if len(used) > 1:
        return SOURCE_MIXED
    return used.pop() if used else SOURCE_NONE
