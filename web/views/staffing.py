"""The staffing page: a queue's required agents per interval and local day with predicted
service level, waiting, occupancy and abandonment; a what-if beside it (computed, not saved)
that the manager can apply as the requirement."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation.errors import DomainError
from organisation.models import Queue
from organisation.roles import MANAGERS
from scheduling.selectors.staffing import (
    StaffingRow,
    StaffingView,
    queue_scenario,
    staffing_view,
    staffing_what_if,
)
from scheduling.services.staffing import staffing_scenario_apply
from web.access import role_required
from web.charts import LineChart, line_chart
from web.form_errors import form_refusal
from web.labels import time_label
from web.messages import error_text
from web.params import date_or_none
from web.planning_forms import ApplyScope, ScenarioForm, StaffingRangeForm, as_percent
from web.views.planning import managed_queue, managed_queues, site_today

WHATIF = "whatif"


def _range_data(request: HttpRequest, queues: Any) -> dict[str, str]:
    """The query with defaults: the first queue, its site's today and the six days after."""
    data = {k: request.GET.get(k, "") for k in ("queue", "start", "end")}
    queue = None
    if data["queue"]:
        queue = managed_queue(request, data["queue"])  # 404 / 403 before the form says more
    queue = queue or queues.order_by("site__name", "name").first()
    if queue is None:
        return data
    data["queue"] = data["queue"] or str(queue.pk)
    if not data["start"]:
        data["start"] = site_today(queue).isoformat()
    start = date_or_none(data["start"])
    if not data["end"]:
        # Past the window the form refuses the start (its field says so).
        data["end"] = (start + timedelta(days=6)).isoformat() if start else data["start"]
    return data


def scenario_initial(queue: Queue) -> dict[str, Any]:
    scenario = queue_scenario(queue=queue)
    return {
        "service_level_percent": as_percent(scenario.service_level_target),
        "service_level_seconds": scenario.service_level_seconds,
        "max_occupancy_percent": as_percent(scenario.max_occupancy),
        "shrinkage_percent": as_percent(scenario.shrinkage),
        "volume_factor": 1,
        "aht_seconds": None,
        "patience_seconds": scenario.patience_seconds,
    }


@role_required(*MANAGERS)
def staffing_page_view(request: HttpRequest) -> HttpResponse:
    queues = managed_queues(request)
    data = _range_data(request, queues)
    form = StaffingRangeForm(data, queues=queues)
    context: dict[str, Any] = {"form": form, "tab": "staffing", "has_queues": queues.exists()}
    if not context["has_queues"] or not form.is_valid():
        return render(request, "web/planning/staffing.html", context)
    queue: Queue = form.cleaned_data["queue"]
    first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    view = staffing_view(queue=queue, first_day=first, last_day=last)
    day = _day(request.GET.get("day"), view, first, last)
    rows = view.rows.get(day, [])
    whatif = (
        ScenarioForm(request.GET, prefix=WHATIF)
        if f"{WHATIF}-service_level_percent" in request.GET
        else ScenarioForm(initial=scenario_initial(queue), prefix=WHATIF)
    )
    compared: list[StaffingRow] = []
    if whatif.is_bound and whatif.is_valid() and rows:
        try:
            compared = staffing_what_if(rows=rows, scenario=whatif.scenario())
        except DomainError as exc:
            form_refusal(whatif, exc, {"impossible_service_goal": "service_level_percent"})
    context |= {
        "queue": queue,
        "first": first,
        "last": last,
        "day": day,
        "view": view,
        "rows": list(zip(rows, compared or [None] * len(rows), strict=True)),
        "whatif": whatif,
        "compared": bool(compared),
        "day_chart": _day_chart(rows, compared) if rows else None,
        "range_chart": _range_chart(view) if len(view.rows) > 1 else None,
        "range_query": urlencode({"queue": queue.pk, "start": first, "end": last}),
        "apply_scope": ApplyScope(),
        "totals": _totals(rows, compared),
    }
    return render(request, "web/planning/staffing.html", context)


def _day(asked: str | None, view: StaffingView, first: date, last: date) -> date:
    day = date_or_none(asked)
    if day is not None and first <= day <= last:
        return day
    return next(iter(view.rows), first)


def _day_chart(rows: list[StaffingRow], compared: list[StaffingRow]) -> LineChart:
    series: list[tuple[str, str, Any, bool]] = [
        (_("Agents to schedule"), "series-a", [float(r.scheduled_agents) for r in rows], False),
        (_("On the phones"), "series-c", [float(r.agents) for r in rows], False),
    ]
    if compared:
        series.append(
            (_("What-if"), "series-b", [float(r.scheduled_agents) for r in compared], True)
        )
    return line_chart(
        labels=[time_label(r.start) for r in rows],  # the autumn day's second 02:00 apart
        series=series,
        label_every=max(1, len(rows) // 8),
        decimal=str(get_format("DECIMAL_SEPARATOR")),
    )


def _range_chart(view: StaffingView) -> LineChart:
    rows = [r for day_rows in view.rows.values() for r in day_rows]
    per_day = max(1, len(rows) // len(view.rows))
    labels = [date_format(r.start, "D j") if i % per_day == 0 else "" for i, r in enumerate(rows)]
    return line_chart(
        labels=labels,
        series=[
            (_("Agents to schedule"), "series-a", [float(r.scheduled_agents) for r in rows], False)
        ],
        label_every=per_day * max(1, len(view.rows) // 8),
        decimal=str(get_format("DECIMAL_SEPARATOR")),
    )


def _totals(rows: list[StaffingRow], compared: list[StaffingRow]) -> dict[str, Any]:
    def hours(found: list[StaffingRow]) -> float:
        return sum(r.scheduled_agents * r.minutes for r in found) / 60

    return {
        "calls": sum(r.calls for r in rows),
        "hours": hours(rows),
        "peak": max((r.scheduled_agents for r in rows), default=0),
        "whatif_calls": sum(r.calls for r in compared) if compared else None,
        "whatif_hours": hours(compared) if compared else None,
        "whatif_peak": max((r.scheduled_agents for r in compared), default=0) if compared else None,
    }


@role_required(*MANAGERS)
@require_POST
def staffing_apply_view(request: HttpRequest) -> HttpResponse:
    """Save a what-if as the requirement of the day shown, or of every day shown."""
    queues = managed_queues(request)
    queue_id = request.POST.get("queue", "")
    if queue_id:
        managed_queue(request, queue_id)
    form = StaffingRangeForm(request.POST, queues=queues)
    whatif = ScenarioForm(request.POST, prefix=WHATIF)
    scope = ApplyScope(request.POST)
    back = reverse("web:staffing")
    if not (form.is_valid() and whatif.is_valid() and scope.is_valid()):
        messages.error(request, _("The what-if could not be applied: show it again and retry."))
        return redirect(f"{back}?{urlencode({'queue': queue_id})}")
    queue, first, last = (form.cleaned_data[k] for k in ("queue", "start", "end"))
    day = _day(request.POST.get("day"), StaffingView([], {}), first, last)
    if scope.cleaned_data["apply_to"] == "day":
        first = last = day
    query = urlencode(
        {
            "queue": queue.pk,
            "start": form.cleaned_data["start"],
            "end": form.cleaned_data["end"],
            "day": day,
        }
    )
    try:
        count = staffing_scenario_apply(
            queue=queue,
            first_day=first,
            last_day=last,
            scenario=whatif.scenario(),
            user=request.user,
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("The what-if is now the requirement of %(count)s intervals.") % {"count": count},
        )
    return redirect(f"{back}?{query}")
