"""Operator pages: my week, clocking in and out from home (with a confirmation), my timesheet
(with my correction requests; asking is web/views/corrections.py), my payslips with the rule
behind every line, and my calendar-feed link."""

import uuid
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisation.errors import DomainError
from organisation.local_grid import local_day_bounds
from organisation.models import Employee
from scheduling.selectors.leave import employee_leave_days, shifts_offered
from scheduling.selectors.rosters import my_shifts
from scheduling.selectors.training import placed_for
from scheduling.services import calendar_feeds
from timeclock.api.punches import REMOTE_LOGIN_MAX_AGE
from timeclock.models import Punch
from timeclock.selectors.correction_requests import correction_request_list_own
from timeclock.selectors.pay import payslip_get, payslip_periods
from timeclock.selectors.punches import clock_status_get
from timeclock.selectors.timesheets import timesheet_get
from timeclock.services.adjustments import adjustments_pending
from timeclock.services.punches import punch_remote
from web.access import employee_required, own_employee
from web.forms import ClockForm, WeekForm
from web.messages import error_text


def _me(request: HttpRequest) -> Employee:
    employee = own_employee(request)
    if employee is None:  # employee_required runs first; this keeps the type checker honest
        raise Http404
    return employee


@employee_required
def my_week_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    zone = ZoneInfo(me.team.site.timezone)
    monday = WeekForm(request.GET).monday(timezone.localtime(timezone.now(), zone).date())
    start, end = local_day_bounds(
        first_day=monday, last_day=monday + timedelta(days=6), timezone=me.team.site.timezone
    )
    shifts = list(my_shifts(employee=me, start=start, end=end))
    away = employee_leave_days(employee=me, first=monday, last=monday + timedelta(days=6))
    offered = shifts_offered(shifts=shifts)
    placed = list(placed_for(employee=me, start=start, end=end))
    days = []
    for d in range(7):
        day = monday + timedelta(days=d)
        mine = [s for s in shifts if s.local_date == day]
        for s in mine:
            s.offered = str(s.origin or s.pk) in offered  # type: ignore[attr-defined]
        sessions = [p for p in placed if p.start.astimezone(zone).date() == day]
        days.append({"day": day, "shifts": mine, "away": away.get(day, ""), "sessions": sessions})
    context = {
        "me": me,
        "zone": me.team.site.timezone,
        "days": days,
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }
    return render(request, "web/operator/week.html", context)


def _recent_login(request: HttpRequest) -> bool:
    """The API's rule for remote clocking (R2.13): a login within the last 12 hours."""
    last = request.user.last_login  # type: ignore[union-attr]
    return last is not None and timezone.now() - last <= REMOTE_LOGIN_MAX_AGE


@employee_required
@require_http_methods(["GET", "POST"])
def clock_view(request: HttpRequest) -> HttpResponse:
    """The operator's own punch, confirmed first. The same form sent twice (a double click,
    the back button) records one punch: its event id is the punch's, stored once. A second
    in (or out) in a row is recorded only when the operator ticks that they mean it: the
    page says since when they are already clocked in (or out)."""
    me = _me(request)
    zone = me.team.site.timezone
    if request.method == "POST":
        form = ClockForm(request.POST)
        if form.is_valid() and _recent_login(request):
            kind = form.cleaned_data["kind"]
            stored = Punch.objects.filter(
                employee=me, event_id=form.cleaned_data["event_id"]
            ).first()
            if stored is not None:
                return _already_recorded(request, stored, zone)
            last = _last_punch(me)
            if last is not None and last.kind == kind and not form.cleaned_data["again"]:
                form.add_error("again", _repeat_text(kind))
                context = _clock_context(me, zone, form)
                return render(request, "web/operator/clock.html", context, status=422)
            try:
                result = punch_remote(
                    employee=me,
                    kind=kind,
                    event_id=form.cleaned_data["event_id"],
                    ip_address=request.META.get("REMOTE_ADDR"),
                    user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                )
            except DomainError as exc:
                messages.error(request, error_text(exc))
            else:
                if result.status == "rejected":
                    messages.error(request, _("The punch was refused."))
                elif result.status == "duplicate" and result.punch is not None:
                    return _already_recorded(request, result.punch, zone)
                else:
                    messages.success(
                        request, _("Clocked in.") if kind == "in" else _("Clocked out.")
                    )
            return redirect("web:clock")
        if form.is_valid():
            messages.error(request, _("Log in again to clock in or out."))
            return redirect("web:clock")
        return render(request, "web/operator/clock.html", _clock_context(me, zone, form))
    kind = request.GET.get("kind")
    form = None
    if kind in (Punch.Kind.IN, Punch.Kind.OUT):
        form = ClockForm(initial={"kind": kind, "event_id": uuid.uuid4()})
    return render(request, "web/operator/clock.html", _clock_context(me, zone, form))


