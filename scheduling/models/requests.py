"""Operators' requests on published rosters: shift swaps, give-aways and open-shift posts,
time off with per-day limits and a waitlist, the team's policy for both, and notices.

A swap names its shifts by their stable key (the first version's id, kept by every copy), so
it survives republication; approval writes a new published version and never edits one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Team
from scheduling.models.rosters import AvailabilityBlock, Roster, Shift


class RequestPolicy(models.Model):
    """How a team's swaps and time off are decided; a team without one uses the defaults."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, primary_key=True, related_name="request_policy"
    )
    auto_approve_swaps = models.BooleanField(
        default=False, help_text="Approve an accepted swap at once when every check passes"
    )
    min_notice_minutes = models.PositiveIntegerField(
        default=24 * 60, help_text="No swap of a shift starting sooner than this"
    )
    equal_paid_time = models.BooleanField(
        default=False, help_text="A direct swap must trade shifts of equal paid time"
    )
    paid_time_tolerance_minutes = models.PositiveSmallIntegerField(default=0)
    release_min_cover_ratio = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text="Releasing an open shift nobody took must leave at least this share of "
        "the required agents in each of its intervals",
    )
    trade_overtime_minutes = models.PositiveIntegerField(
        default=0,
        help_text="How far past their weekly contract maximum a trade or pick-up may take "
        "someone, as voluntary overtime",
    )
    trade_extra_days = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many days past their weekly maximum a trade or pick-up may take "
        "someone, as voluntary overtime",
    )
    voluntary_below_minimum = models.BooleanField(
        default=False,
        help_text="A trade may leave someone below their contract minimum (they chose to "
        "work less)",
    )
    max_open_requests = models.PositiveSmallIntegerField(default=5)
    max_accepts_per_hour = models.PositiveSmallIntegerField(default=30)
    time_off_max_per_day = models.PositiveSmallIntegerField(
        default=2, help_text="Operators of the team off on one local day"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(release_min_cover_ratio__gte=0, release_min_cover_ratio__lte=1),
                name="policy_release_ratio_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return f"request policy of {self.team_id}"


class ShiftSwap(models.Model):
    """A direct swap, a give-away to a colleague, or a post on the team's open-shift board."""

    class Kind(models.TextChoices):
        SWAP = "swap"
        GIVE_AWAY = "give_away"
        OPEN = "open"

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        APPROVED = "approved"
        REJECTED = "rejected"
        CANCELLED = "cancelled"
        EXPIRED = "expired"

    ACTIVE = (Status.PENDING, Status.ACCEPTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="swaps")
    requester = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="swaps_asked")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="+")
    shift_key = models.UUIDField(help_text="The shift's stable key (origin) across versions")
    counterpart = models.ForeignKey(
        Employee, on_delete=models.CASCADE, null=True, blank=True, related_name="swaps_offered"
    )
    counterpart_shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    counterpart_shift_key = models.UUIDField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(help_text="The latest time it can be decided")
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.CharField(max_length=500, blank=True)
    auto_approved = models.BooleanField(default=False)
    released = models.BooleanField(default=False, help_text="Approved with no taker: removed")
    applied_roster = models.ForeignKey(
        Roster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["counterpart_shift_key"]),
        ]
        constraints = [
            # One open request per shift: offering the same shift twice is refused by the
            # database, whatever the race.
            models.UniqueConstraint(
                fields=["shift_key"],
                condition=Q(status__in=["pending", "accepted"]),
                name="swap_one_active_per_shift",
            ),
            models.CheckConstraint(
                condition=Q(kind="swap", counterpart_shift__isnull=False)
                | (~Q(kind="swap") & Q(counterpart_shift__isnull=True)),
                name="swap_counterpart_shift_only_for_swaps",
            ),
            models.CheckConstraint(
                condition=Q(kind="open") | Q(counterpart__isnull=False),
                name="swap_named_counterpart_unless_open",
            ),
            models.CheckConstraint(
                condition=~Q(counterpart=F("requester")), name="swap_not_with_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.shift_key} ({self.status})"


class SwapEvent(models.Model):
    """Audit of every transition of a swap: who, when, from and to which state, why."""

    swap = models.ForeignKey(ShiftSwap, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.CharField(max_length=500, blank=True)
    checks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["swap", "at", "pk"]
        indexes = [models.Index(fields=["actor", "to_status", "at"])]

    def __str__(self) -> str:
        return f"{self.swap_id}: {self.from_status or '-'} -> {self.to_status}"


class TimeOffRequest(models.Model):
    """Whole local days off; approved ones become an availability block (solver input, and
    an excused absence in pay). Approved while the days are full, it waits in line."""

    class Status(models.TextChoices):
        PENDING = "pending"
        WAITLISTED = "waitlisted"
        APPROVED = "approved"
        REJECTED = "rejected"
        CANCELLED = "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="time_off")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField(help_text="Local day")
    last_day = models.DateField(help_text="Local day, inclusive")
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.CharField(max_length=500, blank=True)
    block = models.OneToOneField(
        AvailabilityBlock, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "status", "first_day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="time_off_days_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"time off {self.employee_id} {self.first_day}..{self.last_day} ({self.status})"


class TimeOffCapacity(models.Model):
    """A day's own limit of operators off for a team (peak days lower, quiet days higher)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="time_off_capacity")
    day = models.DateField()
    max_off = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "day"], name="time_off_capacity_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.day}: {self.max_off}"
