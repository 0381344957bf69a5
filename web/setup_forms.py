"""Forms of the set-up pages (shift templates, people and availability, devices): they parse
and validate input, each message beside its field; the services decide and save."""

import re
from datetime import time
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from organisation.errors import DomainError
from organisation.models import Queue, Site
from scheduling.models import Activity, ShiftTemplate
from scheduling.services.availability import AvailabilityPattern
from scheduling.validators import MAX_SHIFT_MINUTES
from timeclock.services.pay_policies import MENTORING_PREMIUM_RANGE, TRAINING_MULTIPLIER_RANGE
from web.form_errors import form_refusal
from web.labels import LABELS
from web.params import SaneDateField
from web.planning_forms import DATE, ISO_DATE, plain

TIME = {"type": "time"}
BREAKS = 3
DURATION = re.compile(r"^\s*(\d{1,2})(?::([0-5]\d))?\s*$")


def hours_text(minutes: int) -> str:
    """480 -> "8:00" (the form's way of writing a duration)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def parse_duration(text: str) -> int | None:
    """ "8:30" or "8" (hours) -> minutes; None when unreadable."""
    found = DURATION.match(text or "")
    if found is None:
        return None
    return int(found.group(1)) * 60 + int(found.group(2) or 0)


class DurationField(forms.Field):
    """A duration written h:mm (or whole hours), as minutes."""

    widget = forms.TextInput(attrs={"maxlength": 5, "inputmode": "numeric", "size": 5})
    default_error_messages = {"invalid": _("Write a duration as hours:minutes, e.g. 0:30.")}

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        minutes = parse_duration(text)
        if minutes is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return minutes

    def prepare_value(self, value: Any) -> Any:
        return hours_text(value) if isinstance(value, int) else value


def weekday_choices() -> list[tuple[int, Any]]:
    return [(d, WEEKDAYS[d]) for d in range(7)]


class ShiftTemplateForm(forms.Form):
    """When a shift may start (window and step), how long it lasts, on which weekdays, its
    breaks (each with a window after the shift's start) and its queue or activity."""

    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    name = forms.CharField(label=_("Name"), max_length=100)
    activity = forms.ChoiceField(
        label=_("Activity"), choices=[(a.value, LABELS.get(a.value, a.label)) for a in Activity]
    )
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(),
        label=_("Queue"),
        required=False,
        help_text=_("Empty: a phone shift on any queue the operator is skilled for."),
    )
    earliest_start = forms.TimeField(
        label=_("Earliest start"), widget=forms.TimeInput(format="%H:%M", attrs=TIME)
    )
    latest_start = forms.TimeField(
        label=_("Latest start"), widget=forms.TimeInput(format="%H:%M", attrs=TIME)
    )
    start_step_minutes = forms.IntegerField(
        label=_("Start every (minutes)"),
        min_value=5,
        max_value=240,
        initial=15,
        widget=forms.NumberInput(attrs={"min": 5, "max": 240, "step": 5}),
    )
    lengths = forms.CharField(
        label=_("Lengths"),
        help_text=_("Hours:minutes, separated by commas: 8:00, 6:00."),
        max_length=200,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=weekday_choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=list(range(7)),
    )

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[Site],
        template: ShiftTemplate | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        site = cast(forms.ModelChoiceField, self.fields["site"])
        site.queryset = sites.order_by("name")
        queue = cast(forms.ModelChoiceField, self.fields["queue"])
        queue.queryset = Queue.objects.filter(site__in=sites).select_related("site")
        queue.label_from_instance = lambda q: f"{q.site.name} · {q.name}"  # type: ignore[method-assign]
        if template is not None:  # a template stays at its site: shifts refer to it
            site.disabled = True
        for i in range(1, BREAKS + 1):  # labelled in their fieldset ("Break 1")
            self.fields[f"break{i}_length"] = DurationField(label=_("Length"), required=False)
            self.fields[f"break{i}_earliest"] = DurationField(
                label=_("From (after the start)"), required=False
            )
            self.fields[f"break{i}_latest"] = DurationField(
                label=_("Until (after the start)"), required=False
            )
            self.fields[f"break{i}_paid"] = forms.BooleanField(label=_("Paid"), required=False)

    @property
    def break_rows(self) -> list[list[forms.BoundField]]:
        names = ("length", "earliest", "latest", "paid")
        return [[self[f"break{i}_{n}"] for n in names] for i in range(1, BREAKS + 1)]

    @staticmethod
    def initial_for(template: ShiftTemplate) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "site": template.site_id,
            "name": template.name,
            "activity": template.activity,
            "queue": template.queue_id,
            "earliest_start": template.earliest_start,
            "latest_start": template.latest_start,
            "start_step_minutes": template.start_step_minutes,
            "lengths": ", ".join(hours_text(m) for m in template.lengths_minutes),
            "weekdays": template.weekdays,
        }
        for i, rule in enumerate(template.breaks[:BREAKS], start=1):
            initial[f"break{i}_length"] = hours_text(rule["length_minutes"])
            initial[f"break{i}_earliest"] = hours_text(rule["earliest_offset_minutes"])
            initial[f"break{i}_latest"] = hours_text(rule["latest_offset_minutes"])
            initial[f"break{i}_paid"] = bool(rule.get("paid", False))
        return initial

    def clean_lengths(self) -> list[int]:
        parts = [p for p in re.split(r"[,;\s]+", self.cleaned_data["lengths"]) if p]
        minutes = [parse_duration(p) for p in parts]
        if not parts or any(m is None for m in minutes):
            raise forms.ValidationError(_("Write each length as hours:minutes, e.g. 8:00, 6:30."))
        found = sorted({m for m in minutes if m is not None})
        if any(m < 15 or m > MAX_SHIFT_MINUTES or m % 5 for m in found):
            raise forms.ValidationError(
                _("Each length is from 0:15 to 16:00, in steps of 5 minutes.")
            )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("earliest_start"), data.get("latest_start")
        if isinstance(first, time) and isinstance(last, time) and last < first:
            self.add_error("latest_start", _("The latest start comes before the earliest."))
        queue, site = data.get("queue"), data.get("site")
        if queue is not None and site is not None and queue.site_id != site.pk:
            self.add_error("queue", _("This queue is at another site."))
        if data.get("activity") != Activity.PHONE and queue is not None:
            self.add_error("queue", _("Only phone shifts work a queue."))
        data["breaks"] = self._breaks(data)
        return data

    def _breaks(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        shortest = min(data.get("lengths") or [MAX_SHIFT_MINUTES])
        rules = []
        for i in range(1, BREAKS + 1):
            length, earliest, latest = (
                data.get(f"break{i}_{k}") for k in ("length", "earliest", "latest")
            )
            if length is None and earliest is None and latest is None:
                continue
            if length is None or length < 5:
                self.add_error(f"break{i}_length", _("A break lasts at least 0:05."))
                continue
            if earliest is None:
                self.add_error(f"break{i}_earliest", _("Say from when the break may start."))
                continue
            latest = earliest if latest is None else latest
            if latest < earliest:
                self.add_error(f"break{i}_latest", _("The window ends before it starts."))
            elif latest + length > shortest:
                self.add_error(
                    f"break{i}_latest",
                    _("The break falls outside the shift: it must end by %(end)s after the start.")
                    % {"end": hours_text(shortest)},
                )
            rules.append(
                {
                    "length_minutes": length,
                    "earliest_offset_minutes": earliest,
                    "latest_offset_minutes": latest,
                    "paid": bool(data.get(f"break{i}_paid")),
                }
            )
        return rules

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "activity": data["activity"],
            "queue": data["queue"],
            "earliest_start": data["earliest_start"],
            "latest_start": data["latest_start"],
            "start_step_minutes": data["start_step_minutes"],
            "lengths_minutes": data["lengths"],
            "weekdays": sorted(data["weekdays"]),
            "breaks": data["breaks"],
        }


