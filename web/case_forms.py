"""Forms of the attendance-points cases and the fine rules received (issue 25): they parse
and validate input, each message beside its field; the services decide and save."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from timeclock.models import PointsCase
from web.forms import date_input
from web.labels import LABELS
from web.params import SaneDateField


class CaseDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—")] + [(v, LABELS[v]) for v in PointsCase.Decision.values],
    )
    conversation_on = SaneDateField(label=_("Day of the conversation"), widget=date_input())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was said and agreed; needed when the decision is Other."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == PointsCase.Decision.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Say what was decided."))
        return data


class FineRulesForm(forms.Form):
    employee = forms.ChoiceField(label=_("Employee"))
    received_on = SaneDateField(label=_("Received on"), widget=date_input())
    document = forms.CharField(
        label=_("Contract or staff rules"),
        max_length=200,
        help_text=_("The written rules naming the offences and the fines, e.g. Staff rules 2026."),
    )
    cap_lifted = forms.BooleanField(
        label=_("Written agreement lifting the weekly cap"),
        required=False,
        help_text=_("Only for someone paid above the minimum wage (BW art. 7:650 lid 6)."),
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].choices = [
            (str(p.pk), f"{p.full_name} ({p.number})") for p in people
        ]
