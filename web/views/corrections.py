"""Operators' correction requests from their timesheet: ask for a missing punch, or for one
of a shift's punches to count at another time, in the site's local time; withdraw a pending
request. Managers decide them on the approvals page (web/views/requests.py)."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.models import Employee
from timeclock.models import Punch
from timeclock.selectors.correction_requests import correction_request_list_own
from timeclock.selectors.punches import punch_list_effective
from timeclock.selectors.timesheets import timesheet_get
from timeclock.services.correction_requests import (
    CorrectionAsk,
    correction_request_cancel,
    correction_request_create,
)
from web.access import employee_required, own_employee
from web.forms import CorrectionAddForm, CorrectionMoveForm, CorrectionTimeForm
from web.messages import error_text
from web.params import SaneDateField
from web.templatetags.web_tags import LABELS

TIME_CODES = {"correction_in_future", "correction_too_old"}  # shown beside the time


class RowForm(forms.Form):
    """Which timesheet row: the shift's key and its local day."""

    shift = forms.CharField(max_length=64)
    day = SaneDateField()


def _me(request: HttpRequest) -> Employee:
    employee = own_employee(request)
    if employee is None:
        raise Http404
    return employee


def _row(me: Employee, data: Any) -> dict[str, Any]:
    """The operator's own timesheet row for the shift (or for punches with no shift), or 404."""
    params = RowForm(data)
    if not params.is_valid():
        raise Http404
    day = params.cleaned_data["day"]
    rows, unscheduled = timesheet_get(employee=me, first=day, last=day)
    wanted = params.cleaned_data["shift"]
    row = next((r for r in [*rows, *unscheduled] if r["shift"] == wanted), None)
    if row is None:
        raise Http404
    return row


def _punches(me: Employee, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The row's punches still counting, with their effective times."""
    if not row["punches"]:
        return []
    around = punch_list_effective(
        employee=me,
        start=row["scheduled_start"] - timedelta(days=1),
        end=row["scheduled_end"] + timedelta(days=1),
    )
    return [p for p in around if p["punch"] in row["punches"] and not p["voided"]]


def _local(at: Any, zone: str) -> dict[str, Any]:
    local = at.astimezone(ZoneInfo(zone))
    return {"day": local.date(), "time": local.time().replace(second=0, microsecond=0)}


def _forms(
    request: HttpRequest, me: Employee, row: dict[str, Any], what: str | None
) -> tuple[CorrectionAddForm, CorrectionMoveForm | None]:
    zone = me.team.site.timezone
    kind = "in" if "missing_in" in row["exceptions"] else "out"
    at = row["scheduled_start"] if kind == "in" else row["scheduled_end"]
    add = CorrectionAddForm(
        request.POST if what == "add" else None,
        zone=zone,
        prefix="add",
        initial={"kind": kind, **_local(at, zone)},
    )
    punches = _punches(me, row)
    move = None
    if punches:
        local = ZoneInfo(zone)
        choices = [
            (
                p["punch"],
                f"{LABELS.get(p['kind'], p['kind'])} "
                f"{date_format(p['effective_at'].astimezone(local), _('D j M H:i'))}",
            )
            for p in punches
        ]
        move = CorrectionMoveForm(
            request.POST if what == "move" else None,
            zone=zone,
            prefix="move",
            punches=choices,
            initial={"punch": punches[0]["punch"], **_local(punches[0]["effective_at"], zone)},
        )
    return add, move


def _ask(me: Employee, form: CorrectionTimeForm) -> CorrectionAsk | None:
    data = form.cleaned_data
    if isinstance(form, CorrectionAddForm):
        return CorrectionAsk(
            action="add", kind=data["kind"], occurred_at=data["occurred_at"], reason=data["reason"]
        )
    punch = Punch.objects.filter(pk=data["punch"], employee=me).first()
    if punch is None:
        form.add_error("punch", _("Pick one of this shift's punches."))
        return None
    return CorrectionAsk(
        action="move", punch=punch, occurred_at=data["occurred_at"], reason=data["reason"]
    )


def _timesheet_of(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"{reverse('web:timesheet')}?week={monday:%Y-%m-%d}"


@employee_required
@require_http_methods(["GET", "POST"])
def correction_view(request: HttpRequest) -> HttpResponse:
    """GET: the forms for one timesheet row (only the forms, as a table row, for htmx with
    ?part=form). POST: send the request; errors show beside their fields."""
    me = _me(request)
    row = _row(me, request.GET)
    what = request.POST.get("what") if request.method == "POST" else None
    add, move = _forms(request, me, row, what)
    form: CorrectionTimeForm | None = {"add": add, "move": move}.get(what or "")
    if form is not None and form.is_valid():
        ask = _ask(me, form)
        if ask is not None:
            try:
                correction_request_create(employee=me, ask=ask, user=request.user)
            except DomainError as exc:
                form.add_error("time" if exc.code in TIME_CODES else None, error_text(exc))
            else:
                messages.success(request, _("Your correction request was sent."))
                return redirect(_timesheet_of(row["work_date"]))
    context = {
        "me": me,
        "zone": me.team.site.timezone,
        "row": row,
        "add": add,
        "move": move,
        "query": urlencode({"shift": row["shift"], "day": row["work_date"]}),
        "back": _timesheet_of(row["work_date"]),
    }
    partial_only = request.method == "GET" and request.GET.get("part") == "form"
    template = (
        "web/operator/_correction_row.html" if partial_only else "web/operator/correction.html"
    )
    return render(request, template, context)


@employee_required
@require_POST
def correction_cancel_view(request: HttpRequest, pk: Any) -> HttpResponse:
    me = _me(request)
    row = correction_request_list_own(employee=me).filter(pk=pk).first()
    if row is None:
        raise Http404
    try:
        correction_request_cancel(request=row, employee=me)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your correction request was withdrawn."))
    return redirect(reverse("web:timesheet") + "#corrections")
