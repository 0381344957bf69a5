"""Independent checker for Curtois & Qu (2014) shift scheduling rosters.

Parses an instance file, checks a roster against every hard rule and scores the published objective.
"""

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PENALTY_KEYS: tuple[str, ...] = ("on_requests", "off_requests", "under_cover", "over_cover")
SECTIONS: frozenset[str] = frozenset(
    {
        "SECTION_HORIZON",
        "SECTION_SHIFTS",
        "SECTION_STAFF",
        "SECTION_DAYS_OFF",
        "SECTION_SHIFT_ON_REQUESTS",
        "SECTION_SHIFT_OFF_REQUESTS",
        "SECTION_COVER",
    }
)


@dataclass(frozen=True)
class Shift:
    ident: str
    minutes: int
    cannot_follow: frozenset[str]


@dataclass(frozen=True)
class Staff:
    ident: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class Instance:
    horizon: int
    shifts: dict[str, Shift]
    staff: dict[str, Staff]
    days_off: dict[str, frozenset[int]]
    on_requests: list[Request]
    off_requests: list[Request]
    cover: list[Cover]


@dataclass(frozen=True)
class Evaluation:
    objective: int
    violations: list[str]
    penalties: dict[str, int]


def _sections(text: str) -> dict[str, list[tuple[int, list[str]]]]:
    """Split the text into sections of (line number, comma-separated fields) rows."""
    found: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            current = None
            continue
        if line in SECTIONS:
            if line in found:
                raise ValueError(f"line {number}: section {line} appears twice")
            current = line
            found[line] = []
            continue
        if line.startswith("SECTION_"):
            raise ValueError(f"line {number}: unknown section {line}")
        if current is None:
            raise ValueError(f"line {number}: data outside any section: {line!r}")
        found[current].append((number, [field.strip() for field in line.split(",")]))
    missing = sorted(SECTIONS - found.keys())
    if missing:
        raise ValueError(f"missing sections: {', '.join(missing)}")
    return found


def _int(value: str, number: int, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"line {number}: {what} is not an integer: {value!r}") from None


def _fields(row: list[str], count: int, number: int, section: str) -> list[str]:
    if len(row) != count:
        raise ValueError(f"line {number}: {section} expects {count} fields, got {len(row)}")
    return row


def _split_bar(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def parse_instance(text: str) -> Instance:
    """Parse and cross-check an instance; raise ValueError on anything malformed."""
    sections = _sections(text)

    horizon_rows = sections["SECTION_HORIZON"]
    if len(horizon_rows) != 1 or len(horizon_rows[0][1]) != 1:
        raise ValueError("SECTION_HORIZON must hold exactly one number")
    horizon = _int(horizon_rows[0][1][0], horizon_rows[0][0], "horizon")
    if horizon <= 0:
        raise ValueError(f"horizon must be positive, got {horizon}")

    def day_of(value: str, number: int) -> int:
        day = _int(value, number, "day")
        if not 0 <= day < horizon:
            raise ValueError(f"line {number}: day {day} outside horizon 0..{horizon - 1}")
        return day

    shifts: dict[str, Shift] = {}
    follow_lines: dict[str, int] = {}
    for number, row in sections["SECTION_SHIFTS"]:
        if len(row) == 2:  # tolerate a line without the trailing comma
            row = [*row, ""]
        ident, minutes, follow = _fields(row, 3, number, "SECTION_SHIFTS")
        if not ident or ident in shifts:
            raise ValueError(f"line {number}: empty or duplicate shift id {ident!r}")
        shifts[ident] = Shift(ident, _int(minutes, number, "length"), frozenset(_split_bar(follow)))
        follow_lines[ident] = number
    for ident, entry in shifts.items():
        unknown = entry.cannot_follow - shifts.keys()
        if unknown:
            raise ValueError(
                f"line {follow_lines[ident]}: shift {ident} cannot-follow names unknown shifts "
                f"{sorted(unknown)}"
            )

    def shift_of(value: str, number: int) -> str:
        if value not in shifts:
            raise ValueError(f"line {number}: unknown shift id {value!r}")
        return value

    staff: dict[str, Staff] = {}
    for number, row in sections["SECTION_STAFF"]:
        ident, limits, *numbers = _fields(row, 8, number, "SECTION_STAFF")
        if not ident or ident in staff:
            raise ValueError(f"line {number}: empty or duplicate employee id {ident!r}")
        max_shifts: dict[str, int] = {}
        for part in _split_bar(limits):
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"line {number}: MaxShifts entry {part!r} is not Shift=max")
            key = shift_of(key.strip(), number)
            if key in max_shifts:
                raise ValueError(f"line {number}: MaxShifts repeats shift {key}")
            max_shifts[key] = _int(value.strip(), number, f"MaxShifts for {key}")
        values = [_int(value, number, "staff limit") for value in numbers]
        staff[ident] = Staff(ident, max_shifts, *values)

    def employee_of(value: str, number: int) -> str:
        if value not in staff:
            raise ValueError(f"line {number}: unknown employee id {value!r}")
        return value

    days_off: dict[str, frozenset[int]] = {}
    for number, row in sections["SECTION_DAYS_OFF"]:
        employee = employee_of(row[0], number)
        days = {day_of(value, number) for value in row[1:] if value}
        days_off[employee] = days_off.get(employee, frozenset()) | days

    def requests(section: str) -> list[Request]:
        result: list[Request] = []
        for number, row in sections[section]:
            employee, day, shift, weight = _fields(row, 4, number, section)
            result.append(
                Request(
                    employee_of(employee, number),
                    day_of(day, number),
                    shift_of(shift, number),
                    _int(weight, number, "weight"),
                )
            )
        return result

    cover: list[Cover] = []
    for number, row in sections["SECTION_COVER"]:
        day, shift, requirement, under, over = _fields(row, 5, number, "SECTION_COVER")
        cover.append(
            Cover(
                day_of(day, number),
                shift_of(shift, number),
                _int(requirement, number, "requirement"),
                _int(under, number, "under weight"),
                _int(over, number, "over weight"),
            )
        )

    return Instance(
        horizon=horizon,
        shifts=shifts,
        staff=staff,
        days_off=days_off,
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=cover,
    )