# --- People --------------------------------------------------------------------------------


def hours_field(label: Any, *, high: str) -> forms.DecimalField:
    """Hours typed as a number (36 or 36.5), kept as minutes by `minutes()`."""
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(high),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "max": high, "step": "0.25"}),
    )


def minutes(hours: Decimal) -> int:
    return int(hours * 60)


def hours_of(minutes_: int) -> Decimal:
    return plain((Decimal(minutes_) / 60).quantize(Decimal("0.01")))


class PersonForm(forms.Form):
    """A person's contract (weekly hours, days, days in a row, rest), skills, home work and
    badge."""

    min_weekly_hours = hours_field(_("Minimum hours a week"), high="168")
    max_weekly_hours = hours_field(_("Maximum hours a week"), high="168")
    max_days_per_week = forms.IntegerField(
        label=_("Days a week at most"), min_value=1, max_value=7, widget=forms.NumberInput
    )
    max_consecutive_days = forms.IntegerField(
        label=_("Days in a row at most"), min_value=1, max_value=14, widget=forms.NumberInput
    )
    min_rest_hours = hours_field(_("Rest between shifts at least (hours)"), high="24")
    queues = forms.ModelMultipleChoiceField(
        queryset=Queue.objects.none(),
        label=_("Skilled for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_home_worker = forms.BooleanField(label=_("Works from home"), required=False)
    badge_id = forms.CharField(
        label=_("Badge"),
        max_length=32,
        required=False,
        help_text=_("What the terminals read: letters, digits or dashes."),
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queues = cast(forms.ModelMultipleChoiceField, self.fields["queues"])
        queues.queryset = Queue.objects.filter(site=site).order_by("name")
        queues.label_from_instance = lambda q: q.name  # type: ignore[method-assign]

    @staticmethod
    def initial_for(employee: Any) -> dict[str, Any]:
        return {
            "min_weekly_hours": hours_of(employee.min_weekly_minutes),
            "max_weekly_hours": hours_of(employee.max_weekly_minutes),
            "max_days_per_week": employee.max_days_per_week,
            "max_consecutive_days": employee.max_consecutive_days,
            "min_rest_hours": hours_of(employee.min_rest_minutes),
            "queues": [q.pk for q in employee.queues.all()],
            "is_home_worker": employee.is_home_worker,
            "badge_id": employee.badge_id or "",
        }

    def clean_badge_id(self) -> str | None:
        badge = (self.cleaned_data.get("badge_id") or "").strip()
        if badge and not re.fullmatch(r"[A-Za-z0-9-]{1,32}", badge):
            raise forms.ValidationError(_("A badge is 1 to 32 letters, digits or dashes."))
        return badge or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_weekly_hours"), data.get("max_weekly_hours")
        if low is not None and high is not None and low > high:
            self.add_error(
                "min_weekly_hours",
                _("The minimum is above the maximum of %(hours)s hours.")
                % {"hours": hours_of(minutes(high))},
            )
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "min_weekly_minutes": minutes(data["min_weekly_hours"]),
            "max_weekly_minutes": minutes(data["max_weekly_hours"]),
            "max_days_per_week": data["max_days_per_week"],
            "max_consecutive_days": data["max_consecutive_days"],
            "min_rest_minutes": minutes(data["min_rest_hours"]),
            "is_home_worker": data["is_home_worker"],
            "badge_id": data["badge_id"],
            "queues": list(data["queues"]),
        }


class AvailabilityForm(forms.Form):
    """Unavailability, a wish to be off (or, for managers, approved time off) on a range of
    local days, on some weekdays only and part of the day if wanted."""

    KINDS = [
        ("unavailable", _("Unavailable")),
        ("prefer_off", _("Rather not work")),
        ("time_off", _("Approved time off")),
    ]

    kind = forms.ChoiceField(label=_("What"), choices=KINDS)
    first_day = SaneDateField(
        label=_("First day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    last_day = SaneDateField(
        label=_("Last day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Only on"),
        choices=weekday_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day of the range."),
    )
    start_time = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs=TIME),
        help_text=_("Leave both times empty for whole days."),
    )
    end_time = forms.TimeField(
        label=_("Until"), required=False, widget=forms.TimeInput(format="%H:%M", attrs=TIME)
    )
    reason = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, own: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own:  # operators ask for time off on its own page
            cast(forms.ChoiceField, self.fields["kind"]).choices = self.KINDS[:2]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day comes before the first."))
        if (data.get("start_time") is None) != (data.get("end_time") is None) and not (
            self.has_error("start_time") or self.has_error("end_time")
        ):
            self.add_error("end_time", _("Give both times, or neither for whole days."))
        elif data.get("start_time") is not None and data.get("start_time") == data.get("end_time"):
            self.add_error("end_time", _("The time span is empty."))
        return data

    def pattern(self) -> AvailabilityPattern:
        data = self.cleaned_data
        return AvailabilityPattern(
            kind=data["kind"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekdays=tuple(sorted(data["weekdays"])),
            start=data["start_time"],
            end=data["end_time"],
            reason=data["reason"],
        )

    def refusal(self, exc: DomainError) -> None:
        """The service's refusal beside the field it is about, in the reader's language."""
        for errors in (exc.extra.get("fields") or {}).values():
            for error in errors:
                if error.get("code") in PATTERN_MESSAGES:
                    field, message = PATTERN_MESSAGES[error["code"]]
                    self.add_error(field, message)
                    return
        form_refusal(self, exc, AVAILABILITY_FIELDS)


# The service's field errors (by code) and refusals, and the form field each is about.
PATTERN_MESSAGES = {
    "end_before_start": ("last_day", _("The last day comes before the first.")),
    "too_long": ("last_day", _("Enter at most a year at a time.")),
    "times_in_pairs": ("end_time", _("Give both times, or neither for whole days.")),
    "no_days": ("weekdays", _("None of these days falls on the weekdays chosen.")),
    "bad_local_time": (
        "start_time",
        _("This time does not exist that day: the clocks went forward."),
    ),
}
AVAILABILITY_FIELDS = {
    "availability_past_deadline": "first_day",
    "availability_roster_built": "first_day",
}


# --- Devices -------------------------------------------------------------------------------


class DeviceForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where it hangs, e.g. Entrance hall.")
    )
    is_kiosk = forms.BooleanField(
        label=_("A kiosk tablet (operators type their PIN)"), required=False
    )
    is_acd_feed = forms.BooleanField(
        label=_("The phone system's feed (ACD): call statistics and agent states, no punches"),
        required=False,
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites.order_by("name")


# --- Pay policies --------------------------------------------------------------------------


def _tiers_text(tiers: list[list[Any]]) -> str:
    return ", ".join(f"{minutes}: {amount}" for minutes, amount in tiers)


def _optional_decimal(
    label: Any, bounds: tuple[Decimal, Decimal], places: int, help_text: Any
) -> forms.DecimalField:
    """An optional number within the service's bounds (empty: the service's default)."""
    low, high = bounds
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        decimal_places=places,
        help_text=help_text,
    )


class PayPolicyForm(forms.Form):
    """A version of a site's or team's pay policy and the first day of the periods it pays."""

    effective_from = SaneDateField(
        label=_("Pays the periods from"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    pay_frequency = forms.ChoiceField(
        label=_("Pay periods"),
        choices=[
            ("weekly", _("Weekly")),
            ("biweekly", _("Every two weeks")),
            ("semimonthly", _("Twice a month")),
            ("monthly", _("Monthly")),
        ],
    )
    rounding_minutes = forms.TypedChoiceField(
        label=_("Rounding of worked time"),
        coerce=int,
        choices=[(0, _("Exact")), (5, _("5 minutes")), (6, _("6 minutes")), (15, _("15 minutes"))],
    )
    exact_time_only = forms.BooleanField(label=_("The law forbids rounding"), required=False)
    weekly_overtime_hours = forms.DecimalField(
        label=_("Overtime after (hours a week)"),
        min_value=Decimal("0.25"),
        max_value=168,
        decimal_places=2,
    )
    daily_overtime_hours = forms.DecimalField(
        label=_("Overtime after (hours a day)"),
        min_value=Decimal("0.25"),
        max_value=24,
        decimal_places=2,
        required=False,
        help_text=_("Empty: no daily limit."),
    )
    overtime_multiplier = forms.DecimalField(
        label=_("Overtime pays (times the rate)"), min_value=1, max_value=10, decimal_places=4
    )
    night_start = forms.TimeField(
        label=_("Night from"), widget=forms.TimeInput(format="%H:%M", attrs=TIME)
    )
    night_end = forms.TimeField(
        label=_("Night until"), widget=forms.TimeInput(format="%H:%M", attrs=TIME)
    )
    night_premium = forms.DecimalField(
        label=_("Night premium (%)"), min_value=0, max_value=500, decimal_places=2
    )
    weekend_premium = forms.DecimalField(
        label=_("Weekend premium (%)"), min_value=0, max_value=500, decimal_places=2
    )
    holiday_premium = forms.DecimalField(
        label=_("Holiday premium (%)"), min_value=0, max_value=500, decimal_places=2
    )
    # Unsocial hours apart (the Dutch contact-centre preset), all optional.
    evening_start = forms.TimeField(
        label=_("Evening from"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs=TIME),
    )
    evening_end = forms.TimeField(
        label=_("Evening until"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs=TIME),
    )
    evening_premium = forms.DecimalField(
        label=_("Evening premium (%)"),
        required=False,
        min_value=0,
        max_value=500,
        decimal_places=2,
    )
    saturday_premium = forms.DecimalField(
        label=_("Saturday premium (%)"),
        required=False,
        min_value=0,
        max_value=500,
        decimal_places=2,
        help_text=_("Empty: the weekend premium for both days."),
    )
    sunday_premium = forms.DecimalField(
        label=_("Sunday premium (%)"),
        required=False,
        min_value=0,
        max_value=500,
        decimal_places=2,
    )
    grace_minutes = forms.IntegerField(
        label=_("Late after (minutes of grace)"), min_value=0, max_value=120
    )
    fines_enabled = forms.BooleanField(
        label=_("Fines for lateness and absence"),
        required=False,
        help_text=_("Switch off where fines are unlawful."),
    )
    fine_destination = forms.CharField(
        label=_("Where the fines go"),
        required=False,
        max_length=200,
        help_text=_("Netherlands: a named destination that is not the employer (BW art. 7:650)."),
    )
    lateness_mode = forms.ChoiceField(
        label=_("Lateness fine"),
        choices=[
            ("none", _("None")),
            ("per_minute", _("Per late minute")),
            ("per_occurrence", _("Per time late")),
            ("tiered", _("By tiers")),
        ],
    )
    lateness_amount = forms.DecimalField(
        label=_("Lateness amount"), min_value=0, max_value=1_000_000, decimal_places=2
    )
    lateness_tiers = forms.CharField(
        label=_("Lateness tiers"),
        required=False,
        max_length=500,
        help_text=_("From minutes late: amount, e.g. 5: 2.50, 15: 10.00"),
    )
    absence_mode = forms.ChoiceField(
        label=_("Absence fine"),
        choices=[
            ("none", _("None")),
            ("fixed", _("A fixed amount")),
            ("shift_pay_multiple", _("Times the shift's pay")),
        ],
    )
    absence_amount = forms.DecimalField(
        label=_("Absence amount or multiple"), min_value=0, max_value=1_000_000, decimal_places=4
    )
    training_rate_multiplier = _optional_decimal(
        _("Training and classroom hours pay (times the rate)"),
        TRAINING_MULTIPLIER_RANGE,
        4,
        _("Empty: the normal rate."),
    )
    mentoring_premium_per_hour = _optional_decimal(
        _("Mentoring premium (per hour beside a trainee)"),
        MENTORING_PREMIUM_RANGE,
        2,
        _("Empty: none."),
    )

    def __init__(
        self,
        *args: Any,
        team: Any = None,
        earliest: Any = None,
        preset: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest  # the first day a change may pay from (the service's rule)
        if team is not None:  # periods follow the site's policy
            del self.fields["pay_frequency"]
        if preset is not None:  # what the preset cannot fill, the officer must enter
            for name in preset.missing():
                self.fields[name].required = True
                self.initial[name] = None

    def clean_effective_from(self) -> Any:
        day = self.cleaned_data["effective_from"]
        if self.earliest is not None and day < self.earliest:
            raise forms.ValidationError(
                _(
                    "A change pays from the next pay period on, not inside one already opened "
                    "or closed."
                )
            )
        return day

    @staticmethod
    def initial_for(policy: Any, effective_from: Any) -> dict[str, Any]:
        """The form for the next version: the values in effect, the earliest first day."""
        initial: dict[str, Any] = {"effective_from": effective_from}
        if policy is None:
            return initial | {
                "pay_frequency": "weekly",
                "rounding_minutes": 0,
                "weekly_overtime_hours": 40,
                "overtime_multiplier": Decimal("1.5"),
                "night_start": time(22),
                "night_end": time(6),
                "night_premium": 25,
                "weekend_premium": 0,
                "holiday_premium": 0,
                "grace_minutes": 5,
                "fines_enabled": True,
                "lateness_mode": "none",
                "lateness_amount": 0,
                "absence_mode": "none",
                "absence_amount": 0,
                "training_rate_multiplier": 1,
                "mentoring_premium_per_hour": 0,
            }
        return initial | {
            "pay_frequency": policy.pay_frequency,
            "rounding_minutes": policy.rounding_minutes,
            "exact_time_only": policy.exact_time_only,
            "weekly_overtime_hours": plain(policy.weekly_overtime_hours),
            "daily_overtime_hours": plain(policy.daily_overtime_hours)
            if policy.daily_overtime_hours is not None
            else None,
            "overtime_multiplier": plain(policy.overtime_multiplier),
            "night_start": policy.night_start,
            "night_end": policy.night_end,
            "night_premium": plain(policy.night_premium * 100),
            "weekend_premium": plain(policy.weekend_premium * 100),
            "holiday_premium": plain(policy.holiday_premium * 100),
            "evening_start": policy.evening_start,
            "evening_end": policy.evening_end,
            "evening_premium": plain(policy.evening_premium * 100)
            if policy.evening_premium
            else None,
            "saturday_premium": plain(policy.saturday_premium * 100)
            if policy.saturday_premium is not None
            else None,
            "sunday_premium": plain(policy.sunday_premium * 100)
            if policy.sunday_premium is not None
            else None,
            "grace_minutes": policy.grace_minutes,
            "fines_enabled": policy.fines_enabled,
            "fine_destination": policy.fine_destination,
            "lateness_mode": policy.lateness_mode,
            "lateness_amount": plain(policy.lateness_amount),
            "lateness_tiers": _tiers_text(policy.lateness_tiers),
            "absence_mode": policy.absence_mode,
            "absence_amount": plain(policy.absence_amount),
            "training_rate_multiplier": plain(policy.training_rate_multiplier),
            "mentoring_premium_per_hour": plain(policy.mentoring_premium_per_hour),
        }

    def clean_lateness_tiers(self) -> list[list[Any]]:
        tiers = []
        for part in re.split(r"[,;\n]+", self.cleaned_data.get("lateness_tiers") or ""):
            if not part.strip():
                continue
            found = re.fullmatch(r"\s*(\d{1,4})\s*[:=]\s*(\d+(?:[.,]\d{1,2})?)\s*", part)
            if found is None or int(found.group(1)) > 1440:
                raise forms.ValidationError(
                    _("Write each tier as minutes late: amount, e.g. 5: 2.50, 15: 10.00.")
                )
            tiers.append([int(found.group(1)), found.group(2).replace(",", ".")])
        return sorted(tiers)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("night_start") is not None and data.get("night_start") == data.get("night_end"):
            self.add_error("night_end", _("The night ends when it starts: the window is empty."))
        evening = [data.get("evening_start"), data.get("evening_end")]
        if data.get("evening_premium") and None in evening:
            self.add_error("evening_end", _("Give the evening's start and end for its premium."))
        if None not in evening and evening[0] == evening[1]:
            self.add_error(
                "evening_end", _("The evening ends when it starts: the window is empty.")
            )
        if data.get("lateness_mode") == "tiered" and not data.get("lateness_tiers"):
            self.add_error("lateness_tiers", _("Give the tiers for fines by tiers."))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("effective_from")
        for name in ("night_premium", "weekend_premium", "holiday_premium"):
            data[name] = data[name] / 100
        for name in ("evening_premium", "saturday_premium", "sunday_premium"):
            data[name] = None if data.get(name) is None else data[name] / 100
        data["evening_premium"] = data["evening_premium"] or 0
        if data.get("training_rate_multiplier") is None:
            data["training_rate_multiplier"] = Decimal(1)
        data["mentoring_premium_per_hour"] = data.get("mentoring_premium_per_hour") or Decimal(0)
        return data
