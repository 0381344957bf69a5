"""Call history, forecasts, manager overrides and staffing requirements per queue and interval.

All interval starts are UTC instants; each queue's site time zone turns them into local days.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Job, Queue


class HistoryImport(models.Model):
    """One imported history file; the same bytes imported again for the queue are a no-op."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="history_imports")
    file_sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255, blank=True)
    layout = models.CharField(max_length=32)
    interval_minutes = models.PositiveSmallIntegerField()
    rows_read = models.PositiveIntegerField()
    intervals_written = models.PositiveIntegerField()
    first_interval = models.DateTimeField()
    last_interval = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "file_sha256"], name="history_import_once_per_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.file_sha256[:12]} -> {self.queue}"


class CallVolume(models.Model):
    """Offered calls (answered + abandoned) and handle time of one queue in one interval."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="call_volumes")
    interval_start = models.DateTimeField()
    interval_minutes = models.PositiveSmallIntegerField()
    calls = models.FloatField()
    handled_calls = models.FloatField(default=0)
    handle_seconds = models.FloatField(default=0)
    source = models.ForeignKey(
        HistoryImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["queue", "interval_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "interval_start"], name="call_volume_one_row_per_interval"
            ),
            models.CheckConstraint(
                condition=Q(calls__gte=0, handled_calls__gte=0, handle_seconds__gte=0),
                name="call_volume_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.interval_start:%Y-%m-%d %H:%M}Z {self.calls:g}"


class ForecastOverride(models.Model):
    """A manager's adjustment on top of the model, e.g. +15 % for a campaign's dates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="forecast_overrides")
    start_date = models.DateField(help_text="First local day, inclusive")
    end_date = models.DateField(help_text="Last local day, inclusive")
    factor = models.DecimalField(max_digits=6, decimal_places=4, help_text="1.15 = +15 %")
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["queue", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="override_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(factor__gt=0, factor__lte=10), name="override_factor_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue} x{self.factor} {self.start_date}..{self.end_date}"


class ForecastRun(models.Model):
    """One forecast of a queue for a horizon, as the model produced it (overrides applied)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="forecast_runs")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)
    start_date = models.DateField()
    days = models.PositiveSmallIntegerField()
    interval_minutes = models.PositiveSmallIntegerField()
    method_requested = models.CharField(max_length=32)
    method_used = models.CharField(max_length=32)
    backtest_wape = models.JSONField(default=dict, blank=True)
    history_last_day = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.queue} {self.start_date} +{self.days}d ({self.method_used})"


class StaffingRequirement(models.Model):
    """Agents needed in one interval of one queue, from the latest forecast covering it."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="staffing")
    forecast_run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="staffing")
    interval_start = models.DateTimeField()
    interval_minutes = models.PositiveSmallIntegerField()
    forecast_calls = models.FloatField(help_text="Model forecast before overrides")
    calls = models.FloatField(help_text="Calls planned for, overrides applied")
    aht_seconds = models.FloatField()
    agents = models.PositiveIntegerField(help_text="On the phones")
    scheduled_agents = models.PositiveIntegerField(help_text="To schedule, after shrinkage")
    service_level = models.FloatField()
    asa_seconds = models.FloatField()
    occupancy = models.FloatField()
    abandon_rate = models.FloatField(default=0)

    class Meta:
        ordering = ["queue", "interval_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "interval_start"], name="staffing_one_row_per_interval"
            ),
            models.CheckConstraint(
                condition=Q(scheduled_agents__gte=F("agents")),
                name="staffing_scheduled_covers_agents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.interval_start:%Y-%m-%d %H:%M}Z {self.agents}"
