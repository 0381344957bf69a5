"""Forms of the planning pages (queues and history, forecasts and overrides, staffing and
what-if): they parse and validate input, each message beside its field; the services decide."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organisation.models import Queue, Site
from scheduling.selectors.staffing import Scenario
from web.params import SaneDateField

DATE = {"type": "date"}
# A date input's value is ISO in every language (the browser shows it the reader's way).
ISO_DATE = "%Y-%m-%d"
METHODS = [
    ("auto", _("Best of the methods in a backtest (auto)")),
    ("weekday_profile", _("Recent same weekdays")),
    ("daily_profile", _("Day level times intraday shares")),
    ("seasonal_naive", _("Same day last week")),
]
INTERVALS = [(15, _("15 minutes")), (30, _("30 minutes")), (60, _("60 minutes"))]
HORIZONS = [(7, _("1 week")), (14, _("2 weeks")), (28, _("4 weeks"))]


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs=attrs)


def percent_field(label: Any, *, low: str, high: str, step: str = "0.1") -> forms.DecimalField:
    """A share typed as a percentage (80 for 80 %); the form turns it into a fraction."""
    return forms.DecimalField(
        label=label,
        min_value=Decimal(low),
        max_value=Decimal(high),
        decimal_places=2,
        widget=_number(step=step, min=low, max=high, inputmode="decimal"),
    )


def plain(value: Decimal) -> Decimal:
    """A decimal without trailing zeros or an exponent: 80, 1.15, 10 (never 8E+1)."""
    whole = value.to_integral_value()
    return whole.quantize(Decimal(1)) if value == whole else value.normalize()


def as_percent(share: Decimal) -> Decimal:
    return plain((share * 100).quantize(Decimal("0.1")))


def seconds_field(
    label: Any, *, low: int, high: int, required: bool = True, help_text: Any = ""
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        required=required,
        widget=_number(min=low),
    )


def validate_factor(factor: Decimal) -> None:
    """Factors on calls are above 0 and at most 10 (the override's database constraint)."""
    if not Decimal(0) < factor <= Decimal(10):
        raise forms.ValidationError(_("The factor must be above 0 and at most 10."))


def factor_field(label: Any, help_text: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=6,
        decimal_places=4,
        validators=[validate_factor],
        widget=_number(step="0.01", min="0.01", max="10", inputmode="decimal"),
        **kwargs,
    )


class ForecastForm(forms.Form):
    """A forecast of one queue, or of every queue at a site."""

    scope = forms.ChoiceField(label=_("Queues"))
    start = SaneDateField(label=_("First day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE))
    days = forms.TypedChoiceField(label=_("Days"), choices=HORIZONS, coerce=int, initial=7)
    interval_minutes = forms.TypedChoiceField(
        label=_("Interval"), choices=INTERVALS, coerce=int, initial=15
    )
    method = forms.ChoiceField(label=_("Method"), choices=METHODS, initial="auto")

    def __init__(
        self, *args: Any, sites: QuerySet[Site], queues: QuerySet[Queue], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {str(s.pk): s for s in sites.order_by("name")}
        self.queues = {str(q.pk): q for q in queues.select_related("site").order_by("name")}
        choices: list[tuple[str, Any]] = []
        for key, site in self.sites.items():
            choices.append((f"site:{key}", _("All queues at %(site)s") % {"site": site.name}))
            choices += [
                (f"queue:{k}", f"{site.name} · {q.name}")
                for k, q in self.queues.items()
                if str(q.site_id) == key
            ]
        cast(forms.ChoiceField, self.fields["scope"]).choices = choices

    def chosen_queues(self) -> list[Queue]:
        kind, _sep, key = self.cleaned_data["scope"].partition(":")
        if kind == "site":
            return [q for q in self.queues.values() if str(q.site_id) == key]
        return [self.queues[key]]


class OverrideForm(forms.Form):
    """A factor on the forecast calls of a range of local days, with the reason."""

    start_date = SaneDateField(
        label=_("First day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    end_date = SaneDateField(
        label=_("Last day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE)
    )
    factor = factor_field(
        _("Factor"), _("1.15 is 15 % more calls, 0.9 is 10 % fewer; above 0 and at most 10.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("start_date"), data.get("end_date")
        if first and last and last < first:
            self.add_error("end_date", _("The last day comes before the first."))
        return data


class QueueSettingsForm(forms.Form):
    """What a queue's staffing is computed for: service goal, occupancy, shrinkage, handle
    time, caller patience; and the client of an outsourced campaign."""

    client_name = forms.CharField(label=_("Client"), max_length=200, required=False)
    service_level_percent = percent_field(_("Service level (%)"), low="1", high="99.9")
    service_level_seconds = seconds_field(_("Answered within (seconds)"), low=0, high=3600)
    max_occupancy_percent = percent_field(_("Maximum occupancy (%)"), low="1", high="100")
    shrinkage_percent = percent_field(_("Shrinkage (%)"), low="0", high="95")
    default_aht_seconds = seconds_field(
        _("Handle time when the history has none (seconds)"), low=1, high=7200
    )
    patience_seconds = seconds_field(
        _("Caller patience (seconds)"),
        low=1,
        high=3600,
        required=False,
        help_text=_("Leave empty to staff with Erlang C; with a patience, Erlang A."),
    )

    @staticmethod
    def initial_for(queue: Queue) -> dict[str, Any]:
        return {
            "client_name": queue.client_name,
            "service_level_percent": as_percent(queue.service_level_target),
            "service_level_seconds": queue.service_level_seconds,
            "max_occupancy_percent": as_percent(queue.max_occupancy),
            "shrinkage_percent": as_percent(queue.shrinkage),
            "default_aht_seconds": queue.default_aht_seconds,
            "patience_seconds": queue.patience_seconds,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "client_name": data["client_name"],
            "service_level_target": data["service_level_percent"] / 100,
            "service_level_seconds": data["service_level_seconds"],
            "max_occupancy": data["max_occupancy_percent"] / 100,
            "shrinkage": data["shrinkage_percent"] / 100,
            "default_aht_seconds": data["default_aht_seconds"],
            "patience_seconds": data["patience_seconds"],
        }


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("History file (CSV)"),
        help_text=_(
            "Interval counts (interval_start,calls[,aht_seconds]) or per-call records; times "
            "without an offset are read in the site's time zone."
        ),
    )
    interval_minutes = forms.TypedChoiceField(
        label=_("Interval for per-call records"),
        choices=INTERVALS,
        coerce=int,
        initial=15,
        required=False,
    )


class StaffingRangeForm(forms.Form):
    """Which queue and local days the staffing page shows (at most 31 days)."""

    queue = forms.ChoiceField(label=_("Queue"))
    start = SaneDateField(label=_("First day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE))
    end = SaneDateField(label=_("Last day"), widget=forms.DateInput(format=ISO_DATE, attrs=DATE))

    def __init__(self, *args: Any, queues: QuerySet[Queue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queues = {str(q.pk): q for q in queues.select_related("site")}
        cast(forms.ChoiceField, self.fields["queue"]).choices = [
            (k, f"{q.site.name} · {q.name}")
            for k, q in sorted(self.queues.items(), key=lambda kv: (kv[1].site.name, kv[1].name))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("start"), data.get("end")
        if first and last and last < first:
            self.add_error("end", _("The last day comes before the first."))
        elif first and last and (last - first).days >= 31:
            self.add_error("end", _("Show at most 31 days at a time."))
        if "queue" in data:
            data["queue"] = self.queues[data["queue"]]
        return data


class ScenarioForm(QueueSettingsForm):
    """A what-if: the queue's settings changed, plus a volume factor and a handle time."""

    volume_factor = factor_field(
        _("Volume factor"), _("1.1 is 10 % more calls than forecast."), initial=Decimal(1)
    )
    aht_seconds = seconds_field(
        _("Handle time (seconds)"),
        low=1,
        high=7200,
        required=False,
        help_text=_("Leave empty to keep each interval's forecast handle time."),
    )
    field_order = [
        "service_level_percent",
        "service_level_seconds",
        "aht_seconds",
        "volume_factor",
        "shrinkage_percent",
        "patience_seconds",
        "max_occupancy_percent",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["client_name"], self.fields["default_aht_seconds"]

    def scenario(self) -> Scenario:
        data = self.cleaned_data
        return Scenario(
            service_level_target=data["service_level_percent"] / 100,
            service_level_seconds=data["service_level_seconds"],
            max_occupancy=data["max_occupancy_percent"] / 100,
            shrinkage=data["shrinkage_percent"] / 100,
            volume_factor=data["volume_factor"],
            aht_seconds=data["aht_seconds"],
            patience_seconds=data["patience_seconds"],
        )


class ApplyScope(forms.Form):
    apply_to = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("day", _("This day")), ("range", _("Every day shown"))],
        widget=forms.RadioSelect,
        initial="day",
    )
