"""Forms of the web pages: they parse and validate input; the services decide."""

from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from organisation.errors import LocalTimeAmbiguous, LocalTimeSkipped
from organisation.local_grid import local_instant
from organisation.models import Employee, Queue, Site, Team
from scheduling.models import Activity, Shift
from timeclock.models import PayrollExport


def date_input() -> forms.DateInput:
    """A date picker whose value is ISO (2026-12-07) in every language: browsers take no
    other, and Django would write the active locale's format (07-12-2026 in Dutch), which the
    browser drops, so the field came back empty ("Dit veld is vereist")."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def time_input() -> forms.TimeInput:
    """A time picker whose value is hh:mm in every language."""
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class RosterBuildForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    start = forms.DateField(label=_("First day"), widget=date_input())
    days = forms.TypedChoiceField(
        label=_("Days"),
        choices=[(7, _("1 week")), (14, _("2 weeks")), (28, _("4 weeks"))],
        coerce=int,
        initial=7,
    )
    time_limit_seconds = forms.IntegerField(
        label=_("Solver time limit (seconds)"), min_value=1, initial=30
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["team"])
        field.queryset = teams.select_related("site").order_by("site__name", "name")
        if len(field.queryset) == 1:  # one team: nothing to pick
            field.initial = field.queryset[0].pk
        field.label_from_instance = lambda t: f"{t.site.name} · {t.name}"  # type: ignore[method-assign]
        limit = settings.WFM_ROSTER_MAX_SECONDS
        self.fields["time_limit_seconds"].validators.append(MaxValueValidator(limit))
        self.fields["time_limit_seconds"].widget.attrs["max"] = limit


class ShiftEditForm(forms.Form):
    """A shift's local day, start and end times (in the site's zone), activity, queue, note."""

    day = forms.DateField(label=_("Day"), widget=date_input())
    start_time = forms.TimeField(label=_("Start"), widget=time_input())
    end_time = forms.TimeField(label=_("End"), widget=time_input())
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    queue = forms.ModelChoiceField(queryset=Queue.objects.none(), label=_("Queue"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    override = forms.BooleanField(label=_("Override the rules"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args: Any, shift: Shift, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(shift.roster.site.timezone)
        queue = cast(forms.ModelChoiceField, self.fields["queue"])
        queue.queryset = Queue.objects.filter(site_id=shift.roster.site_id).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        start = datetime.combine(data["day"], data["start_time"], tzinfo=self.zone)
        end = datetime.combine(data["day"], data["end_time"], tzinfo=self.zone)
        if end <= start:  # a night shift ends on the next day
            end = datetime.combine(data["day"] + timedelta(days=1), data["end_time"], self.zone)
        if end - start > timedelta(hours=16):
            self.add_error("end_time", _("A shift lasts at most 16 hours."))
        if data.get("override") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason to override the rules."))
        data["start"], data["end"] = start, end
        return data

    @staticmethod
    def initial_for(shift: Shift) -> dict[str, Any]:
        zone = ZoneInfo(shift.roster.site.timezone)
        start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
        return {
            "day": start.date(),
            "start_time": start.time().replace(second=0),
            "end_time": end.time().replace(second=0),
            "activity": shift.activity,
            "queue": shift.queue_id,
            "note": shift.note,
        }


class ClockForm(forms.Form):
    kind = forms.ChoiceField(choices=[("in", _("In")), ("out", _("Out"))])
    event_id = forms.UUIDField(widget=forms.HiddenInput)


class PeriodOpenForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.order_by("name"), label=_("Site"))


class PeriodCloseForm(forms.Form):
    force_reason = forms.CharField(
        label=_("Reason to close despite missing punches"), max_length=500, required=False
    )
    approve_adjustments = forms.BooleanField(
        label=_("Approve the adjustments for earlier periods"), required=False
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (PayrollExport.Format.CSV, "CSV"),
            (PayrollExport.Format.XLSX, "XLSX"),
        ],
    )


class WeekForm(forms.Form):
    week = forms.DateField(required=False)

    def monday(self, today: date) -> date:
        day = (self.cleaned_data.get("week") if self.is_valid() else None) or today
        return day - timedelta(days=day.weekday())


def shift_label(shift: Shift, *, with_name: bool = False) -> str:
    """A shift in its site's local time, in the reader's language: "Mon 7 Dec 09:00-17:00 ·
    Retail (Anna)"."""
    zone = ZoneInfo(shift.roster.site.timezone)
    start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
    text = f"{date_format(start, 'D j M H:i')}-{date_format(end, 'H:i')}"
    if shift.queue_id and shift.queue:
        text += f" · {shift.queue.name}"
    if with_name:
        text += f" ({shift.employee.full_name})"
    return text