def _last_punch(me: Employee) -> Punch | None:
    return Punch.objects.filter(employee=me).order_by("-occurred_at", "-id").first()


def _repeat_text(kind: str) -> str:
    if kind == Punch.Kind.IN:
        return _("You are already clocked in: tick the box to clock in again.")
    return _("You are already clocked out: tick the box to clock out again.")


def _already_recorded(request: HttpRequest, punch: Punch, zone: str) -> HttpResponse:
    at = timezone.localtime(punch.occurred_at, ZoneInfo(zone)).strftime("%H:%M")
    messages.info(request, _("This punch was already recorded, at %(time)s.") % {"time": at})
    return redirect("web:clock")


def _clock_context(me: Employee, zone: str, form: ClockForm | None) -> dict[str, Any]:
    last = _last_punch(me)
    kind = form["kind"].value() if form is not None else None
    return {
        "me": me,
        "zone": zone,
        "status": clock_status_get(employee=me),
        "form": form,
        "now": timezone.now(),
        # The punch the operator would repeat (the last one is of the same kind), or None.
        "repeat": last if last is not None and last.kind == kind else None,
    }


@employee_required
def timesheet_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    zone = ZoneInfo(me.team.site.timezone)
    today = timezone.localtime(timezone.now(), zone).date()
    monday = WeekForm(request.GET).monday(today)
    first, last = monday - timedelta(days=7), monday + timedelta(days=6)
    rows, unscheduled = timesheet_get(employee=me, first=first, last=last)
    context = {
        "me": me,
        "zone": me.team.site.timezone,
        # Punches with no shift are rows too (not in the total), by day and time.
        "all_rows": sorted([*rows, *unscheduled], key=lambda r: r["scheduled_start"]),
        "unscheduled": unscheduled,
        "rows": rows,
        "first": first,
        "last": last,
        "previous": monday - timedelta(days=14),
        "next": monday + timedelta(days=14),
        "worked_minutes": sum(r["worked_minutes"] for r in rows),
        "requests": correction_request_list_own(employee=me)[:20],
    }
    return render(request, "web/operator/timesheet.html", context)


@employee_required
def payslips_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    periods = payslip_periods(employee=me)[:24]
    return render(request, "web/operator/payslips.html", {"me": me, "periods": periods})


@employee_required
def payslip_view(request: HttpRequest, period: Any) -> HttpResponse:
    me = _me(request)
    found = payslip_periods(employee=me).filter(pk=period).first()
    if found is None:
        raise Http404
    slip = payslip_get(employee=me, period=found, adjustments=adjustments_pending(period=found))
    return render(request, "web/operator/payslip.html", {"me": me, "slip": slip, "period": found})


@employee_required
@require_http_methods(["GET", "POST"])
def calendar_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feeds.calendar_feed_revoke(employee=me)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("web:calendar")
        token = calendar_feeds.calendar_feed_rotate(employee=me)
        url = request.build_absolute_uri(f"/api/v1/calendar/{token}.ics")
    return render(request, "web/operator/calendar.html", {"me": me, "url": url})
