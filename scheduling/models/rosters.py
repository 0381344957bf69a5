"""Shift templates, availability, rosters (versioned per team or site and period), shifts with
their breaks, the audit of every change, publication notices and calendar feeds.

A roster "series" is one scope (a team, or a whole site) and one period; each build or revision
of it is a new version. Shifts carry their roster's state so that PostgreSQL can refuse two
overlapping published shifts for one employee (an exclusion constraint on the shift's own
columns, added in migration 0003 on PostgreSQL only).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Job, Queue, Site, Team
from scheduling.validators import (
    validate_break_rules,
    validate_shift_lengths,
    validate_weekdays,
)


class Activity(models.TextChoices):
    PHONE = "phone"
    TRAINING = "training"
    MEETING = "meeting"
    COACHING = "coaching"
    BACKOFFICE = "backoffice"


def _all_weekdays() -> list[int]:
    return list(range(7))


class ShiftTemplate(models.Model):
    """Allowed starts (local time window and step), lengths, weekdays, breaks, and the queue
    or activity worked; the solver's shift template for one site."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="shift_templates")
    name = models.CharField(max_length=100)
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="shift_templates"
    )
    activity = models.CharField(max_length=16, choices=Activity.choices, default=Activity.PHONE)
    earliest_start = models.TimeField(help_text="Local time")
    latest_start = models.TimeField(help_text="Local time")
    start_step_minutes = models.PositiveSmallIntegerField(default=15)
    lengths_minutes = models.JSONField(validators=[validate_shift_lengths])
    weekdays = models.JSONField(default=_all_weekdays, validators=[validate_weekdays])
    breaks = models.JSONField(default=list, blank=True, validators=[validate_break_rules])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site__name", "earliest_start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="shift_template_name_per_site"),
            models.CheckConstraint(
                condition=Q(latest_start__gte=F("earliest_start")),
                name="shift_template_start_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(start_step_minutes__gte=5, start_step_minutes__lte=240),
                name="shift_template_start_step_5_to_240",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"


class AvailabilityBlock(models.Model):
    """A span an employee cannot work (or prefers not to): solver input, UTC instants."""

    class Kind(models.TextChoices):
        UNAVAILABLE = "unavailable"
        TIME_OFF = "time_off"  # approved time off: also excuses absence in pay
        PREFER_OFF = "prefer_off"  # a wish, weighed against cover

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="availability")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "start"]
        indexes = [models.Index(fields=["employee", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="availability_end_after"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.kind} {self.start:%Y-%m-%d %H:%M}Z"


class Roster(models.Model):
    """One version of the roster of a team (or a whole site) for a period of local days."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        SUPERSEDED = "superseded"  # a later version was published; never changes again
        DISCARDED = "discarded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rosters")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="rosters"
    )
    # "team:<uuid>" or "site:<uuid>": one key for the series' uniqueness on every backend.
    scope_key = models.CharField(max_length=48, editable=False)
    start_date = models.DateField(help_text="First local day")
    days = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    job = models.OneToOneField(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="roster"
    )
    interval_minutes = models.PositiveSmallIntegerField(default=15)
    # Solver status, objective, bound, gap, seconds, objective terms by name, unmet intervals.
    solver = models.JSONField(default=dict, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "scope_key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_key", "start_date", "version"], name="roster_version_unique"
            ),
            # One published version per series ("line" was the older word; the name stays).
            models.UniqueConstraint(
                fields=["scope_key", "start_date"],
                condition=Q(status="published"),
                name="roster_one_published_per_line",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=112), name="roster_days_1_to_112"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="roster_version_positive"),
        ]

    def __str__(self) -> str:
        scope = self.team.name if self.team_id and self.team else str(self.site)
        return f"{scope} {self.start_date} +{self.days}d v{self.version} ({self.status})"


class Shift(models.Model):
    """One person's shift: aware UTC instants, the queue or activity, breaks as child rows."""

    class Source(models.TextChoices):
        SOLVER = "solver"
        MANUAL = "manual"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="shifts")
    template = models.ForeignKey(
        ShiftTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="shifts"
    )
    activity = models.CharField(max_length=16, choices=Activity.choices, default=Activity.PHONE)
    start = models.DateTimeField()
    end = models.DateTimeField()
    local_date = models.DateField(help_text="The site-local day the shift starts on")
    # Mirrors the roster's status so the overlap constraint can look at this row alone.
    state = models.CharField(max_length=16, choices=Roster.Status.choices)
    pinned = models.BooleanField(default=False, help_text="Kept as it is by a re-solve")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SOLVER)
    note = models.CharField(max_length=500, blank=True, help_text="Visible to managers")
    # The first version's id of this shift, kept by copies into later versions: a stable
    # calendar UID and the key of version diffs.
    origin = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start", "employee"]
        indexes = [
            models.Index(fields=["employee", "start"]),
            models.Index(fields=["roster", "employee"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.start:%Y-%m-%d %H:%M}Z-{self.end:%H:%M}Z"


class ShiftBreak(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="breaks")
    start = models.DateTimeField()
    end = models.DateTimeField()
    paid = models.BooleanField(default=False)

    class Meta:
        ordering = ["shift", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="break_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"break {self.start:%H:%M}Z-{self.end:%H:%M}Z"


class RosterChange(models.Model):
    """Audit: who changed which roster version, when, what (before/after) and why."""

    class Action(models.TextChoices):
        BUILT = "built"
        ADDED = "added"
        MOVED = "moved"
        DELETED = "deleted"
        ACTIVITY = "activity"
        PINNED = "pinned"
        REVISED = "revised"
        PUBLISHED = "published"
        DISCARDED = "discarded"
        SWAPPED = "swapped"  # an approved swap, give-away or open-shift pick-up
        RELEASED = "released"  # an open shift nobody took, released by a manager
        REASSIGNED = "reassigned"  # given to another person by a manager
        BREAK_MOVED = "break_moved"
        UNDONE = "undone"  # an edit put back; `after["undoes"]` is the change's id

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    shift_id = models.UUIDField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # Rule violations the change brought and the manager overrode.
    violations = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["roster", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.roster_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class RosterNotice(models.Model):
    """One publication notice per roster version and operator: sent once, whatever retries."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="notices")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roster", "employee"], name="notice_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"notice {self.roster_id} -> {self.employee_id}"


class CalendarFeed(models.Model):
    """An operator's personal iCalendar URL; only its SHA-256 is stored, so a leaked database
    does not leak feeds. Rotating replaces it; deleting revokes it."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, primary_key=True, related_name="calendar_feed"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.employee_id}"
