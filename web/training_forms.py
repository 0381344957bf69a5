"""Forms of the training pages (issue 24): programmes, classroom sessions, self-study modules,
enrolment, proficiency, meetings, and the operator's "done" with the time spent. Windows are
a local day and two local times, turned into instants in the site's zone by the view."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organisation.errors import LocalTimeAmbiguous, LocalTimeSkipped
from organisation.local_grid import local_instant
from organisation.models import Employee, Proficiency, Queue
from scheduling.models import Meeting, StudyModule
from web.forms import date_input, time_input
from web.params import SaneDateField

LEVELS = [
    (Proficiency.TRAINEE, _("Trainee")),
    (Proficiency.JUNIOR, _("Junior")),
    (Proficiency.PROFICIENT, _("Proficient")),
    (Proficiency.MENTOR, _("Mentor")),
]


class _People(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.number})"


class _ManyPeople(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.number})"


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    target_level = forms.ChoiceField(
        label=_("Level after sign-off"), choices=LEVELS[1:3], initial="junior"
    )
    min_supervised_hours = forms.IntegerField(
        label=_("Supervised hours a week, at least"), initial=4
    )
    max_supervised_hours = forms.IntegerField(
        label=_("Supervised hours a week, at most"), initial=20
    )
    required_supervised_hours = forms.IntegerField(
        label=_("Supervised hours before sign-off"), initial=40
    )

    def __init__(self, *args: Any, queues: QuerySet[Queue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "target_level": data["target_level"],
            "min_supervised_minutes_per_week": data["min_supervised_hours"] * 60,
            "max_supervised_minutes_per_week": data["max_supervised_hours"] * 60,
            "required_supervised_minutes": data["required_supervised_hours"] * 60,
        }


class _Window(forms.Form):
    """A local day and a window of local times on it, read in the site's zone."""

    day = SaneDateField(label=_("Day"), widget=date_input())
    window_from = forms.TimeField(label=_("Window from"), widget=time_input())
    window_to = forms.TimeField(label=_("Window until"), widget=time_input())

    def window(self, timezone: str) -> tuple[datetime, datetime] | None:
        data = self.cleaned_data
        day: date = data["day"]
        start: time = data["window_from"]
        end: time = data["window_to"]
        try:
            return (
                local_instant(day=day, wall=start, timezone=timezone),
                local_instant(day=day, wall=end, timezone=timezone),
            )
        except (LocalTimeSkipped, LocalTimeAmbiguous):
            self.add_error("window_from", _("That time does not exist once on that day."))
            return None


class SessionForm(_Window):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    length_minutes = forms.IntegerField(label=_("Length (minutes)"), initial=120)
    trainer = _People(label=_("Trainer"), queryset=Employee.objects.none(), required=False)
    capacity = forms.IntegerField(label=_("Capacity"), initial=12, min_value=1)
    room = forms.CharField(
        label=_("Room"), max_length=100, required=False, help_text=_("Empty: online")
    )
    field_order = ["topic", "length_minutes", "day", "window_from", "window_to", "trainer"]

    def __init__(self, *args: Any, people: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = people  # type: ignore[attr-defined]


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (StudyModule.Kind.VIDEO, _("Video")),
            (StudyModule.Kind.AUDIO, _("Audio")),
            (StudyModule.Kind.DOCUMENT, _("Document")),
        ],
    )
    expected_minutes = forms.IntegerField(label=_("Expected length (minutes)"), initial=30)
    url = forms.URLField(label=_("Link"), required=False)


class EnrolForm(forms.Form):
    employee = _People(label=_("Operator"), queryset=Employee.objects.none())

    def __init__(self, *args: Any, people: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = people  # type: ignore[attr-defined]


class ProficiencyForm(forms.Form):
    employee = _People(label=_("Person"), queryset=Employee.objects.none())
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS)
    reached_on = SaneDateField(label=_("Reached on"), widget=date_input())

    def __init__(
        self, *args: Any, people: QuerySet[Employee], queues: QuerySet[Queue], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = people  # type: ignore[attr-defined]
        self.fields["queue"].queryset = queues  # type: ignore[attr-defined]


class MeetingForm(_Window):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Meeting.Kind.MEETING, _("Meeting")), (Meeting.Kind.COACHING, _("Coaching"))],
    )
    length_minutes = forms.IntegerField(label=_("Length (minutes)"), initial=60)
    attendees = _ManyPeople(
        label=_("Who must attend"),
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    min_share_percent = forms.IntegerField(
        label=_("Attend at least (%)"), initial=100, min_value=1, max_value=100
    )
    field_order = ["title", "kind", "length_minutes", "day", "window_from", "window_to"]

    def __init__(self, *args: Any, people: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]


class ModuleDoneForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes spent"), min_value=1, max_value=24 * 60)
