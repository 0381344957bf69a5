"""Read a Curtois & Qu (2014) instance file into the roster engine's Problem, refusing bad input.

Shift types become templates (no clock times: rest is the CannotFollow lists), the staff
table contracts, cover lines headcount demand, requests requests. Anything malformed, unknown
or contradictory raises InstanceError naming the line, before anything is solved. Shares no
code with bench/curtois_eval.py, the independent checker.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from scheduling.solver.model import (
    Contract,
    Employee,
    HeadcountDemand,
    Problem,
    Request,
    ShiftTemplate,
    Weights,
)

HORIZON = "SECTION_HORIZON"
SHIFTS = "SECTION_SHIFTS"
STAFF = "SECTION_STAFF"
DAYS_OFF = "SECTION_DAYS_OFF"
ON_REQUESTS = "SECTION_SHIFT_ON_REQUESTS"
OFF_REQUESTS = "SECTION_SHIFT_OFF_REQUESTS"
COVER = "SECTION_COVER"
KNOWN = (HORIZON, SHIFTS, STAFF, DAYS_OFF, ON_REQUESTS, OFF_REQUESTS, COVER)
REQUIRED = (HORIZON, SHIFTS, STAFF, COVER)


class InstanceError(ValueError):
    """A Curtois file that cannot be read as it is; `line` is 1-based (0: the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass(frozen=True)
class Row:
    line: int
    fields: list[str]

    def ints(self, start: int, what: str, *, minimum: int = 0) -> list[int]:
        """fields[start:] as integers of at least `minimum`."""
        values = []
        for text in self.fields[start:]:
            try:
                value = int(text)
            except ValueError:
                raise InstanceError(self.line, f"{what}: {text!r} is not a whole number") from None
            if value < minimum:
                raise InstanceError(self.line, f"{what}: {value} is below {minimum}")
            values.append(value)
        return values


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        yield number, raw.strip()


def sections(text: str) -> dict[str, list[Row]]:
    """Section name -> its data rows. Unknown or repeated sections, data outside a section
    and a file that stops before its last required section are errors."""
    found: dict[str, list[Row]] = {}
    current: str | None = None
    last = 0
    for number, line in _lines(text):
        if line:
            last = number
        if not line or line.startswith("#"):
            if not line and current is not None and found[current]:
                current = None  # a blank line ends a section (after its first row)
            continue
        if line.startswith("SECTION_"):
            if line not in KNOWN:
                raise InstanceError(number, f"unknown section {line}")
            if line in found:
                raise InstanceError(number, f"section {line} appears twice")
            current = line
            found[current] = []
        elif current is None:
            raise InstanceError(number, f"data outside any section: {line!r}")
        else:
            found[current].append(Row(number, [f.strip() for f in line.split(",")]))
    missing = [name for name in REQUIRED if not found.get(name)]
    if missing:
        raise InstanceError(
            last, f"the file ends without {', '.join(missing)} (truncated or incomplete?)"
        )
    return found


def _width(row: Row, section: str, count: int, *, at_least: bool = False) -> None:
    n = len(row.fields)
    if n < count or (n > count and not at_least):
        raise InstanceError(row.line, f"{section} expects {count} fields, got {n}")


@dataclass
class _Reader:
    """The instance read so far, with what later sections check against."""

    days: int = 0
    lengths: dict[str, int] | None = None
    staff_lines: dict[str, int] | None = None

    def day(self, row: Row, text: str) -> int:
        (day,) = Row(row.line, [text]).ints(0, "day")
        if day >= self.days:
            raise InstanceError(row.line, f"day {day} is outside the horizon 0..{self.days - 1}")
        return day

    def shift(self, row: Row, name: str, what: str = "shift type") -> str:
        if name not in (self.lengths or {}):
            raise InstanceError(row.line, f"{what} {name!r} is not defined in {SHIFTS}")
        return name

    def employee(self, row: Row, name: str) -> str:
        if name not in (self.staff_lines or {}):
            raise InstanceError(row.line, f"employee {name!r} is not in {STAFF}")
        return name


def read_problem(text: str) -> Problem:
    """The instance as the engine's Problem; raises InstanceError on bad input."""
    found = sections(text)
    horizon = found[HORIZON]
    _width(horizon[0], HORIZON, 1)
    if len(horizon) > 1:
        raise InstanceError(horizon[1].line, f"{HORIZON} holds one number")
    reader = _Reader(days=horizon[0].ints(0, "horizon", minimum=1)[0])
    templates, forbidden = _shifts(found[SHIFTS], reader)
    days_off = _days_off(found.get(DAYS_OFF, []), found[STAFF], reader)
    employees = _staff(found[STAFF], reader, days_off)
    requests = [
        request
        for section, on in ((ON_REQUESTS, True), (OFF_REQUESTS, False))
        for request in _requests(found.get(section, []), section, on, reader)
    ]
    return Problem(
        days=reader.days,
        first_weekday=0,  # every instance starts on a Monday
        interval_minutes=60,
        templates=templates,
        employees=employees,
        headcount_demand=_cover(found[COVER], reader),
        forbidden_transitions=frozenset(forbidden),
        requests=tuple(requests),
        weights=Weights(request=1),
        min_runs_exempt_at_borders=True,
    )


def _shifts(
    rows: list[Row], reader: _Reader
) -> tuple[tuple[ShiftTemplate, ...], set[tuple[str, str]]]:
    reader.lengths = {}
    followers: list[tuple[Row, str, list[str]]] = []
    for row in rows:
        fields = row.fields + [""] * (3 - len(row.fields))  # the last field may be left off
        _width(Row(row.line, fields), SHIFTS, 3)
        name = fields[0]
        if not name or name in reader.lengths:
            raise InstanceError(row.line, f"empty or repeated shift type {name!r}")
        reader.lengths[name] = Row(row.line, fields[1:2]).ints(0, "length", minimum=1)[0]
        followers.append((row, name, [s.strip() for s in fields[2].split("|") if s.strip()]))
    forbidden = {
        (name, reader.shift(row, later, "CannotFollow shift type"))
        for row, name, laters in followers
        for later in laters
    }
    templates = tuple(
        ShiftTemplate(id=name, earliest_start_minute=0, latest_start_minute=0,
                      lengths_minutes=(length,))
        for name, length in reader.lengths.items()
    )  # fmt: skip
    return templates, forbidden


def _days_off(rows: list[Row], staff: list[Row], reader: _Reader) -> dict[str, frozenset[int]]:
    reader.staff_lines = {}
    for row in staff:
        name = row.fields[0]
        if not name or name in reader.staff_lines:
            raise InstanceError(row.line, f"empty or repeated employee {name!r}")
        reader.staff_lines[name] = row.line
    result: dict[str, frozenset[int]] = {}
    for row in rows:
        who = reader.employee(row, row.fields[0])
        days = {reader.day(row, text) for text in row.fields[1:] if text}
        result[who] = result.get(who, frozenset()) | days
    return result


def _staff(
    rows: list[Row], reader: _Reader, days_off: dict[str, frozenset[int]]
) -> tuple[Employee, ...]:
    employees = []
    for row in rows:
        _width(row, STAFF, 8)
        name, per_type = row.fields[0], row.fields[1]
        limits = row.ints(2, "staff limit")
        maximums = _type_maximums(row, per_type, reader)
        contract = Contract(
            max_minutes_total=limits[0],
            min_minutes_total=limits[1],
            max_consecutive_days=limits[2],
            min_consecutive_days=limits[3],
            min_consecutive_days_off=limits[4],
            max_weekends=limits[5],
            max_shifts_per_template=tuple(maximums.items()),
            min_rest_minutes=0,
        )
        unavailable = days_off.get(name, frozenset())
        _refuse_contradictions(row, contract, reader, len(unavailable))
        employees.append(Employee(id=name, contract=contract, unavailable_days=unavailable))
    return tuple(employees)


def _type_maximums(row: Row, text: str, reader: _Reader) -> dict[str, int]:
    maximums: dict[str, int] = {}
    for part in (p.strip() for p in text.split("|") if p.strip()):
        key, sep, value = part.partition("=")
        if not sep:
            raise InstanceError(row.line, f"MaxShifts entry {part!r} is not ShiftID=max")
        shift = reader.shift(row, key.strip(), "MaxShifts shift type")
        if shift in maximums:
            raise InstanceError(row.line, f"MaxShifts names {shift} twice")
        maximums[shift] = Row(row.line, [value.strip()]).ints(0, f"MaxShifts for {shift}")[0]
    return maximums


def _refuse_contradictions(row: Row, c: Contract, reader: _Reader, days_off: int) -> None:
    """Limits no roster of this employee can meet, whatever the cover."""
    who = f"employee {row.fields[0]}"
    if (c.min_minutes_total or 0) > (c.max_minutes_total or 0):
        raise InstanceError(
            row.line,
            f"{who}: MinTotalMinutes {c.min_minutes_total} above MaxTotalMinutes "
            f"{c.max_minutes_total}",
        )
    if (c.min_consecutive_days or 0) > (c.max_consecutive_days or 0):
        raise InstanceError(
            row.line,
            f"{who}: MinConsecutiveShifts {c.min_consecutive_days} above MaxConsecutiveShifts "
            f"{c.max_consecutive_days}",
        )
    most = _most_minutes(c, reader.lengths or {}, reader.days - days_off)
    if (c.min_minutes_total or 0) > most:
        raise InstanceError(
            row.line,
            f"{who}: MinTotalMinutes {c.min_minutes_total} but at most {most} can be worked "
            f"(MaxShifts per type and {reader.days - days_off} days not off)",
        )


def _most_minutes(c: Contract, lengths: dict[str, int], days: int) -> int:
    """Minutes of the longest shifts the per-type maximums allow on `days` days."""
    caps = dict(c.max_shifts_per_template)
    most = 0
    for shift, length in sorted(lengths.items(), key=lambda item: -item[1]):
        take = min(days, caps.get(shift, days))
        most += take * length
        days -= take
    return most


def _requests(rows: list[Row], section: str, on: bool, reader: _Reader) -> list[Request]:
    result = []
    for row in rows:
        _width(row, section, 4)
        who, day, shift, _ = row.fields
        result.append(
            Request(
                employee=reader.employee(row, who),
                day=reader.day(row, day),
                on=on,
                weight=row.ints(3, "weight")[0],
                template=reader.shift(row, shift),
            )
        )
    return result


def _cover(rows: list[Row], reader: _Reader) -> tuple[HeadcountDemand, ...]:
    cover = []
    for row in rows:
        _width(row, COVER, 5)
        requirement, under, over = row.ints(2, "requirement or weight")
        cover.append(
            HeadcountDemand(
                day=reader.day(row, row.fields[0]),
                template=reader.shift(row, row.fields[1]),
                required=requirement,
                under_weight=under,
                over_weight=over,
            )
        )
    last_day = max(line.day for line in cover)
    if last_day < reader.days - 1:
        raise InstanceError(
            rows[-1].line,
            f"{COVER} stops at day {last_day} of a {reader.days}-day horizon (truncated?)",
        )
    return tuple(cover)
