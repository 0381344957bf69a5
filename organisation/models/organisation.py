"""The organisation: sites (time zone, country), teams, queues and employees."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from organisation.validators import (
    validate_badge_id,
    validate_country_code,
    validate_currency_code,
    validate_iana_timezone,
    validate_site_state,
)


class Site(models.Model):
    """A call-centre location; its time zone is the one all local rules are evaluated in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True)
    timezone = models.CharField(
        max_length=64,
        validators=[validate_iana_timezone],
        help_text="IANA time zone, e.g. Europe/Amsterdam",
    )
    country_code = models.CharField(
        max_length=2, validators=[validate_country_code], help_text="ISO 3166-1 alpha-2, e.g. NL"
    )
    us_state = models.CharField(
        max_length=2,
        blank=True,
        default="",
        help_text="US sites: the state's USPS code, e.g. NY (selects the state's rule pack)",
    )
    currency = models.CharField(
        max_length=3, validators=[validate_currency_code], help_text="ISO 4217, e.g. EUR"
    )
    minimum_hourly_wage = models.DecimalField(max_digits=12, decimal_places=4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_hourly_wage__gte=0), name="site_minimum_wage_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The state, in capitals, must fit the country (full_clean: the API and the admin)."""
        self.us_state = (self.us_state or "").strip().upper()
        validate_site_state(country_code=self.country_code, us_state=self.us_state)


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="team_name_unique_per_site"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"


class Queue(models.Model):
    """A line of calls needing one skill: a product, a language or an outsourced campaign."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="queues")
    name = models.CharField(max_length=100)
    client_name = models.CharField(
        max_length=200, blank=True, help_text="External client, for outsourced campaigns"
    )
    # Service goal: service_level_target share of calls answered within service_level_seconds.
    service_level_target = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.8000")
    )
    service_level_seconds = models.PositiveIntegerField(default=20)
    max_occupancy = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.8500"))
    shrinkage = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.3000"))
    default_aht_seconds = models.PositiveIntegerField(
        default=180, help_text="Handle time used when the history carries none"
    )
    patience_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Mean caller patience; set it to staff with Erlang A instead of Erlang C",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="queue_name_unique_per_site"),
            # Queueing models never promise 100 %: the chance of waiting is always above zero.
            models.CheckConstraint(
                condition=Q(service_level_target__gt=0, service_level_target__lt=1),
                name="queue_service_level_target_open_unit_interval",
            ),
            models.CheckConstraint(
                condition=Q(max_occupancy__gt=0, max_occupancy__lte=1),
                name="queue_max_occupancy_in_unit_interval",
            ),
            models.CheckConstraint(
                condition=Q(shrinkage__gte=0, shrinkage__lt=1),
                name="queue_shrinkage_in_unit_interval",
            ),
            models.CheckConstraint(
                condition=Q(default_aht_seconds__gt=0), name="queue_default_aht_positive"
            ),
            models.CheckConstraint(
                condition=Q(patience_seconds__isnull=True) | Q(patience_seconds__gt=0),
                name="queue_patience_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"

    @property
    def is_outsourced(self) -> bool:
        return bool(self.client_name)


class Employee(models.Model):
    """An operator (office or home) with the contract the roster must respect."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee"
    )
    number = models.CharField(max_length=32, unique=True, help_text="Employee number (payroll)")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="employees")
    queues = models.ManyToManyField(Queue, blank=True, related_name="employees")
    # Contract.
    min_weekly_minutes = models.PositiveIntegerField(default=0)
    max_weekly_minutes = models.PositiveIntegerField(default=40 * 60)
    max_days_per_week = models.PositiveSmallIntegerField(default=5)
    max_consecutive_days = models.PositiveSmallIntegerField(default=6)
    opted_out_of_48h = models.BooleanField(
        default=False, help_text="Signed opt-out of the 48-hour weekly average (logged)"
    )
    min_rest_minutes = models.PositiveSmallIntegerField(
        default=11 * 60, help_text="Between the end of one shift and the next start"
    )
    employment_start = models.DateField()
    employment_end = models.DateField(null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=12, decimal_places=4)
    is_home_worker = models.BooleanField(default=False)
    # Time clock identity: badge read by terminals, PIN typed on them (stored hashed).
    badge_id = models.CharField(
        max_length=32, unique=True, null=True, blank=True, validators=[validate_badge_id]
    )
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_weekly_minutes__lte=F("max_weekly_minutes")),
                name="employee_min_weekly_minutes_within_max",
            ),
            models.CheckConstraint(
                condition=Q(max_weekly_minutes__lte=7 * 24 * 60),
                name="employee_max_weekly_minutes_within_week",
            ),
            models.CheckConstraint(
                condition=Q(max_days_per_week__gte=1, max_days_per_week__lte=7),
                name="employee_max_days_per_week_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(max_consecutive_days__gte=1, max_consecutive_days__lte=14),
                name="employee_max_consecutive_days_1_to_14",
            ),
            models.CheckConstraint(
                condition=Q(min_rest_minutes__lte=24 * 60), name="employee_min_rest_within_day"
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="employee_hourly_rate_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(employment_end__isnull=True)
                | Q(employment_end__gte=F("employment_start")),
                name="employee_employment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.full_name}"

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)
