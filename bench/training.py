"""Training in the roster (issue 24): trainees beside mentors, classroom sessions and meetings.

    python bench/training.py [--time-limit 30] [--workers 2] [--only demo|large]

Two cases built here from the solver's pure types with a fixed seed: a demo-like site week
(40 operators, of whom 4 trainees and 3 mentors on Retail NL, 15-min intervals) and a
200-operator, 20-trainee, 4-week case. Each is solved once with the roster's normal time
limit; then
- pairing and every other rule: scheduling/rules.check with the placed sessions (0 wanted);
- sessions: the cover their attendees leave (agent-hours of extra under-cover, counted at
  the people's shares) against the best placement found by enumerating every allowed start
  of each session alone, the roster's shifts and the other sessions held as they are
  (enumerated here, not with the engine's code); within 5 % wanted;
- the wall time against the time limit.
Prints a table, then one JSON line.
"""

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.rules import check
from scheduling.solver.model import (
    Assignment,
    BreakRule,
    Contract,
    Employee,
    IntervalDemand,
    PlacedSession,
    Problem,
    Proficiency,
    QueueProficiency,
    Session,
    SessionKind,
    ShiftTemplate,
    Solution,
    TraineePlan,
    Weights,
)
from scheduling.solver.solve import SolveOptions, solve

INTERVAL = 15
# Demand against what the staff can give on average: above 1 the peaks go short, so
# sessions have a real cost and must find the quiet hours.
LOAD = 1.15
QUEUES = ("retail_nl", "business_nl")
LUNCH = BreakRule(30, 180, 300, 15)
TEMPLATES = tuple(
    ShiftTemplate(name, first * 60, last * 60, (510,), start_step_minutes=30, breaks=(LUNCH,))
    for name, first, last in (("early", 7, 9), ("day", 9, 11), ("late", 12, 13.5))
)
CONTRACT = Contract(max_minutes_per_week=40 * 60, max_days_per_week=5, max_consecutive_days=6)


def _templates() -> tuple[ShiftTemplate, ...]:
    """Each shape once per queue (a template is on one queue's phone)."""
    return tuple(
        ShiftTemplate(
            f"{t.id}_{queue}",
            int(t.earliest_start_minute),
            int(t.latest_start_minute),
            t.lengths_minutes,
            start_step_minutes=t.start_step_minutes,
            queue=queue,
            breaks=t.breaks,
        )
        for t in TEMPLATES
        for queue in QUEUES
    )


def _demand(days: int, first_weekday: int, staff: dict[str, float], rng: random.Random):  # type: ignore[no-untyped-def]
    """Per queue, a two-peaked day (10:00 and 14:30) with quiet hours early, at lunch and
    late, and quieter weekends, scaled to what `staff` (agents on average) can give."""
    periods = 1440 // INTERVAL
    lines = []
    for queue in QUEUES:
        rows = []
        for d in range(days):
            weekend = (first_weekday + d) % 7 >= 5
            row = []
            for p in range(periods):
                hour = p * INTERVAL / 60
                if not 7.5 <= hour < 21.5:
                    row.append(0)
                    continue
                shape = 0.35 + 0.9 * _bump(hour, 10.0, 1.6) + 0.75 * _bump(hour, 14.5, 1.8)
                shape -= 0.25 * _bump(hour, 12.5, 0.5)  # lunch dip
                level = staff[queue] * shape * (0.6 if weekend else 1.0) * rng.uniform(0.92, 1.08)
                row.append(max(0, round(level)))
            rows.append(tuple(row))
        lines.append(IntervalDemand(queue, tuple(rows), under_weight=100, over_weight=1))
    return tuple(lines)


def _bump(x: float, centre: float, width: float) -> float:
    return float(2.718281828 ** (-(((x - centre) / width) ** 2)))


def _level(queue: str, level: Proficiency) -> tuple[QueueProficiency, ...]:
    return (QueueProficiency(queue, level),)


