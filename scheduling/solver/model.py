"""The roster problem and its solution as plain frozen dataclasses (no Django, no OR-Tools).

Time is counted in minutes from the horizon's first local midnight; days are site-local days
0..days-1 and a shift belongs to the day it starts. Interval demand is per queue and interval
(`interval_minutes` wide); headcount demand is per day and shift template. Everything the
solver decides is a choice, per employee and day, of one shift option (a template at a start,
with a length and its breaks) or nothing.
"""

import math
from dataclasses import dataclass, field
from enum import StrEnum

from organisation.sentences import Sentence


@dataclass(frozen=True)
class BreakRule:
    """A break placed per person: `length_minutes` starting between `earliest_offset_minutes`
    and `latest_offset_minutes` after the shift start, on a `step_minutes` grid."""

    length_minutes: int
    earliest_offset_minutes: int
    latest_offset_minutes: int
    step_minutes: int = 15
    paid: bool = False


@dataclass(frozen=True)
class ShiftTemplate:
    """Allowed starts (earliest..latest every step, minutes from local midnight), lengths,
    days of the week (0 = Monday) and the queue or activity worked."""

    id: str
    earliest_start_minute: int
    latest_start_minute: int
    lengths_minutes: tuple[int, ...]
    start_step_minutes: int = 15
    weekdays: frozenset[int] = frozenset(range(7))
    queue: str | None = None
    activity: str = "phone"
    breaks: tuple[BreakRule, ...] = ()
    is_night: bool = False
    is_late: bool = False


@dataclass(frozen=True)
class Contract:
    """Per-person limits. None means "no limit"."""

    min_minutes_per_week: int | None = None
    max_minutes_per_week: int | None = None
    min_minutes_total: int | None = None
    max_minutes_total: int | None = None
    max_days_per_week: int | None = None
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None
    max_shifts_per_template: tuple[tuple[str, int], ...] = ()
    min_rest_minutes: int = 11 * 60


@dataclass(frozen=True)
class CarriedState:
    """What happened before the horizon: consecutive days already worked (or off) up to the
    day before day 0, and when the last shift ended (minutes, negative = before day 0)."""

    consecutive_days_worked: int = 0
    consecutive_days_off: int = 0
    last_shift_end_minute: int | None = None


@dataclass(frozen=True)
class Request:
    """A wish to work (`on`) or not work (`off`) on a day, optionally a given template."""

    employee: str
    day: int
    on: bool
    weight: int
    template: str | None = None


@dataclass(frozen=True)
class Pin:
    """A shift that must stay as it is (published, or fixed by the manager)."""

    employee: str
    day: int
    template: str
    start_minute: int
    length_minutes: int


@dataclass(frozen=True)
class Employee:
    id: str
    contract: Contract = field(default_factory=Contract)
    skills: frozenset[str] = frozenset()
    templates: frozenset[str] | None = None  # None: every template
    cost_per_hour: float = 0.0
    unavailable_days: frozenset[int] = frozenset()
    # (start_minute, end_minute) spans when the person cannot work at all.
    unavailable_spans: tuple[tuple[int, int], ...] = ()
    carried: CarriedState = field(default_factory=CarriedState)
    # Training (issue 24): the level per queue; a queue not listed is worked as proficient.
    proficiency: tuple["QueueProficiency", ...] = ()

    def level(self, queue: str | None) -> "Proficiency":
        """The employee's level on `queue` (proficient when none is given)."""
        for entry in self.proficiency:
            if entry.queue == queue:
                return entry.level
        return Proficiency.PROFICIENT


@dataclass(frozen=True)
class IntervalDemand:
    """Agents wanted on `queue` in each interval: required[day][period]."""

    queue: str
    required: tuple[tuple[int, ...], ...]
    under_weight: int = 100
    over_weight: int = 1


