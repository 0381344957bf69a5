"""Forms of the web pages: they parse and validate input; the services decide."""

from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisation.errors import LocalTimeAmbiguous, LocalTimeSkipped
from organisation.local_grid import local_instant
from organisation.models import Employee, Queue, Site, Team
from scheduling.models import Activity, Shift, ShiftTemplate
from timeclock.models import PayrollExport
from web.labels import LABELS
from web.params import SaneDateField
from web.sentences import duration_text


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
    start = SaneDateField(label=_("First day"), widget=date_input())
    days = forms.TypedChoiceField(
        label=_("Days"),
        choices=[(7, _("1 week")), (14, _("2 weeks")), (28, _("4 weeks"))],
        coerce=int,
        initial=7,
    )
    time_limit_seconds = forms.IntegerField(
        label=_("Solver time limit (seconds)"), min_value=1, initial=30
    )
    whole_site = forms.BooleanField(
        label=_("Plan the whole site as one roster (every team's people)"),
        required=False,
        help_text=_(
            "When two teams serve a queue, one roster of the site plans them together; a "
            "team's roster is planned against the requirement other teams have not covered "
            "in a published roster."
        ),
    )
    field_order = ["team", "whole_site", "start", "days", "time_limit_seconds"]

    def __init__(
        self,
        *args: Any,
        teams: QuerySet[Team],
        plannable: QuerySet[Site] | None = None,
        site_advised: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["team"])
        field.queryset = teams.select_related("site").order_by("site__name", "name")
        if len(field.queryset) == 1:  # one team: nothing to pick
            field.initial = field.queryset[0].pk
        field.label_from_instance = lambda t: f"{t.site.name} · {t.name}"  # type: ignore[method-assign]
        self.plannable = set(plannable.values_list("pk", flat=True)) if plannable else set()
        if not self.plannable:
            del self.fields["whole_site"]
        elif site_advised:
            self.fields["whole_site"].initial = True
        limit = settings.WFM_ROSTER_MAX_SECONDS
        self.fields["time_limit_seconds"].validators.append(MaxValueValidator(limit))
        self.fields["time_limit_seconds"].widget.attrs["max"] = limit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team = data.get("team")
        if data.get("whole_site") and team is not None and team.site_id not in self.plannable:
            self.add_error(
                "whole_site", _("Only a manager of every team of the site plans it as a whole.")
            )
        return data


