"""Time clock models: terminal devices, immutable punches, PIN attempts, the remote-clock
policy and the security log of refused duplicates.

Punches are append-only: on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002),
whatever path the write takes. What a punch means after corrections is derived (selectors),
never written back.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

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
    # An integration token for the phone system (ACD): it posts interval statistics and agent
    # states, never punches; a terminal's token posts no ACD feed.
    is_acd_feed = models.BooleanField(default=False, help_text="The phone system's feed")
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
    other_sites_accepted = models.BooleanField(
        default=False,
        help_text="This site's terminals take punches of other sites' employees (visitors)",
    )
    adherence_threshold_minutes = models.PositiveSmallIntegerField(
        default=5, help_text="Out of adherence this long or longer is listed as an event"
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