def _runs(worked: Sequence[bool], value: bool) -> Iterator[tuple[int, int]]:
    """Yield (first, last) day of every maximal run where worked[day] == value."""
    start: int | None = None
    for day, flag in enumerate(worked):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            yield start, day - 1
            start = None
    if start is not None:
        yield start, len(worked) - 1


def _span(first: int, last: int) -> str:
    return f"day {first}" if first == last else f"days {first}-{last}"


def _normalise(
    instance: Instance, roster: Mapping[str, Sequence[str | None]], violations: list[str]
) -> dict[str, list[str | None]]:
    """One list of length horizon per instance employee; format problems become violations.

    Entries that are not a known shift id count as days off; a short list is padded with days
    off and a long one is cut to the horizon, so that the rest of the roster can still be scored.
    """
    horizon = instance.horizon
    for employee in sorted(set(roster) - instance.staff.keys()):
        violations.append(f"employee {employee}: format: not an employee of the instance")
    plans: dict[str, list[str | None]] = {}
    for employee in instance.staff:
        given = roster.get(employee)
        if given is None:
            plans[employee] = [None] * horizon
            continue
        if isinstance(given, str) or not isinstance(given, Sequence):
            violations.append(f"employee {employee}: format: roster entry is not a list")
            plans[employee] = [None] * horizon
            continue
        if len(given) != horizon:
            violations.append(
                f"employee {employee}: format: {len(given)} days given, horizon is {horizon}"
            )
        plan: list[str | None] = []
        for day in range(horizon):
            value = given[day] if day < len(given) else None
            if value is not None and (not isinstance(value, str) or value not in instance.shifts):
                violations.append(
                    f"employee {employee}: format: day {day}: unknown shift id {value!r}"
                )
                value = None
            plan.append(value)
        plans[employee] = plan
    return plans


