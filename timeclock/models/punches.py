"""Time clock: terminal devices, immutable punches, correction rows, PIN attempts and the
security log of refused duplicates.

Punches and corrections are append-only: on PostgreSQL a trigger refuses UPDATE and DELETE
(migration 0002), whatever path the write takes. What a punch means after corrections is
derived (selectors), never written back.
"""

import uuid
from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Site


class Device(models.Model):
    """A terminal (or a kiosk tablet) at a site. Its token is shown once; only a hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(max_length=100)
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(max_length=8, editable=False, help_text="To recognise it")
    # The request-signing key, masked with a pad derived from SECRET_KEY: a database dump
    # alone holds no usable secret (tokens.py).
    signing_key_masked = models.CharField(max_length=64, editable=False)
    is_kiosk = models.BooleanField(default=False, help_text="A browser kiosk: PIN required")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # Device clock minus server clock at the last batch, from its sent_at (R2.5).
    last_skew_seconds = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="device_name_unique_per_site"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Punch(models.Model):
    """One clock event as received: never changed, never deleted."""

    class Kind(models.TextChoices):
        IN = "in"
        OUT = "out"
        BREAK_START = "break_start"
        BREAK_END = "break_end"

    class Source(models.TextChoices):
        TERMINAL = "terminal"
        KIOSK = "kiosk"
        REMOTE = "remote"

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(unique=True, help_text="The client's id: one row forever")
    body_sha256 = models.CharField(max_length=64, help_text="To tell a replay from a conflict")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="punches")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField(help_text="When it happened, by the device's clock")
    # The device time with its measured skew taken off when the clock was off by more than
    # two minutes (R2.5); otherwise the device time. Attendance reads this one.
    corrected_at = models.DateTimeField()
    received_at = models.DateTimeField(help_text="When the server stored it")
    source = models.CharField(max_length=8, choices=Source.choices)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="punches"
    )
    device_seq = models.BigIntegerField(null=True, blank=True)
    # The request that stored the row: how a racing duplicate tells it did not create it.
    ingest_id = models.UUIDField(editable=False)
    skew_seconds = models.IntegerField(null=True, blank=True)
    # Kept, but for a person to look at: implausible device time, a repeat tap, ...
    review_reason = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["employee", "occurred_at"]),
            models.Index(fields=["employee", "corrected_at"]),
            models.Index(fields=["device", "device_seq"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(device__isnull=False) | Q(source="remote"),
                name="punch_device_unless_remote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M:%S}Z"


class PunchCorrection(models.Model):
    """A manager's correction: a new row beside the punch it concerns (R1.2)."""

    class Action(models.TextChoices):
        ADD = "add"  # a punch the clock never saw
        VOID = "void"  # the punch does not count
        MOVE = "move"  # the punch counts at another time

    id = models.BigAutoField(primary_key=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    punch = models.ForeignKey(
        Punch, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Punch.Kind.choices, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="Added or moved to")
    reason = models.CharField(max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
            models.CheckConstraint(
                condition=(
                    Q(action="add", punch__isnull=True, occurred_at__isnull=False) & ~Q(kind="")
                )
                | Q(action="void", punch__isnull=False)
                | Q(action="move", punch__isnull=False, occurred_at__isnull=False),
                name="correction_shape_by_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.punch_id or self.kind} by {self.actor_id}"


class CorrectionRequest(models.Model):
    """An operator's ask for a correction of their own punches: a missing punch added, a
    punch moved or voided. A manager of their team approves it, which writes the
    PunchCorrection (the audited row, R1.2), or rejects it; the operator may cancel it while
    it is pending. The request row changes state; punches and corrections never change."""

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"
        CANCELLED = "cancelled"

    Action = PunchCorrection.Action

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="correction_requests"
    )
    action = models.CharField(max_length=8, choices=PunchCorrection.Action.choices)
    punch = models.ForeignKey(
        Punch, on_delete=models.PROTECT, null=True, blank=True, related_name="correction_requests"
    )
    # The kind added, or the kind of the punch moved or voided (for display and duplicates).
    kind = models.CharField(max_length=12, choices=Punch.Kind.choices)
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="Added or moved to")
    reason = models.CharField(max_length=400, help_text="The operator's own words")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.CharField(max_length=500, blank=True)
    correction = models.OneToOneField(
        PunchCorrection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request",
        help_text="The correction written when it was approved",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["employee", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(kind=""), name="correction_request_reason_and_kind"
            ),
            models.CheckConstraint(
                condition=Q(action="add", punch__isnull=True, occurred_at__isnull=False)
                | Q(action="void", punch__isnull=False, occurred_at__isnull=True)
                | Q(action="move", punch__isnull=False, occurred_at__isnull=False),
                name="correction_request_shape_by_action",
            ),
            # Decided exactly once: a decision time on every ended request, a manager on
            # approvals and rejections (a cancel is the operator's own), and the correction
            # on approved requests only.
            models.CheckConstraint(
                condition=Q(
                    status="pending",
                    decided_at__isnull=True,
                    decided_by__isnull=True,
                    correction__isnull=True,
                )
                | Q(
                    status="approved",
                    decided_at__isnull=False,
                    decided_by__isnull=False,
                    correction__isnull=False,
                )
                | Q(
                    status="rejected",
                    decided_at__isnull=False,
                    decided_by__isnull=False,
                    correction__isnull=True,
                )
                | Q(
                    status="cancelled",
                    decided_at__isnull=False,
                    decided_by__isnull=True,
                    correction__isnull=True,
                ),
                name="correction_request_state_consistent",
            ),
            # One pending ask per punch, and per punch kind and time (an add and a move to
            # the same clock-out are the same ask), whatever the race.
            models.UniqueConstraint(
                fields=["punch"],
                condition=Q(status="pending", punch__isnull=False),
                name="correction_request_one_pending_per_punch",
            ),
            models.UniqueConstraint(
                fields=["employee", "kind", "occurred_at"],
                condition=Q(status="pending", occurred_at__isnull=False),
                name="correction_request_one_pending_per_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.punch_id or self.kind} for {self.employee_id} ({self.status})"


class PinAttempt(models.Model):
    """Every PIN check at a kiosk or terminal, for the lockout (R2.12)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    succeeded = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["employee", "at"])]

    def __str__(self) -> str:
        return f"PIN {'ok' if self.succeeded else 'wrong'} {self.employee_id} {self.at:%H:%M:%S}"


class ClockPolicy(models.Model):
    """Per site: who may clock in remotely, and from where."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, primary_key=True, related_name="clock_policy"
    )
    remote_for_office_workers = models.BooleanField(
        default=False, help_text="Home workers may always clock remotely; others only if set"
    )
    remote_ip_allowlist = models.JSONField(
        default=list, blank=True, help_text='Networks, e.g. ["203.0.113.0/24"]; empty: any'
    )

    def __str__(self) -> str:
        return f"clock policy of {self.site}"


class SecurityEvent(models.Model):
    """Something a person should look at: an event id reused with a different body, ..."""

    kind = models.CharField(max_length=40)
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True)
    detail = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


# --- Pay -----------------------------------------------------------------------------------


class PayPolicy(models.Model):
    """How a site (or one of its teams) pays: rounding, overtime, premiums, fines."""

    class Rounding(models.IntegerChoices):
        EXACT = 0
        FIVE = 5
        SIX = 6
        FIFTEEN = 15

    class Lateness(models.TextChoices):
        NONE = "none"
        PER_MINUTE = "per_minute"
        PER_OCCURRENCE = "per_occurrence"
        TIERED = "tiered"

    class Absence(models.TextChoices):
        NONE = "none"
        FIXED = "fixed"
        SHIFT_PAY_MULTIPLE = "shift_pay_multiple"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pay_policies")
    pay_frequency = models.CharField(
        max_length=12,
        choices=[(f, f) for f in ("weekly", "biweekly", "semimonthly", "monthly")],
        default="weekly",
        help_text="Site policies only: how pay periods follow each other",
    )
    team = models.OneToOneField(
        "wfm.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="pay_policy"
    )
    rounding_minutes = models.PositiveSmallIntegerField(
        choices=Rounding.choices, default=Rounding.EXACT
    )
    exact_time_only = models.BooleanField(default=False, help_text="The law forbids rounding")
    weekly_overtime_hours = models.DecimalField(max_digits=5, decimal_places=2, default=40)
    daily_overtime_hours = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    overtime_multiplier = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("1.5")
    )
    night_start = models.TimeField(default=time(22))
    night_end = models.TimeField(default=time(6))
    night_premium = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.25"))
    weekend_premium = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    holiday_premium = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    fines_enabled = models.BooleanField(default=True)
    grace_minutes = models.PositiveSmallIntegerField(default=5)
    lateness_mode = models.CharField(max_length=16, choices=Lateness.choices, default="none")
    lateness_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    lateness_tiers = models.JSONField(default=list, blank=True, help_text='[[minutes, "amount"]]')
    absence_mode = models.CharField(max_length=20, choices=Absence.choices, default="none")
    absence_amount = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site"], condition=Q(team__isnull=True), name="pay_policy_one_per_site"
            ),
            models.CheckConstraint(
                condition=Q(
                    weekly_overtime_hours__gt=0,
                    overtime_multiplier__gte=1,
                    night_premium__gte=0,
                    weekend_premium__gte=0,
                    holiday_premium__gte=0,
                    lateness_amount__gte=0,
                    absence_amount__gte=0,
                ),
                name="pay_policy_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=~Q(night_start=F("night_end")), name="pay_policy_night_window_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"pay policy of {self.team or self.site}"


class PayPeriod(models.Model):
    """A span of local days one payroll run covers; open, then closed for ever."""

    class Status(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="pay_periods")
    start_date = models.DateField()
    end_date = models.DateField()
    pay_date = models.DateField(null=True, blank=True, help_text="When the pay is paid")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    export_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["site", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["site", "start_date"], name="pay_period_start_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="pay_period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.start_date}..{self.end_date} ({self.status})"


class PayLineRecord(models.Model):
    """A pay line frozen when its period closed; adjustments carry the period they correct."""

    id = models.BigAutoField(primary_key=True)
    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="lines")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="pay_lines")
    pay_code = models.CharField(max_length=20)
    minutes = models.IntegerField()
    hours = models.DecimalField(max_digits=12, decimal_places=2)
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    rule = models.CharField(max_length=500, help_text="The reason in English")
    reason = models.JSONField(
        default=list, blank=True, help_text="The reason as sentences: [{code, values}]"
    )
    work_date = models.DateField(null=True, blank=True)
    shift_id = models.CharField(max_length=64, blank=True)
    adjusts = models.ForeignKey(
        PayPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="adjusted_by"
    )
    adjusted_code = models.CharField(max_length=20, blank=True, help_text="For ADJUSTMENT lines")

    class Meta:
        ordering = ["period", "employee", "pay_code", "work_date", "id"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.pay_code} {self.amount}"


class PeriodAction(models.Model):
    """One row per (period, action): a second close, from a retried task or a second beat,
    fails on the unique constraint and has no effect (R3.8)."""

    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="actions")
    action = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "action"], name="period_action_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.action}"


class PayrollExport(models.Model):
    """The file an export job wrote for a closed period (the same bytes every time)."""

    class Format(models.TextChoices):
        CSV = "csv"
        XLSX = "xlsx"
        BILLABLE = "billable"
        RECORDS = "records"  # per employee-week record keeping (29 CFR 516.2)

    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="exports")
    format = models.CharField(max_length=8, choices=Format.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "format"], name="export_once_per_format"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.format}"
