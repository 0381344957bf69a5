"""Seeded instances of the Curtois & Qu (2014) shift scheduling format, of any size.

    python bench/curtois_gen.py --staff N --shifts S --days D --seed K --output FILE

10-200 staff, 1-32 shift types, 14-364 days (from a Monday). Every rule family of the format
is present: shift types with clock times (never written; they decide which type may not
follow which with less than 11 h between them), per-type maximums (0 for types someone may
not work), min/max total minutes, min/max consecutive shifts, min consecutive days off, max
weekends, days off, on and off requests, and cover with under and over weights.

Every instance is feasible: each employee's limits are drawn around a witness roster of their
own that keeps every hard rule (`Generated.witness`, which bench/curtois_eval.py accepts),
and their days off are days the witness is off. Cover is drawn from the staff's capacity
with weekday and shift-type shapes, not from the witness, so it is tight but not a copy of
it (the same scale as the public instances: demand about the staff's capacity).
"""

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

REST_MINUTES = 11 * 60  # a type may not follow another with less rest between them
LENGTHS = (240, 360, 420, 480, 480, 480, 480, 540, 600, 600, 720)  # minutes
START_HOURS = (5, 6, 7, 7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 20, 21, 22, 23)
UNDER_WEIGHT = 100  # the format's usual weights
OVER_WEIGHT = 1
STAFF_HEADER = (
    "# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
    "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends"
)
LIMITS = {"staff": (10, 200), "shifts": (1, 32), "days": (14, 364)}


@dataclass(frozen=True)
class ShiftType:
    name: str
    start_minute: int
    length_minutes: int

    def rest_before(self, later: "ShiftType") -> int:
        """Minutes between this shift's end and `later` on the next day."""
        return 1440 + later.start_minute - (self.start_minute + self.length_minutes)


@dataclass
class Person:
    name: str
    allowed: list[int]  # indexes of the shift types they may work
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    weekend_target: int
    witness: list[int | None] = field(default_factory=list)  # shift type index per day


@dataclass(frozen=True)
class Generated:
    text: str
    witness: dict[str, list[str | None]]  # a roster keeping every hard rule


def letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the format's own way of naming staff."""
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def _shift_types(rng: random.Random, count: int) -> list[ShiftType]:
    types = []
    for i in range(count):
        # Spread the first few over the day (early, day, late, night) so successions bind.
        hour = (6, 14, 22, 9)[i] if i < 4 and count > 1 else rng.choice(START_HOURS)
        length = 480 if i < 4 else rng.choice(LENGTHS)
        types.append(ShiftType(letters(i), hour * 60 + rng.choice((0, 0, 30)), length))
    return types


def _weekend_of(day: int) -> int | None:
    return day // 7 if day % 7 >= 5 else None


