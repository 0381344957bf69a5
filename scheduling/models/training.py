"""Training new operators: the site's training policy (productivity share per level, trainees
per mentor), programmes per queue (classroom sessions, supervised phone hours with a mentor,
self-study modules), enrolments and their progress, meetings and coaching for existing staff,
and what a roster build placed (sessions, meetings, mentor pairing)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.models import Employee, Queue, Site


class TrainingPolicy(models.Model):
    """Per site: the share of a full agent a trainee and a junior count for in the roster's
    cover, and how many trainees one mentor may sit with at once. Without a row: defaults."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, primary_key=True, related_name="training_policy"
    )
    trainee_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.5"))
    junior_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.8"))
    trainees_per_mentor = models.PositiveSmallIntegerField(default=2)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(trainee_share__gte=0, trainee_share__lte=1)
                & Q(junior_share__gte=0, junior_share__lte=1),
                name="training_policy_shares_in_unit_interval",
            ),
            models.CheckConstraint(
                condition=Q(trainees_per_mentor__gte=1), name="training_policy_mentor_takes_one"
            ),
        ]

    def __str__(self) -> str:
        return f"training policy of {self.site_id}"


class TrainingProgramme(models.Model):
    """The path of trainees on one queue to a level: sessions, supervised hours, modules."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="training_programmes")
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="training_programmes")
    name = models.CharField(max_length=100)
    target_level = models.CharField(max_length=12, default="junior")
    # Supervised phone time with a mentor per week, and in all before sign-off.
    min_supervised_minutes_per_week = models.PositiveIntegerField(default=0)
    max_supervised_minutes_per_week = models.PositiveIntegerField(default=40 * 60)
    required_supervised_minutes = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="programme_name_per_site"),
            models.CheckConstraint(
                condition=Q(
                    min_supervised_minutes_per_week__lte=F("max_supervised_minutes_per_week")
                ),
                name="programme_supervised_min_within_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClassroomSession(models.Model):
    """A seminar of a programme, placed by the roster inside its window (local instants)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.CharField(max_length=200)
    length_minutes = models.PositiveIntegerField()
    trainer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions_given"
    )
    capacity = models.PositiveSmallIntegerField(default=12)
    room = models.CharField(max_length=100, blank=True, help_text="Empty: online")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()

    class Meta:
        ordering = ["programme", "window_start", "topic"]
        constraints = [
            models.CheckConstraint(condition=Q(length_minutes__gt=0), name="session_length_pos"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_pos"),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")), name="session_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_online(self) -> bool:
        return not self.room


class StudyModule(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video"
        AUDIO = "audio"
        DOCUMENT = "document"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.CASCADE, related_name="modules"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    expected_minutes = models.PositiveIntegerField()
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["programme", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(expected_minutes__gt=0), name="module_length_pos"),
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A trainee's plan: the programme they follow, from a day, until signed off."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        SIGNED_OFF = "signed_off"
        WITHDRAWN = "withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        TrainingProgramme, on_delete=models.PROTECT, related_name="enrolments"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "enrolled_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "employee"],
                condition=Q(status="active"),
                name="enrolment_active_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} in {self.programme_id}"


class SessionAttendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attended")
    session = models.ForeignKey(ClassroomSession, on_delete=models.PROTECT, related_name="+")
    attended_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="session_attended_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} attended {self.session_id}"


class ModuleCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completed")
    module = models.ForeignKey(StudyModule, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField()
    minutes = models.PositiveIntegerField(help_text="Time spent, as the trainee gave it")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="module_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} did {self.module_id}"


class Meeting(models.Model):
    """A meeting or coaching for existing staff, placed by the roster inside its window at
    the time that costs the least cover; at least `min_share` of the attendees must be there."""

    class Kind(models.TextChoices):
        MEETING = "meeting"
        COACHING = "coaching"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEETING)
    length_minutes = models.PositiveIntegerField()
    attendees = models.ManyToManyField(Employee, related_name="meetings")
    min_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal(1))
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "window_start"]
        constraints = [
            models.CheckConstraint(condition=Q(length_minutes__gt=0), name="meeting_length_pos"),
            models.CheckConstraint(
                condition=Q(min_share__gt=0, min_share__lte=1), name="meeting_share_in_unit"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")), name="meeting_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlacedActivity(models.Model):
    """A session or meeting a roster version placed for one person, inside their shift."""

    roster = models.ForeignKey("Roster", on_delete=models.CASCADE, related_name="placed")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        ClassroomSession, on_delete=models.CASCADE, null=True, blank=True, related_name="placed"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="placed"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    # Why this slot: the cover it costs against the best and the worst allowed slot.
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["roster", "start", "employee"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="placed_end_after"),
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(meeting__isnull=False),
                name="placed_session_or_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.start:%Y-%m-%d %H:%M}Z"


class MentorPairing(models.Model):
    """A span a roster version has a trainee on the phone beside a mentor of the queue."""

    roster = models.ForeignKey("Roster", on_delete=models.CASCADE, related_name="pairings")
    trainee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="mentored_by")
    mentor = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="mentoring")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["roster", "start", "trainee"]
        indexes = [
            models.Index(fields=["trainee", "start"]),
            models.Index(fields=["mentor", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="pairing_end_after"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} with {self.mentor_id} {self.start:%Y-%m-%d %H:%M}Z"