def _people(
    total: int, trainees: dict[str, int], mentors: dict[str, int], juniors: int
) -> list[Employee]:
    people: list[Employee] = []
    both = frozenset(QUEUES)
    for queue, count in trainees.items():
        for i in range(count):
            people.append(
                Employee(
                    f"trainee_{queue}_{i}",
                    CONTRACT,
                    frozenset({queue}),
                    proficiency=_level(queue, Proficiency.TRAINEE),
                )
            )
    for queue, count in mentors.items():
        for i in range(count):
            people.append(
                Employee(
                    f"mentor_{queue}_{i}",
                    CONTRACT,
                    frozenset({queue}),
                    proficiency=_level(queue, Proficiency.MENTOR),
                )
            )
    for i in range(juniors):
        queue = QUEUES[i % 2]
        people.append(
            Employee(
                f"junior_{i}",
                CONTRACT,
                frozenset({queue}),
                proficiency=_level(queue, Proficiency.JUNIOR),
            )
        )
    n = 0
    while len(people) < total:
        skills = both if n % 3 == 0 else frozenset({QUEUES[n % 2]})
        people.append(Employee(f"agent_{n}", CONTRACT, skills))
        n += 1
    return people


def _window(day: int, first_hour: float, last_hour: float) -> tuple[int, int]:
    return day * 1440 + int(first_hour * 60), day * 1440 + int(last_hour * 60)


def _classes(
    weeks: int, programmes: list[tuple[str, list[str], str]], first_weekday: int
) -> list[Session]:
    """Per programme and week two 2-hour classes (trainees and trainer), one window each:
    a whole weekday 09:00-16:00 on two different days."""
    sessions = []
    for w in range(weeks):
        for k, (name, trainees, trainer) in enumerate(programmes):
            for n, weekday in enumerate(((k % 3), 2 + (k % 3))):
                day = w * 7 + (weekday - first_weekday) % 7
                earliest, latest = _window(day, 9, 14)
                sessions.append(
                    Session(
                        f"{name}_w{w}_c{n}",
                        SessionKind.CLASSROOM,
                        120,
                        (*trainees, trainer),
                        earliest,
                        latest,
                        30,
                        trainer=trainer,
                        topic=f"{name} lesson {n + 1}",
                    )
                )
    return sessions


def _meetings(weeks: int, teams: list[list[str]], lead: list[str]) -> list[Session]:
    """Per team and week a 1-hour meeting, 80 % of the team with its lead, Wednesday or
    Thursday 09:00-17:00."""
    sessions = []
    for w in range(weeks):
        for k, (team, head) in enumerate(zip(teams, lead, strict=True)):
            day = w * 7 + 2 + k % 2
            earliest, latest = _window(day, 9, 16)
            sessions.append(
                Session(
                    f"team{k}_w{w}",
                    SessionKind.MEETING,
                    60,
                    (head, *team),
                    earliest,
                    latest,
                    30,
                    min_attendance_percent=80,
                    trainer=head,
                )
            )
    return sessions


def demo_week() -> Problem:
    """40 operators: 4 trainees and 3 mentors on Retail NL, 3 juniors; two programmes of
    two trainees (each with two classes a week), a meeting of ten and a coaching hour."""
    rng = random.Random(24)
    people = _people(40, {"retail_nl": 4}, {"retail_nl": 3}, juniors=3)
    trainees = [e.id for e in people if e.id.startswith("trainee")]
    mentors = [e.id for e in people if e.id.startswith("mentor")]
    agents = [e.id for e in people if e.id.startswith("agent")]
    programmes = [("basics", trainees[:2], mentors[0]), ("products", trainees[2:], mentors[1])]
    sessions = _classes(1, programmes, 0)
    sessions += _meetings(1, [agents[:9]], [mentors[2]])
    earliest, latest = _window(4, 9, 16)
    sessions.append(
        Session(
            "coaching_agent_10",
            SessionKind.COACHING,
            30,
            (mentors[2], agents[10]),
            earliest,
            latest,
            15,
            trainer=mentors[2],
        )
    )
    return _problem(people, 7, sessions, rng)


def large_case() -> Problem:
    """200 operators over 4 weeks: 20 trainees (12 Retail NL, 8 Business NL) in four
    programmes, 8 and 6 mentors, 10 juniors; two classes a week per programme and a weekly
    meeting of each of two teams of twelve."""
    rng = random.Random(2024)
    people = _people(
        200, {"retail_nl": 12, "business_nl": 8}, {"retail_nl": 8, "business_nl": 6}, juniors=10
    )
    ids = [e.id for e in people]
    retail = [i for i in ids if i.startswith("trainee_retail")]
    business = [i for i in ids if i.startswith("trainee_business")]
    mentors_r = [i for i in ids if i.startswith("mentor_retail")]
    mentors_b = [i for i in ids if i.startswith("mentor_business")]
    agents = [i for i in ids if i.startswith("agent")]
    programmes = [
        ("retail_a", retail[:6], mentors_r[0]),
        ("retail_b", retail[6:], mentors_r[1]),
        ("business_a", business[:4], mentors_b[0]),
        ("business_b", business[4:], mentors_b[1]),
    ]
    sessions = _classes(4, programmes, 0)
    sessions += _meetings(4, [agents[:11], agents[11:22]], [mentors_r[2], mentors_b[2]])
    return _problem(people, 28, sessions, rng)