def _witness(rng: random.Random, person: Person, days: int, share: float) -> list[int | None]:
    """Alternating runs of work and rest within the person's limits, working about `share`
    of the days and no more weekends than their target (a run that would touch another
    weekend stops before it, or waits until after it)."""
    plan: list[int | None] = [None] * days
    used: set[int] = set()
    lo, hi = person.min_consecutive, person.max_consecutive
    mean_off = max(person.min_days_off, (lo + hi) / 2 * (1 - share) / share)
    day = rng.randint(0, person.min_days_off + 1)  # a run at the start may be any length
    while day < days:
        run = rng.randint(lo, hi)
        stop = min(days, day + run)
        fresh = [d for d in range(day, stop) if _weekend_of(d) not in used | {None}]
        if fresh and len(used) + len({_weekend_of(d) for d in fresh}) > person.weekend_target:
            first = fresh[0]
            if first - day >= lo:
                stop = first  # a shorter run that ends before the weekend
            else:
                day = first + (7 - first % 7)  # rest until the weekend is over
                continue
        shift = rng.choice(person.allowed)
        for d in range(day, stop):
            plan[d] = shift
            if _weekend_of(d) is not None:
                used.add(d // 7)
        off = max(person.min_days_off, round(rng.gauss(mean_off, 0.8)))
        day = stop + off
    return plan


def _person(rng: random.Random, index: int, types: list[ShiftType], days: int) -> Person:
    weekends = len({d // 7 for d in range(days) if d % 7 >= 5})
    allowed = [t for t in range(len(types)) if rng.random() < 0.6] or [rng.randrange(len(types))]
    max_consecutive = rng.choice((4, 5, 5, 5, 6, 6, 7))
    return Person(
        name=letters(index),
        allowed=allowed,
        max_consecutive=max_consecutive,
        min_consecutive=min(rng.choice((1, 2, 2, 2, 3)), max_consecutive - 1),
        min_days_off=rng.choice((1, 2, 2, 2, 3)),
        weekend_target=max(1, round(weekends * rng.uniform(0.35, 0.75))),
    )


def _staff_row(
    rng: random.Random, person: Person, types: list[ShiftType], days: int
) -> tuple[str, int, int]:
    """The MaxShifts field and the max/min total minutes around the witness."""
    counts = [sum(1 for s in person.witness if s == t) for t in range(len(types))]
    caps = []
    for t, shift in enumerate(types):
        if t not in person.allowed:
            cap = 0
        elif rng.random() < 0.3:  # a type they may work only so often
            cap = counts[t] + rng.randint(0, max(1, days // 14))
        else:
            cap = days
        caps.append(f"{shift.name}={cap}")
    minutes = sum(types[s].length_minutes for s in person.witness if s is not None)
    typical = max(types[t].length_minutes for t in person.allowed)
    most = minutes + 60 * round(typical / 60 * rng.uniform(0, 2))
    least = max(0, minutes - 60 * round(typical / 60 * rng.uniform(1, 3)))
    return "|".join(caps), most, least


def _days_off(rng: random.Random, person: Person, days: int) -> list[int]:
    free = [d for d, s in enumerate(person.witness) if s is None]
    count = min(len(free), max(1, round(days / 14 * rng.uniform(0.5, 1.5))))
    return sorted(rng.sample(free, count))


def _requests(
    rng: random.Random, person: Person, days: int, off_days: set[int], per_day: float, block: int
) -> list[tuple[int, int, int]]:
    """(day, shift type, weight) in runs of consecutive days, none on a day off."""
    result: dict[int, tuple[int, int]] = {}
    for _ in range(max(0, round(days * per_day / ((1 + block) / 2)))):
        first, length = rng.randrange(days), rng.randint(1, block)
        shift, weight = rng.choice(person.allowed), rng.randint(1, 3)
        for d in range(first, min(days, first + length)):
            if d not in off_days:
                result[d] = (shift, weight)
    return [(d, s, w) for d, (s, w) in sorted(result.items())]


def _cover(
    rng: random.Random, people: list[Person], types: list[ShiftType], days: int
) -> list[tuple[int, int, int]]:
    """(day, shift type, requirement): the staff's worked shifts, spread over the days by a
    weekday shape and over the types by how many may work each, with noise."""
    supply = sum(1 for p in people for s in p.witness if s is not None) * rng.uniform(0.96, 1.04)
    weekday = [rng.uniform(0.9, 1.1) for _ in range(5)] + [rng.uniform(0.55, 0.9)] * 2
    able = [sum(1 for p in people if t in p.allowed) for t in range(len(types))]
    mix = [a * rng.uniform(0.6, 1.4) for a in able]
    day_weight = [weekday[d % 7] for d in range(days)]
    scale = supply / (sum(day_weight) * sum(mix))
    cover = []
    for d in range(days):
        for t in range(len(types)):
            mean = scale * day_weight[d] * mix[t]
            cover.append((d, t, max(0, round(rng.gauss(mean, 0.15 * mean + 0.3)))))
    return cover


def generate(staff: int, shifts: int, days: int, seed: int) -> Generated:
    rng = random.Random(f"curtois-gen {staff} {shifts} {days} {seed}")
    types = _shift_types(rng, shifts)
    people = [_person(rng, i, types, days) for i in range(staff)]
    for person in people:
        share = rng.uniform(0.58, 0.68) if rng.random() < 0.75 else rng.uniform(0.3, 0.45)
        person.witness = _witness(rng, person, days, share)
    out = ["# Generated by bench/curtois_gen.py", f"# staff {staff}, shift types {shifts}, "
           f"days {days}, seed {seed}", "SECTION_HORIZON", "# All instances start on a Monday",
           "# The horizon length in days:", str(days), ""]  # fmt: skip
    out += ["SECTION_SHIFTS", "# ShiftID, Length in mins, Shifts which cannot follow this shift"]
    for a in types:
        banned = [b.name for b in types if a.rest_before(b) < REST_MINUTES]
        out.append(f"{a.name},{a.length_minutes},{'|'.join(banned)}")
    out += ["", "SECTION_STAFF", STAFF_HEADER]
    off: dict[str, list[int]] = {}
    for p in people:
        caps, most, least = _staff_row(rng, p, types, days)
        used = len({d // 7 for d, s in enumerate(p.witness) if s is not None and d % 7 >= 5})
        out.append(f"{p.name},{caps},{most},{least},{p.max_consecutive},{p.min_consecutive},"
                   f"{p.min_days_off},{max(used, p.weekend_target)}")  # fmt: skip
        off[p.name] = _days_off(rng, p, days)
    out += ["", "SECTION_DAYS_OFF", "# EmployeeID, DayIndexes (start at zero)"]
    out += [f"{name},{','.join(map(str, ds))}" for name, ds in off.items() if ds]
    for section, per_day, block in (("ON", 0.18, 5), ("OFF", 0.08, 3)):
        out += ["", f"SECTION_SHIFT_{section}_REQUESTS", "# EmployeeID, Day, ShiftID, Weight"]
        for p in people:
            for d, s, w in _requests(rng, p, days, set(off[p.name]), per_day, block):
                out.append(f"{p.name},{d},{types[s].name},{w}")
    out += ["", "SECTION_COVER", "# Day, ShiftID, Requirement, Weight for under, Weight for over"]
    for d, t, need in _cover(rng, people, types, days):
        out.append(f"{d},{types[t].name},{need},{UNDER_WEIGHT},{OVER_WEIGHT}")
    witness = {p.name: [None if s is None else types[s].name for s in p.witness] for p in people}
    return Generated("\r\n".join(out) + "\r\n", witness)


def _in_range(name: str, value: int) -> int:
    low, high = LIMITS[name]
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"--{name} must be {low}-{high}, got {value}")
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in LIMITS:
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    try:
        sizes = {name: _in_range(name, getattr(args, name)) for name in LIMITS}
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    text = generate(sizes["staff"], sizes["shifts"], sizes["days"], args.seed).text
    if args.output:
        args.output.write_bytes(text.encode())
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