def _check_employee(
    instance: Instance, staff: Staff, plan: list[str | None], violations: list[str]
) -> None:
    horizon = instance.horizon
    who = f"employee {staff.ident}"
    worked = [shift is not None for shift in plan]

    for day in sorted(instance.days_off.get(staff.ident, frozenset())):
        if plan[day] is not None:
            violations.append(f"{who}: days_off: works shift {plan[day]} on day off {day}")

    for day in range(horizon - 1):
        today, tomorrow = plan[day], plan[day + 1]
        if (
            today is not None
            and tomorrow is not None
            and tomorrow in instance.shifts[today].cannot_follow
        ):
            violations.append(
                f"{who}: cannot_follow: shift {tomorrow} on day {day + 1} "
                f"after shift {today} on day {day}"
            )

    for shift in instance.shifts:
        count = sum(1 for value in plan if value == shift)
        limit = staff.max_shifts.get(shift)
        if limit is not None and count > limit:
            violations.append(f"{who}: max_shifts: {count} shifts of type {shift} (max {limit})")

    minutes = sum(instance.shifts[value].minutes for value in plan if value is not None)
    if minutes > staff.max_minutes:
        violations.append(
            f"{who}: max_total_minutes: {minutes} minutes worked (max {staff.max_minutes})"
        )
    if minutes < staff.min_minutes:
        violations.append(
            f"{who}: min_total_minutes: {minutes} minutes worked (min {staff.min_minutes})"
        )

    for first, last in _runs(worked, True):
        length = last - first + 1
        if length > staff.max_consecutive:
            violations.append(
                f"{who}: max_consecutive_shifts: {length} days worked in a row, "
                f"{_span(first, last)} (max {staff.max_consecutive})"
            )
        inside = first > 0 and last < horizon - 1
        if inside and length < staff.min_consecutive:
            violations.append(
                f"{who}: min_consecutive_shifts: {length} days worked in a row, "
                f"{_span(first, last)} (min {staff.min_consecutive})"
            )

    for first, last in _runs(worked, False):
        length = last - first + 1
        inside = first > 0 and last < horizon - 1
        if inside and length < staff.min_days_off:
            violations.append(
                f"{who}: min_consecutive_days_off: {length} days off in a row, "
                f"{_span(first, last)} (min {staff.min_days_off})"
            )

    weekends = [
        saturday
        for saturday in range(5, horizon, 7)
        if worked[saturday] or (saturday + 1 < horizon and worked[saturday + 1])
    ]
    if len(weekends) > staff.max_weekends:
        listed = ", ".join(f"{day}-{day + 1}" for day in weekends)
        violations.append(
            f"{who}: max_weekends: {len(weekends)} weekends worked (days {listed}) "
            f"(max {staff.max_weekends})"
        )


def evaluate(instance_text: str, roster: dict[str, list[str | None]]) -> Evaluation:
    """Check `roster` (employee id -> shift id or None per day) against the instance text."""
    instance = parse_instance(instance_text)
    violations: list[str] = []
    plans = _normalise(instance, roster, violations)

    for employee, staff in instance.staff.items():
        _check_employee(instance, staff, plans[employee], violations)

    penalties = dict.fromkeys(PENALTY_KEYS, 0)
    for request in instance.on_requests:
        if plans[request.employee][request.day] != request.shift:
            penalties["on_requests"] += request.weight
    for request in instance.off_requests:
        if plans[request.employee][request.day] == request.shift:
            penalties["off_requests"] += request.weight
    for line in instance.cover:
        count = sum(1 for plan in plans.values() if plan[line.day] == line.shift)
        penalties["under_cover"] += line.weight_under * max(0, line.requirement - count)
        penalties["over_cover"] += line.weight_over * max(0, count - line.requirement)

    return Evaluation(objective=sum(penalties.values()), violations=violations, penalties=penalties)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("instance", type=Path, help="Curtois & Qu instance file (InstanceN.txt)")
    parser.add_argument("roster", type=Path, help='JSON file: {"roster": {employee: [shift|null]}}')
    args = parser.parse_args(argv)

    try:
        document = json.loads(args.roster.read_text(encoding="utf-8"))
        roster = document.get("roster") if isinstance(document, dict) else None
        if not isinstance(roster, dict):
            raise ValueError('the JSON must be an object with a "roster" object')
        result = evaluate(args.instance.read_text(encoding="utf-8"), roster)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    print(f"objective: {result.objective}")
    for key in PENALTY_KEYS:
        print(f"  {key}: {result.penalties[key]}")
    print(f"violations: {len(result.violations)}")
    for violation in result.violations:
        print(f"  {violation}")
    return 0 if not result.violations else 1


if __name__ == "__main__":
    sys.exit(main())
