"""The ACD feed: interval statistics per queue and the states of each operator, as the phone
system reported them, stored as instants and exactly once per event id (like punches).

An ACD sends through a Device with `is_acd_feed` set (an integration token per site, provisioned
on the devices page); the CSV import stores the same rows with source `csv`. An interval restated
later (a corrected export) is a new row: readers take the latest received per queue and start.
"""

from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Queue
from timeclock.models.punches import Device


class AcdSource(models.TextChoices):
    FEED = "feed"
    CSV = "csv"


class AcdInterval(models.Model):
    """What one queue saw over one interval: counts and summed seconds."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(unique=True, help_text="The sender's id: one row forever")
    body_sha256 = models.CharField(max_length=64, help_text="To tell a replay from a conflict")
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="acd_intervals")
    interval_start = models.DateTimeField()
    interval_minutes = models.PositiveSmallIntegerField()
    offered = models.PositiveIntegerField(help_text="Calls that arrived: answered or abandoned")
    answered = models.PositiveIntegerField()
    abandoned = models.PositiveIntegerField()
    answered_within_goal = models.PositiveIntegerField(
        help_text="Answered within the queue's service-level seconds"
    )
    handle_seconds = models.PositiveBigIntegerField(help_text="Talk + hold + after-call work")
    wait_seconds = models.PositiveBigIntegerField(help_text="Queue time of the answered calls")
    source = models.CharField(max_length=4, choices=AcdSource.choices)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="acd_intervals"
    )
    ingest_id = models.UUIDField(editable=False)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["interval_start", "id"]
        indexes = [models.Index(fields=["queue", "interval_start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered__lte=F("offered")), name="acd_answered_within_offered"
            ),
            models.CheckConstraint(
                condition=Q(abandoned__lte=F("offered")), name="acd_abandoned_within_offered"
            ),
            models.CheckConstraint(
                condition=Q(answered_within_goal__lte=F("answered")),
                name="acd_within_goal_within_answered",
            ),
            models.CheckConstraint(
                condition=Q(interval_minutes__gt=0), name="acd_interval_minutes_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.queue_id} {self.interval_start:%Y-%m-%d %H:%M}Z {self.offered}"


class AgentState(models.Model):
    """One operator's state from `started_at`, until `ended_at` when the ACD sends it, or
    else until the operator's next state."""

    class State(models.TextChoices):
        LOGGED_IN = "logged_in"
        AVAILABLE = "available"
        ON_CALL = "on_call"
        AFTER_CALL_WORK = "after_call_work"
        BREAK = "break"
        MEETING = "meeting"
        TRAINING = "training"
        NOT_READY = "not_ready"
        LOGGED_OUT = "logged_out"

    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(unique=True, help_text="The sender's id: one row forever")
    body_sha256 = models.CharField(max_length=64, help_text="To tell a replay from a conflict")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="agent_states")
    state = models.CharField(max_length=16, choices=State.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until the next")
    source = models.CharField(max_length=4, choices=AcdSource.choices)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="agent_states"
    )
    ingest_id = models.UUIDField(editable=False)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["employee", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at")),
                name="agent_state_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.state} {self.started_at:%Y-%m-%d %H:%M:%S}Z"
