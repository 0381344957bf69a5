"""Pay models: pay policies per site or team, pay periods (open, then closed for ever), the
pay lines frozen at the close, the once-per-period actions and the exports written."""

import uuid
from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Site


class PayPolicy(models.Model):
    """How a site (or one of its teams) pays: rounding, overtime, premiums, fines.

    A site or team may hold several versions: each pays the periods that start on or after
    its `effective_from` (the one without a date since always), until a later one takes over.
    """

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
    team = models.ForeignKey(
        "wfm.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="pay_policies"
    )
    effective_from = models.DateField(
        null=True, blank=True, help_text="First local day of the periods it pays; empty: always"
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
    # Unsocial hours apart (the Dutch contact-centre preset): an evening window and premium,
    # Saturday and Sunday premiums (empty: the weekend premium for both days).
    evening_start = models.TimeField(null=True, blank=True)
    evening_end = models.TimeField(null=True, blank=True)
    evening_premium = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    saturday_premium = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    sunday_premium = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    fines_enabled = models.BooleanField(default=True)
    fine_destination = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="Where fines go (NL: BW 7:650 lid 4 forbids the employer itself)",
    )
    grace_minutes = models.PositiveSmallIntegerField(default=5)
    lateness_mode = models.CharField(max_length=16, choices=Lateness.choices, default="none")
    lateness_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    lateness_tiers = models.JSONField(default=list, blank=True, help_text='[[minutes, "amount"]]')
    absence_mode = models.CharField(max_length=20, choices=Absence.choices, default="none")
    absence_amount = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    # Training and classroom hours are paid under TRAINING at this multiple of the base rate;
    # a mentor earns this amount per hour on the phone beside a trainee (MENTORING_PREMIUM).
    training_rate_multiplier = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal(1)
    )
    mentoring_premium_per_hour = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            # One version per site (or team) and first day; one without a date.
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(team__isnull=True, effective_from__isnull=True),
                name="pay_policy_one_per_site",
            ),
            models.UniqueConstraint(
                fields=["site", "effective_from"],
                condition=Q(team__isnull=True, effective_from__isnull=False),
                name="pay_policy_site_version_once",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(team__isnull=False, effective_from__isnull=True),
                name="pay_policy_one_per_team",
            ),
            models.UniqueConstraint(
                fields=["team", "effective_from"],
                condition=Q(team__isnull=False, effective_from__isnull=False),
                name="pay_policy_team_version_once",
            ),
            models.CheckConstraint(
                condition=Q(
                    weekly_overtime_hours__gt=0,
                    overtime_multiplier__gte=1,
                    night_premium__gte=0,
                    weekend_premium__gte=0,
                    holiday_premium__gte=0,
                    evening_premium__gte=0,
                    lateness_amount__gte=0,
                    absence_amount__gte=0,
                ),
                name="pay_policy_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=~Q(night_start=F("night_end")), name="pay_policy_night_window_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(training_rate_multiplier__gte=0, mentoring_premium_per_hour__gte=0),
                name="pay_policy_training_non_negative",
            ),
        ]

    def __str__(self) -> str:
        since = f" from {self.effective_from}" if self.effective_from else ""
        return f"pay policy of {self.team or self.site}{since}"


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
    # Frozen at the close with the lines' names and numbers: what every export prints.
    currency = models.CharField(max_length=3, blank=True, help_text="The site's, at the close")
    # The close froze its billable hours (BillableHours rows, perhaps none); periods closed
    # before 0014 did not: theirs are worked out once, at their first billable export.
    billable_frozen = models.BooleanField(default=False)
    # The site's outsourced client queues at the close (their ids): the queues whose hours
    # of this period later billable adjustments compare. None: closed before 0015, when the
    # queues of its frozen billable rows stand for them.
    billable_queues = models.JSONField(null=True, blank=True)

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
    # As they were at the close: a later rename never changes a closed period's export.
    employee_number = models.CharField(max_length=32, blank=True)
    employee_name = models.CharField(max_length=301, blank=True)
    # The team the line was paid in, at the close (the paying site is the period's): a later
    # move to another team or site never changes which team a closed period shows it under.
    # Empty: paid by the site as no team of it (someone moved away, on no team's roster here).
    # Lines frozen before 0013 hold the employee's team when migrated (see there).
    team = models.ForeignKey(
        "wfm.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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


class BillableHours(models.Model):
    """Worked phone seconds of one outsourced client's queue on one local day of a period,
    frozen at its close: the billable export of a closed period reads only these (a punch
    corrected later changes no invoice). Client and queue names as they were at the close.

    A row with `adjusts` is a prior-period adjustment carried by `period` (the period whose
    close booked it): the change, positive or negative, of the billable seconds of that
    queue on `work_date`, a day of the closed period `adjusts`, since that period's close and
    the adjustments carried for it before; named as `adjusts` froze the queue."""

    id = models.BigAutoField(primary_key=True)
    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="billable")
    # The queue itself (its names may change); null for rows frozen before 0015 that no queue
    # matched by name, or a queue since deleted.
    queue = models.ForeignKey(
        "wfm.Queue", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_name = models.CharField(max_length=200)
    queue_name = models.CharField(max_length=100)
    work_date = models.DateField()
    seconds = models.BigIntegerField()
    adjusts = models.ForeignKey(
        PayPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="billable_adjusted_by",
    )

    class Meta:
        ordering = ["period", "client_name", "queue_name", "work_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "client_name", "queue_name", "work_date"],
                condition=Q(adjusts__isnull=True),
                name="billable_hours_once_per_queue_day",
            ),
            models.UniqueConstraint(
                fields=["period", "adjusts", "queue", "work_date"],
                condition=Q(adjusts__isnull=False),
                name="billable_adjustment_once_per_queue_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.client_name} {self.queue_name} {self.work_date}"


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
        ADP = "adp"  # ADP Workforce Now paydata (timeclock/exports/adp.py)
        DATEV = "datev"  # DATEV LODAS ASCII import (timeclock/exports/datev.py)

    period = models.ForeignKey(PayPeriod, on_delete=models.PROTECT, related_name="exports")
    format = models.CharField(max_length=8, choices=Format.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # Re-issued (the same locked lines with the site's codes and numbers as corrected since):
    # a new version; the one it replaces is kept, superseded (its bytes as they were).
    version = models.PositiveSmallIntegerField(default=1)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["period", "format", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "format", "version"], name="export_version_once"
            ),
            models.UniqueConstraint(
                fields=["period", "format"],
                condition=models.Q(superseded_at__isnull=True),
                name="export_once_current_per_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.format} v{self.version}"