class ShiftRulesForm(forms.Form):
    """What every board edit carries: the shift's version token as the page showed it (the
    service refuses the edit when the shift changed since), and an override of the rules
    with its reason."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    override = forms.BooleanField(label=_("Override the rules"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("override") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason to override the rules."))
        return data


# Moves and resizes a keyboard can make from the shift editor: (what moves, minutes).
NUDGES = {
    "day:-1": ("both", -1440),
    "day:1": ("both", 1440),
    "move:-15": ("both", -15),
    "move:15": ("both", 15),
    "start:-15": ("start", -15),
    "start:15": ("start", 15),
    "end:-15": ("end", -15),
    "end:15": ("end", 15),
}


class ShiftEditForm(ShiftRulesForm):
    """A shift's local day, start and end times (in the site's zone), activity, queue, note;
    a `nudge` button moves or resizes it from the times shown."""

    day = SaneDateField(label=_("Day"), widget=date_input())
    start_time = forms.TimeField(label=_("Start"), widget=time_input())
    end_time = forms.TimeField(label=_("End"), widget=time_input())
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    queue = forms.ModelChoiceField(queryset=Queue.objects.none(), label=_("Queue"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    field_order = ["day", "start_time", "end_time", "activity", "queue", "note"]

    def __init__(self, *args: Any, shift: Shift, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(shift.roster.site.timezone)
        queue = cast(forms.ModelChoiceField, self.fields["queue"])
        queue.queryset = Queue.objects.filter(site_id=shift.roster.site_id).order_by("name")
        queue.label_from_instance = lambda q: q.name  # type: ignore[method-assign]
        cast(forms.ChoiceField, self.fields["activity"]).choices = [
            (value, LABELS.get(value, label)) for value, label in Activity.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(name in self.errors for name in ("day", "start_time", "end_time")):
            return data
        start = datetime.combine(data["day"], data["start_time"], tzinfo=self.zone)
        end = datetime.combine(data["day"], data["end_time"], tzinfo=self.zone)
        if end <= start:  # a night shift ends on the next day
            end = datetime.combine(data["day"] + timedelta(days=1), data["end_time"], self.zone)
        what, minutes = NUDGES.get(str(self.data.get("nudge", "")), ("", 0))
        if what:
            step = timedelta(minutes=minutes)
            start = _wall(start + step, self.zone) if what in ("both", "start") else start
            end = _wall(end + step, self.zone) if what in ("both", "end") else end
            self._show(start, end)
        if end <= start:
            self.add_error("end_time", _("A shift ends after it starts."))
        elif end - start > timedelta(hours=16):
            self.add_error("end_time", _("A shift lasts at most 16 hours."))
        data["start"], data["end"] = start, end
        return data

    def _show(self, start: datetime, end: datetime) -> None:
        """A nudged shift shows its new times if the edit comes back (refused by a rule),
        so that saving with an override keeps the nudge."""
        data = self.data.copy()
        data["day"] = start.date().isoformat()
        data["start_time"], data["end_time"] = f"{start:%H:%M}", f"{end:%H:%M}"
        self.data = data

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


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """The same wall-clock reading in the zone (a nudge across a DST change keeps hh:mm)."""
    return instant.replace(tzinfo=None).replace(tzinfo=zone)


class ShiftAddForm(ShiftRulesForm):
    """A new shift for one person: its template, local day, times, queue and note."""

    day = SaneDateField(label=_("Day"), widget=date_input())
    template = forms.ModelChoiceField(queryset=ShiftTemplate.objects.none(), label=_("Template"))
    start_time = forms.TimeField(label=_("Start"), widget=time_input(), required=False)
    end_time = forms.TimeField(label=_("End"), widget=time_input(), required=False)
    queue = forms.ModelChoiceField(queryset=Queue.objects.none(), label=_("Queue"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    field_order = ["day", "template", "start_time", "end_time", "queue", "note"]

    def __init__(self, *args: Any, site: Site, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["seen"]  # a new shift has no earlier version to check
        self.zone = ZoneInfo(site.timezone)
        template = cast(forms.ModelChoiceField, self.fields["template"])
        template.queryset = ShiftTemplate.objects.filter(site=site, is_active=True).order_by(
            "earliest_start", "name"
        )
        template.label_from_instance = _template_label  # type: ignore[method-assign]
        skilled = list(employee.queues.filter(site=site).order_by("name"))
        queue = cast(forms.ModelChoiceField, self.fields["queue"])
        queue.queryset = Queue.objects.filter(site=site).order_by("name")
        queue.label_from_instance = lambda q: q.name  # type: ignore[method-assign]
        queue.help_text = _("A phone template without a queue is worked on the queue chosen here.")
        if skilled and not self.is_bound:
            self.initial.setdefault("queue", skilled[0].pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        template: ShiftTemplate | None = data.get("template")
        if template is None or "day" in self.errors:
            return data
        first = template.earliest_start
        start_time = data.get("start_time") or first
        start = datetime.combine(data["day"], start_time, tzinfo=self.zone)
        if data.get("end_time"):
            end = datetime.combine(data["day"], data["end_time"], tzinfo=self.zone)
            if end <= start:
                end = datetime.combine(data["day"] + timedelta(days=1), data["end_time"], self.zone)
        else:
            end = _wall(start + timedelta(minutes=min(template.lengths_minutes)), self.zone)
        if end - start > timedelta(hours=16):
            self.add_error("end_time", _("A shift lasts at most 16 hours."))
        if template.activity == Activity.PHONE and not (template.queue_id or data.get("queue")):
            self.add_error("queue", _("Choose the queue this shift works."))
        data["start"], data["end"] = start, end
        return data


def _template_label(template: ShiftTemplate) -> str:
    window = f"{template.earliest_start:%H:%M}\u2013{template.latest_start:%H:%M}"
    lengths = ", ".join(duration_text(m) for m in sorted(template.lengths_minutes))
    return f"{template.name} ({window}, {lengths})"


class ReassignForm(ShiftRulesForm):
    employee = forms.ModelChoiceField(queryset=Employee.objects.none(), label=_("Give it to"))

    def __init__(self, *args: Any, people: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["employee"])
        field.queryset = people
        field.label_from_instance = lambda e: e.full_name  # type: ignore[method-assign]


class ShiftDropForm(ShiftRulesForm):
    """A shift dragged on the board to another cell: its new local day and person (the same
    wall-clock times on that day)."""

    day = SaneDateField(widget=forms.HiddenInput)
    employee = forms.ModelChoiceField(queryset=Employee.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, shift: Shift, people: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(shift.roster.site.timezone)
        self.shift = shift
        cast(forms.ModelChoiceField, self.fields["employee"]).queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "day" not in data:
            return data
        start, end = self.shift.start.astimezone(self.zone), self.shift.end.astimezone(self.zone)
        moved = data["day"] - start.date()
        data["start"] = _wall(start + moved, self.zone)
        data["end"] = _wall(end + moved, self.zone)
        return data


class BreakMoveForm(ShiftRulesForm):
    """One of the shift's breaks (its start, as shown) to a new local start time."""

    break_start = forms.DateTimeField(widget=forms.HiddenInput)
    start_time = forms.TimeField(label=_("Break starts at"), widget=time_input())

    def __init__(self, *args: Any, shift: Shift, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shift = shift
        self.zone = ZoneInfo(shift.roster.site.timezone)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "break_start" in self.errors or "start_time" in self.errors:
            return data
        first = self.shift.start.astimezone(self.zone)
        start = datetime.combine(first.date(), data["start_time"], tzinfo=self.zone)
        if start < first:  # after midnight in a night shift
            start = datetime.combine(
                first.date() + timedelta(days=1), data["start_time"], self.zone
            )
        if not self.shift.start <= start < self.shift.end:
            self.add_error("start_time", _("A break lies inside its shift."))
        data["start"] = start
        return data


class ClockForm(forms.Form):
    kind = forms.ChoiceField(choices=[("in", _("In")), ("out", _("Out"))])
    event_id = forms.UUIDField(widget=forms.HiddenInput)
    # Ticked to record a second in (or out) in a row: the last punch is already of that kind.
    again = forms.BooleanField(required=False)


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
        choices=PayrollExport.Format.choices,
    )