@dataclass(frozen=True)
class HeadcountDemand:
    """Employees wanted on `template` on `day` (the Curtois & Qu cover line)."""

    day: int
    template: str
    required: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class Weights:
    """Weights of the named objective terms (per unit noted)."""

    paid_minute: int = 0  # per paid minute, scaled by employee cost_per_hour when set
    request: int = 1  # multiplies each request's own weight
    fairness_weekends: int = 0  # per weekend above the team's fair share
    fairness_nights: int = 0
    fairness_late: int = 0


@dataclass(frozen=True)
class Problem:
    days: int
    first_weekday: int  # 0 = Monday
    interval_minutes: int
    templates: tuple[ShiftTemplate, ...]
    employees: tuple[Employee, ...]
    interval_demand: tuple[IntervalDemand, ...] = ()
    headcount_demand: tuple[HeadcountDemand, ...] = ()
    forbidden_transitions: frozenset[tuple[str, str]] = frozenset()  # (A, B): B not after A
    requests: tuple[Request, ...] = ()
    pins: tuple[Pin, ...] = ()
    weights: Weights = field(default_factory=Weights)
    # Runs of days worked/off that touch the horizon's ends are exempt from minimum lengths
    # (they continue outside it), as in the Curtois & Qu benchmark.
    min_runs_exempt_at_borders: bool = True
    # Training (issue 24): the policy, the trainees' plans and the sessions to place.
    training: "TrainingPolicy" = field(default_factory=lambda: TrainingPolicy())
    trainee_plans: tuple["TraineePlan", ...] = ()
    sessions: tuple["Session", ...] = ()

    @property
    def periods_per_day(self) -> int:
        return 1440 // self.interval_minutes

    def weekday(self, day: int) -> int:
        return (self.first_weekday + day) % 7

    def weekends(self) -> list[tuple[int, ...]]:
        """Saturday/Sunday day indexes per weekend touching the horizon."""
        result: dict[int, list[int]] = {}
        for day in range(self.days):
            if self.weekday(day) >= 5:
                result.setdefault((day + self.first_weekday) // 7, []).append(day)
        return [tuple(days) for _, days in sorted(result.items())]

    def weekends_limited(self, employee: "Employee") -> bool:
        """Whether the employee may work fewer weekends than the horizon has."""
        limit = employee.contract.max_weekends
        return limit is not None and limit < len(self.weekends())

    def weeks(self) -> list[tuple[int, ...]]:
        """Monday-Sunday weeks (partial at the ends)."""
        result: dict[int, list[int]] = {}
        for day in range(self.days):
            result.setdefault((day + self.first_weekday) // 7, []).append(day)
        return [tuple(days) for _, days in sorted(result.items())]


@dataclass(frozen=True)
class Break:
    start_minute: int
    length_minutes: int
    paid: bool


@dataclass(frozen=True)
class Assignment:
    employee: str
    day: int
    template: str
    start_minute: int  # from the horizon's first local midnight
    length_minutes: int
    breaks: tuple[Break, ...] = ()
    queue: str | None = None
    activity: str = "phone"

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_minutes

    @property
    def paid_minutes(self) -> int:
        return self.length_minutes - sum(b.length_minutes for b in self.breaks if not b.paid)


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a roster, not proven best
    INFEASIBLE = "infeasible"  # hard rules contradict each other (see contradictions)
    UNKNOWN = "unknown"  # no roster found within the time limit


@dataclass(frozen=True)
class Contradiction:
    """A hard rule that cannot hold whatever the demand, found before solving."""

    employee: str | None
    rule: str
    message: str
    reason: Sentence | None = None  # the message as a sentence, for the reader's language


@dataclass(frozen=True)
class UnmetInterval:
    queue: str
    day: int
    period: int
    required: int
    scheduled: int


@dataclass(frozen=True)
class LowerBounds:
    """Valid lower bounds for any roster of these employees under these rules, from the LP
    relaxation of the model (OR-Tools GLOP; see relax.py)."""

    objective: float
    under_agent_intervals: int  # interval demand: agent-intervals short, unweighted
    under_shifts: int  # headcount lines: shifts short, unweighted
    # Paid minutes any roster with no more under-cover agent-intervals than this one must
    # pay; None without interval demand or when the LP did not finish.
    paid_minutes: int | None = None


@dataclass(frozen=True)
class Solution:
    status: Status
    assignments: tuple[Assignment, ...]
    objective: float
    bound: float
    terms: dict[str, float]
    wall_seconds: float
    unmet_intervals: tuple[UnmetInterval, ...] = ()
    unmet_headcount: tuple[tuple[int, str, int, int], ...] = ()  # day, template, req, got
    binding_rules: tuple[str, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    progress: tuple[tuple[float, float, float], ...] = ()  # (seconds, objective, bound)
    # Wall seconds per phase of the solve ("build", "first roster", "full solve", "lns", ...).
    phase_seconds: dict[str, float] = field(default_factory=dict)
    # What no roster can beat (None when the LP did not finish in its time): "short X, at
    # least Y unavoidable" reads X = under_agent_intervals, Y = lower_bounds.under_...
    lower_bounds: LowerBounds | None = None
    # Training (issue 24): where each session sits and who attends, which mentor sits with
    # which trainee when, the supervised minutes per trainee and week, and what fell short.
    sessions: tuple["PlacedSession", ...] = ()
    mentoring: tuple["Mentoring", ...] = ()
    supervised: tuple["SupervisedWeek", ...] = ()
    training_shortfalls: tuple["TrainingShortfall", ...] = ()

    @property
    def under_agent_intervals(self) -> int:
        """Agent-intervals short of interval demand in this roster."""
        return sum(max(0, u.required - u.scheduled) for u in self.unmet_intervals)

    @property
    def under_shifts(self) -> int:
        """Shifts short of headcount lines in this roster."""
        return sum(max(0, required - got) for _, _, required, got in self.unmet_headcount)

    @property
    def gap(self) -> float:
        """(objective - bound) / objective; NaN (unknown) when there is no useful bound: none
        at all, or none above zero under a positive objective. 0 when the bound is met."""
        if not math.isfinite(self.bound) or not math.isfinite(self.objective):
            return math.nan
        if self.objective <= self.bound + 1e-9:
            return 0.0
        if self.bound <= 0:
            return math.nan
        return (self.objective - self.bound) / self.objective


# --- Training (issue 24): proficiency, pairing with mentors, sessions ----------------------


class Proficiency(StrEnum):
    """An employee's level on one queue. A trainee is on that queue's phone only with a
    mentor of the queue on the phone too; a mentor is proficient and qualified to coach."""

    TRAINEE = "trainee"
    JUNIOR = "junior"
    PROFICIENT = "proficient"
    MENTOR = "mentor"


@dataclass(frozen=True)
class QueueProficiency:
    """`level` on `queue` for one employee. `share_percent` overrides the policy's share of an
    agent this person counts for in the queue's cover (0..100; None: the policy's for the
    level)."""

    queue: str
    level: Proficiency
    share_percent: int | None = None


@dataclass(frozen=True)
class TrainingPolicy:
    """How training is counted and supervised (a site policy).

    Shares are whole percent of an agent counted towards cover per level (the solver keeps
    integer arithmetic: cover is counted in hundredths of an agent where a share below 100
    can cover). `trainees_per_mentor`: the most trainees one mentor supervises at once on a
    queue; in every interval, trainees on a queue's phone <= trainees_per_mentor x mentors of
    that queue on its phone (mentors in a session are off the phone)."""

    trainees_per_mentor: int = 2
    trainee_share_percent: int = 50
    junior_share_percent: int = 80
    proficient_share_percent: int = 100
    mentor_share_percent: int = 100

    def share_percent(self, entry: "QueueProficiency | None") -> int:
        """The share of an agent (percent) the employee counts for on the entry's queue."""
        if entry is None:
            return self.proficient_share_percent
        if entry.share_percent is not None:
            return entry.share_percent
        return {
            Proficiency.TRAINEE: self.trainee_share_percent,
            Proficiency.JUNIOR: self.junior_share_percent,
            Proficiency.PROFICIENT: self.proficient_share_percent,
            Proficiency.MENTOR: self.mentor_share_percent,
        }[entry.level]


@dataclass(frozen=True)
class TraineePlan:
    """A trainee's supervised phone time on `queue` per Monday-Sunday week of the horizon, from
    their training plan: every minute a trainee is on that queue's phone is supervised (a
    mentor beside them), so this bounds their phone minutes on the queue. A partial week at
    the horizon's edge owes its share of the minimum (days in it / 7, rounded down), like the
    contract's weekly minimum. None: no maximum."""

    employee: str
    queue: str
    min_supervised_minutes_per_week: int = 0
    max_supervised_minutes_per_week: int | None = None


class SessionKind(StrEnum):
    CLASSROOM = "classroom"  # a programme's class: trainees and their trainer
    MEETING = "meeting"  # a team meeting: a minimum share of the attendees suffices
    COACHING = "coaching"  # a supervisor with one or a few operators


@dataclass(frozen=True)
class Session:
    """A group session to place once, at a start in earliest..latest (horizon minutes, every
    `step_minutes`), for `length_minutes`.

    `attendees`: employee ids who should attend, including the trainer. At least
    `min_attendance_percent` of them (rounded up) attend; the trainer, when given, always
    does (so a classroom is min_attendance_percent=100, a meeting e.g. 80). Each attendee is
    working then: the session lies inside one of their shifts, no break of that shift overlaps
    it, and they are off the phone for its length (their contract and rest hold as for any
    shift). The solver picks the start (and, under a share, who attends) that costs the least
    cover. Split a whole day's class around lunch into two sessions."""

    id: str
    kind: SessionKind
    length_minutes: int
    attendees: tuple[str, ...]
    earliest_start_minute: int
    latest_start_minute: int
    step_minutes: int = 15
    min_attendance_percent: int = 100
    trainer: str | None = None
    topic: str = ""

    def starts(self) -> range:
        """Every allowed start (horizon minutes)."""
        return range(
            self.earliest_start_minute, self.latest_start_minute + 1, max(self.step_minutes, 1)
        )

    def required_count(self) -> int:
        """How many attendees must attend (the share rounded up, at least the trainer)."""
        needed = -(-len(self.attendees) * self.min_attendance_percent // 100)
        return max(needed, 1 if self.trainer else 0)


@dataclass(frozen=True)
class PlacedSession:
    """Where the solver put a session: its start (horizon minutes), who attends, who of the
    attendees does not (allowed under a share), and why that slot: the cover it costs
    (agent-hours of under-cover its attendees leave, counted at their shares, against the
    roster's shifts) against the cheapest and the dearest allowed start for the same shifts."""

    session: str
    start_minute: int
    length_minutes: int
    attending: tuple[str, ...]
    absent: tuple[str, ...] = ()
    cover_cost_agent_hours: float = 0.0
    best_cost_agent_hours: float = 0.0
    worst_cost_agent_hours: float = 0.0

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.length_minutes


@dataclass(frozen=True)
class Mentoring:
    """`mentor` sits with `trainee` on `queue` from start to end (horizon minutes, whole
    intervals): what pays the mentoring premium and shows as the trainee's supervised time."""

    trainee: str
    mentor: str
    queue: str
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class SupervisedWeek:
    """A trainee's supervised phone minutes on `queue` in week `week` (index into
    Problem.weeks()) against their plan's minimum and maximum."""

    trainee: str
    queue: str
    week: int
    minutes: int
    min_minutes: int
    max_minutes: int | None


@dataclass(frozen=True)
class TrainingShortfall:
    """Training the roster could not give, explained: `rule` is a stable code
    ("supervised_below_plan", "no_mentor", "session_unplaced", ...), with the trainee or
    session and the intervals ((day, period) pairs) it concerns."""

    rule: str
    message: str
    employee: str | None = None
    session: str | None = None
    queue: str | None = None
    intervals: tuple[tuple[int, int], ...] = ()
    reason: Sentence | None = None  # the message as a sentence (TRAINING_SENTENCES)