def _problem(people: list[Employee], days: int, sessions: list[Session], rng) -> Problem:  # type: ignore[no-untyped-def]
    staff: dict[str, float] = defaultdict(float)
    for e in people:
        share = 0.5 if e.id.startswith("trainee") else 0.8 if e.id.startswith("junior") else 1
        for queue in e.skills:
            staff[queue] += share / len(e.skills)
    # About 5 shifts of 8 h in a week of ~14 open hours a day: a third of people on at once.
    on_at_once = {q: v * 5 * 8 / (7 * 14) * LOAD for q, v in staff.items()}
    plans = tuple(
        TraineePlan(e.id, next(iter(e.skills)), 16 * 60, 32 * 60)
        for e in people
        if e.id.startswith("trainee")
    )
    return Problem(
        days=days,
        first_weekday=0,
        interval_minutes=INTERVAL,
        templates=_templates(),
        employees=tuple(people),
        interval_demand=_demand(days, 0, on_at_once, rng),
        trainee_plans=plans,
        sessions=tuple(sessions),
        weights=Weights(paid_minute=0),
    )


# --- Every allowed start of each session alone (written here, apart from the engine) ---------


def _phone_people(
    problem: Problem, shifts: list[Assignment], sessions: list[PlacedSession]
) -> dict[tuple[str, int], set[str]]:
    away: dict[str, set[int]] = defaultdict(set)
    for s in sessions:
        for who in s.attending:
            away[who].update(range(s.start_minute // INTERVAL, -(-s.end_minute // INTERVAL)))
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in shifts:
        if a.queue is None:
            continue
        on = set(range(a.start_minute // INTERVAL, -(-a.end_minute // INTERVAL)))
        for b in a.breaks:
            on -= set(
                range(
                    b.start_minute // INTERVAL, -(-(b.start_minute + b.length_minutes) // INTERVAL)
                )
            )
        for t in on - away[a.employee]:
            found[(a.queue, t)].add(a.employee)
    return found


def _share(problem: Problem) -> dict[str, float]:
    return {
        e.id: problem.training.share_percent(e.proficiency[0]) / 100 if e.proficiency else 1.0
        for e in problem.employees
    }


def _lost(problem, phone, share, people, first, last) -> float:  # type: ignore[no-untyped-def]
    """Agent-hours of extra under-cover when `people` leave the phone in first..last-1."""
    periods = problem.periods_per_day
    need = {d.queue: d.required for d in problem.interval_demand}
    lost = 0.0
    for queue in QUEUES:
        for t in range(first, last):
            present = phone.get((queue, t), set())
            have = sum(share[w] for w in present)
            taken = sum(share[w] for w in people if w in present)
            wanted = need[queue][t // periods][t % periods]
            lost += max(0.0, wanted - (have - taken)) - max(0.0, wanted - have)
    return lost * INTERVAL / 60


def _holds(shift: Assignment, start: int, end: int) -> bool:
    return (
        shift.start_minute <= start
        and shift.end_minute >= end
        and all(
            b.start_minute >= end or b.start_minute + b.length_minutes <= start
            for b in shift.breaks
        )
    )


def session_costs(problem: Problem, solution: Solution) -> tuple[float, float, float, int]:
    """(cover lost to the placed sessions, to the best and to the worst start of each
    alone, sessions enumerated), in agent-hours."""
    share = _share(problem)
    by_id = {s.id: s for s in problem.sessions}
    shifts = list(solution.assignments)
    placed_total = best_total = worst_total = 0.0
    for placed in solution.sessions:
        session = by_id[placed.session]
        others = [s for s in solution.sessions if s is not placed]
        phone = _phone_people(problem, shifts, others)
        first = placed.start_minute // INTERVAL
        placed_total += _lost(
            problem, phone, share, placed.attending, first, -(-placed.end_minute // INTERVAL)
        )
        options = []
        needed = -(-len(session.attendees) * session.min_attendance_percent // 100)
        for start in range(
            session.earliest_start_minute, session.latest_start_minute + 1, session.step_minutes
        ):
            end = start + session.length_minutes
            able = [
                w
                for w in session.attendees
                if any(a.employee == w and _holds(a, start, end) for a in shifts)
            ]
            if session.trainer not in able or len(able) < needed:
                continue
            span = (start // INTERVAL, -(-end // INTERVAL))
            others_able = sorted(
                (w for w in able if w != session.trainer),
                key=lambda w, span=span: _lost(problem, phone, share, [w], *span),
            )
            chosen = [session.trainer, *others_able[: needed - 1]]
            options.append(_lost(problem, phone, share, chosen, *span))
        best_total += min(options, default=float("inf"))
        worst_total += max(options, default=float("inf"))
    return placed_total, best_total, worst_total, len(solution.sessions)


# --- Run -------------------------------------------------------------------------------------


def run(name: str, problem: Problem, limit: float, workers: int) -> dict[str, object]:
    began = time.perf_counter()
    solution = solve(problem, SolveOptions(time_limit_seconds=limit, num_workers=workers))
    wall = time.perf_counter() - began
    violations = check(problem, solution.assignments, sessions=solution.sessions)
    pairing = sum(1 for v in violations if v.rule == "pairing")
    placed, best, worst, count = session_costs(problem, solution)
    under = sum(u.required - u.scheduled for u in solution.unmet_intervals) * INTERVAL / 60
    ratio = placed / best if best > 0 else (1.0 if placed == 0 else float("inf"))
    trainees = [e.id for e in problem.employees if e.id.startswith("trainee")]
    supervised = [w.minutes for w in solution.supervised]
    return {
        "case": name,
        "operators": len(problem.employees),
        "trainees": len(trainees),
        "mentors": sum(1 for e in problem.employees if e.id.startswith("mentor")),
        "days": problem.days,
        "sessions": len(problem.sessions),
        "placed": count,
        "status": str(solution.status),
        "violations": len(violations),
        "violation_rules": sorted({v.rule for v in violations}),
        "pairing_violations": pairing,
        "session_loss_agent_hours": round(placed, 2),
        "best_alone_agent_hours": round(best, 2),
        "worst_alone_agent_hours": round(worst, 2),
        "loss_ratio": round(ratio, 4),
        "within_5_percent": placed <= best * 1.05 + 1e-9,
        "short_agent_hours": round(under, 1),
        "supervised_hours_min": round(min(supervised, default=0) / 60, 2),
        "supervised_hours_mean": round(sum(supervised) / max(len(supervised), 1) / 60, 2),
        "shortfalls": len(solution.training_shortfalls),
        "wall_seconds": round(wall, 1),
        "time_limit_seconds": limit,
        "within_limit": wall <= limit * 1.1,
        "phases": {k: round(v, 2) for k, v in solution.phase_seconds.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("demo", "large"))
    args = parser.parse_args()
    cases = {"demo": demo_week, "large": large_case}
    rows = [
        run(name, build(), args.time_limit, args.workers)
        for name, build in cases.items()
        if args.only in (None, name)
    ]
    header = (
        "case",
        "ops",
        "trainees",
        "mentors",
        "days",
        "sessions",
        "placed",
        "pairing",
        "rules",
        "loss h",
        "best h",
        "ratio",
        "<=5%",
        "short h",
        "sup h min",
        "wall s",
        "limit",
    )
    print(" | ".join(header))
    for r in rows:
        print(
            " | ".join(
                str(r[k])
                for k in (
                    "case",
                    "operators",
                    "trainees",
                    "mentors",
                    "days",
                    "sessions",
                    "placed",
                    "pairing_violations",
                    "violations",
                    "session_loss_agent_hours",
                    "best_alone_agent_hours",
                    "worst_alone_agent_hours",
                    "loss_ratio",
                    "within_5_percent",
                    "short_agent_hours",
                    "supervised_hours_min",
                    "wall_seconds",
                    "time_limit_seconds",
                )
            )
        )
    for r in rows:
        print(f"{r['case']}: phases {r['phases']}; rules broken {r['violation_rules']}")
    print(json.dumps({"bench": "training", "cases": rows}))


if __name__ == "__main__":
    main()
