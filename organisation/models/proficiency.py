"""Proficiency per employee and queue: trainee, junior, proficient or mentor, each level with
the day it was reached. Every change is a new row, so the history stays; the current level is
the latest row on or before a day. An employee skilled for a queue without any row is
proficient (the product before training programmes knew no other level)."""

import uuid

from django.conf import settings
from django.db import models

from organisation.models.organisation import Employee, Queue


class Proficiency(models.TextChoices):
    TRAINEE = "trainee"
    JUNIOR = "junior"
    PROFICIENT = "proficient"
    MENTOR = "mentor"  # proficient and qualified to coach on the queue


class QueueProficiency(models.Model):
    """One level an employee reached on one queue, from `reached_on` (a local day)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="proficiencies")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="proficiencies")
    level = models.CharField(max_length=12, choices=Proficiency.choices)
    reached_on = models.DateField(help_text="The local day the level was reached")
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "queue", "reached_on", "recorded_at"]
        indexes = [models.Index(fields=["employee", "queue", "reached_on"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.queue_id} {self.level} from {self.reached_on}"
