"""Payroll's timesheet of one employee in one pay period, reached from each row of the
review: day by day the shifts, punches, worked and paid minutes, open exceptions (each with
where it is resolved) and pay lines, with the review's totals. Payroll and admins see
everyone; a manager the people of their own teams at the sites they manage (the pay API's
scope); others 403, anyone out of scope 404."""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from organisation.models import Employee
from organisation.roles import MANAGERS, PAYROLL, has_role
from organisation.selectors.organisation import site_list_managed
from timeclock.models import PayPeriod
from timeclock.selectors.pay import period_currency
from timeclock.selectors.payroll_review import ReviewRow
from timeclock.selectors.payroll_timesheet import (
    payroll_timesheet_get,
    payroll_timesheet_people,
)
from timeclock.services.adjustments import adjustments_pending
from web.access import role_required
from web.views.payroll_review import _page_number, review_query

BLOCKING = {"missing_in", "missing_out"}  # the close refuses them unless given a reason


@role_required(*(PAYROLL | MANAGERS))
@require_GET
def period_timesheet_view(request: HttpRequest, pk: Any, employee: Any) -> HttpResponse:
    payroll = has_role(request.user, *PAYROLL)
    periods = PayPeriod.objects.select_related("site")
    if not payroll:
        periods = periods.filter(site__in=site_list_managed(user=request.user))
    period = periods.filter(pk=pk).first()
    if period is None:
        raise Http404
    people = payroll_timesheet_people(period=period, user=None if payroll else request.user)
    person: Employee | None = people.filter(pk=employee).first()
    if person is None:
        raise Http404
    mine = [a for a in adjustments_pending(period=period) if str(a.employee_id) == str(person.pk)]
    sheet = payroll_timesheet_get(period=period, employee=person, adjustments=mine)
    totals = ReviewRow(str(person.pk))
    for line in sheet.slip["lines"]:
        totals.add(line["pay_code"], line["hours"], line["amount"])
    back = review_query(
        team=request.GET.get("team", ""),
        q=request.GET.get("q", "")[:100],
        only=request.GET.get("only") == "1",
        page=_page_number(request.GET.get("page")),
    )
    resolve = _resolver(request, period, person, payroll)
    context = {
        "period": period,
        "sheet": sheet,
        "totals": totals,
        "currency": period_currency(period),
        "show_other": bool(totals.other),
        "payroll": payroll,
        "back_query": back,
        "days": [{"day": d, "resolve": resolve(d.day) if d.day else ""} for d in sheet.days],
    }
    return render(request, "web/payroll/timesheet.html", context)


def _resolver(request: HttpRequest, period: PayPeriod, person: Employee, payroll: bool) -> Any:
    """Where a day's open exceptions are resolved, for this reader: a manager's attendance
    page of the person's team from that day (the operator's correction requests are decided
    on the approvals page it leads to); for payroll the period page, where a missing punch
    is closed with a reason (the team's manager corrects punches)."""
    if has_role(request.user, *MANAGERS) and not payroll:
        base = reverse("web:attendance")

        def link(day: date) -> str:
            return f"{base}?team={person.team_id}&since={day.isoformat()}"

        return link
    period_url = reverse("web:period", args=[period.pk]) + "#close"
    return lambda day: period_url
