"""Corrections of punches: a manager's correction rows (append-only, like punches) and
operators' correction requests, which a manager approves into a correction or rejects."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from organisation.models import Employee
from timeclock.models.punches import Punch


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
