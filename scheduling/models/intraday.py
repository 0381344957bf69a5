"""Rest-of-day offers (issue 26, item 5): voluntary time off when the reforecast shows a queue
over-staffed, overtime when under-staffed; offered to a team's eligible operators, taken first
come first served, each acceptance published as a new roster version."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Queue, Team
from scheduling.models.rosters import Roster


class IntradayOffer(models.Model):
    class Kind(models.TextChoices):
        VTO = "vto"  # go home at `start`: the shift ends there
        OVERTIME = "overtime"  # work `start`..`end` on the queue, an extra shift

    class Status(models.TextChoices):
        OPEN = "open"
        FILLED = "filled"
        EXPIRED = "expired"
        CANCELLED = "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="intraday_offers")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="intraday_offers")
    start = models.DateTimeField()
    end = models.DateTimeField()
    slots = models.PositiveSmallIntegerField(default=1)
    taken = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="offer_end_after_start"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("slots")), name="offer_taken_within_slots"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.queue_id} {self.start:%Y-%m-%d %H:%M}Z x{self.slots}"


class IntradayOfferAcceptance(models.Model):
    """One operator's acceptance; the roster version that published it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.ForeignKey(IntradayOffer, on_delete=models.CASCADE, related_name="acceptances")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "employee"], name="offer_accepted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} by {self.employee_id}"