class SwapOfferForm(forms.Form):
    """Offer one of my published shifts: for a colleague's shift, to a colleague, or on the
    board. Which fields a kind needs is checked here, so errors show beside them."""

    KINDS = [
        ("swap", _("Swap for a colleague's shift")),
        ("give_away", _("Give to a colleague")),
        ("open", _("Post on the open-shift board")),
    ]

    shift = forms.ModelChoiceField(queryset=Shift.objects.none(), label=_("My shift"))
    kind = forms.ChoiceField(label=_("What to do"), choices=KINDS, widget=forms.RadioSelect)
    counterpart = forms.ModelChoiceField(
        queryset=Employee.objects.none(), label=_("Colleague"), required=False
    )
    counterpart_shift = forms.ModelChoiceField(
        queryset=Shift.objects.none(), label=_("Their shift"), required=False
    )
    note = forms.CharField(label=_("Note to colleagues"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        mine: QuerySet[Shift],
        theirs: QuerySet[Shift],
        colleagues: QuerySet[Employee],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        own = cast(forms.ModelChoiceField, self.fields["shift"])
        own.queryset = mine
        own.label_from_instance = shift_label  # type: ignore[method-assign]
        other = cast(forms.ModelChoiceField, self.fields["counterpart_shift"])
        other.queryset = theirs
        other.label_from_instance = lambda s: shift_label(s, with_name=True)  # type: ignore[method-assign]
        people = cast(forms.ModelChoiceField, self.fields["counterpart"])
        people.queryset = colleagues
        people.label_from_instance = lambda e: e.full_name  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "swap" and not data.get("counterpart_shift"):
            self.add_error("counterpart_shift", _("Pick the colleague's shift to swap for."))
        if kind == "give_away" and not data.get("counterpart"):
            self.add_error("counterpart", _("Pick the colleague to give the shift to."))
        return data


class TimeOffForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=date_input())
    last_day = forms.DateField(label=_("Last day"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("The last day comes before the first."))
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CorrectionTimeForm(forms.Form):
    """A local day and time as the operator's clock showed it, in the site's zone (`zone`),
    and why. In the hour the autumn change repeats, it asks which of the two was meant."""

    FOLDS = [
        (0, _("The first one (before the clocks went back)")),
        (1, _("The second one (after the clocks went back)")),
    ]

    day = forms.DateField(label=_("Day"), widget=date_input())
    time = forms.TimeField(label=_("Time"), widget=time_input())
    fold = forms.TypedChoiceField(
        label=_("Which one"),
        choices=FOLDS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") is None or data.get("time") is None:
            return data
        try:
            data["occurred_at"] = local_instant(
                day=data["day"], wall=data["time"], timezone=self.zone, fold=data.get("fold")
            )
        except LocalTimeSkipped:
            self.add_error("time", _("This time does not exist that day: the clocks went forward."))
        except LocalTimeAmbiguous:
            self.fields["fold"].widget = forms.RadioSelect(choices=self.FOLDS)
            self.add_error("fold", _("This time happens twice that day: choose which one."))
        return data


class CorrectionAddForm(CorrectionTimeForm):
    """Ask for a punch the clock never got."""

    KINDS = [
        ("in", _("Clock-in")),
        ("out", _("Clock-out")),
        ("break_start", _("Break start")),
        ("break_end", _("Break end")),
    ]

    kind = forms.ChoiceField(label=_("Missing punch"), choices=KINDS)
    field_order = ["kind", "day", "time", "fold", "reason"]


class CorrectionMoveForm(CorrectionTimeForm):
    """Ask for one of the row's punches (`punches`: id and label) to count at another time."""

    punch = forms.TypedChoiceField(label=_("Punch"), coerce=int, choices=[])
    field_order = ["punch", "day", "time", "fold", "reason"]

    def __init__(self, *args: Any, punches: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["punch"]).choices = punches