class WeekForm(forms.Form):
    week = SaneDateField(required=False)

    def monday(self, today: date) -> date:
        day = (self.cleaned_data.get("week") if self.is_valid() else None) or today
        return day - timedelta(days=day.weekday())


def shift_label(shift: Shift, *, with_name: bool = False) -> str:
    """A shift in its site's local time, in the reader's language: "Mon 7 Dec 09:00-17:00 ·
    Retail (Anna)"."""
    zone = ZoneInfo(shift.roster.site.timezone)
    start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
    text = f"{date_format(start, gettext('D j M H:i'))}-{date_format(end, 'H:i')}"
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
    first_day = SaneDateField(label=_("First day"), widget=date_input())
    last_day = SaneDateField(label=_("Last day"), widget=date_input())
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

    day = SaneDateField(label=_("Day"), widget=date_input())
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


class BoardFilterForm(forms.Form):
    """The board's window and filters (GET); anything invalid falls back to the default."""

    SPANS = [("week", _("1 week")), ("2weeks", _("2 weeks")), ("period", _("Whole period"))]
    SORTS = [
        ("name", _("Name")),
        ("number", _("Number")),
        ("hours", _("Most hours")),
        ("under", _("Most under contract")),
        ("over", _("Most over contract")),
    ]

    start = SaneDateField(label=_("From"), required=False, widget=date_input())
    span = forms.ChoiceField(label=_("Show"), choices=SPANS, required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    queue = forms.ChoiceField(label=_("Working on"), required=False)
    skill = forms.ChoiceField(label=_("Skilled for"), required=False)
    contract = forms.TypedChoiceField(
        label=_("Contract"), coerce=int, empty_value=None, required=False
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(
        self,
        *args: Any,
        teams: list[Team],
        queues: list[Queue],
        contracts: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        anyone = [("", _("Anyone"))]
        cast(forms.ChoiceField, self.fields["team"]).choices = anyone + [
            (str(t.pk), t.name) for t in teams
        ]
        queue_choices = [(str(q.pk), q.name) for q in queues]
        cast(forms.ChoiceField, self.fields["queue"]).choices = anyone + queue_choices
        cast(forms.ChoiceField, self.fields["skill"]).choices = anyone + queue_choices
        cast(forms.ChoiceField, self.fields["contract"]).choices = anyone + [
            (m, _("%(hours)s a week") % {"hours": duration_text(m)}) for m in contracts
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        if len(teams) < 2:
            del self.fields["team"]

    def value(self, name: str, default: Any = "") -> Any:
        """A cleaned value, or `default` when it is missing or invalid."""
        if not self.is_valid() and name in self.errors:
            return default
        found = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if found in (None, "") else found


class PublishForm(forms.Form):
    """Publishing; with issues left (under-cover, rule violations, working-time warnings) the
    manager confirms they publish anyway."""

    confirm = forms.BooleanField(
        label=_("I have read the issues above and publish this version anyway"), required=False
    )
    needs_confirmation = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_confirmation and not data.get("confirm"):
            self.add_error(
                "confirm",
                _("Issues remain: tick the box to publish anyway, or fix them first."),
            )
        return data
