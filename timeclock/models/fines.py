"""Fine rules received by an employee (Burgerlijk Wetboek art. 7:650 lid 1 and 3: a fine only
where the written rules naming the offences and amounts were handed to the employee) and the
attendance-points cases a manager decides (issue 25, item 5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from organisation.models import Employee


class FineAcknowledgement(models.Model):
    """An employee received the written rules that name the fines (offences and amounts) on
    a day; a fine dated before it is not allowed. `cap_lifted`: a written agreement lifting
    the half-a-day's-wage weekly cap (BW 7:650 lid 5 and 6, above the minimum wage only)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="fine_acknowledgements"
    )
    received_on = models.DateField(help_text="Local day the employee received the rules")
    document = models.CharField(
        max_length=200, help_text="The contract or staff rules naming offences and amounts"
    )
    cap_lifted = models.BooleanField(
        default=False, help_text="A written agreement lifts the weekly half-day cap"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["employee", "received_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "received_on", "document"], name="fine_ack_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} received {self.document} on {self.received_on}"


class PointsCase(models.Model):
    """A points level reached (warning, final warning, dismissal review) opens a case for
    the employee's managers with the points events attached; a manager records the decision
    and the day of the conversation. Nothing happens automatically beyond opening it."""

    class Level(models.TextChoices):
        WARNING = "warning"
        FINAL_WARNING = "final_warning"
        DISMISSAL_REVIEW = "dismissal_review"

    class Decision(models.TextChoices):
        NO_ACTION = "no_action"
        WARNING_GIVEN = "warning_given"
        FINAL_WARNING_GIVEN = "final_warning_given"
        DISMISSED = "dismissed"
        OTHER = "other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="points_cases")
    level = models.CharField(max_length=20, choices=Level.choices)
    opened_on = models.DateField(help_text="Local day the level was reached")
    opened_at = models.DateTimeField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    events = models.JSONField(default=list, help_text="[{day, kind, points}] at opening")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True, default="")
    conversation_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "employee"]
        constraints = [
            # One open case per employee and level: a second opening finds it.
            models.UniqueConstraint(
                fields=["employee", "level"],
                condition=Q(decision=""),
                name="points_case_one_open_per_level",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(conversation_on__isnull=False),
                name="points_case_decided_with_conversation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.level} {self.opened_on}"
