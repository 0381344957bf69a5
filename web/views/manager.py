"""Manager pages: dashboard, attendance exceptions and points. The rosters (builder, the
schedule board, its edits, day view and publishing) are in web/views/board*.py."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organisation.local_grid import local_date
from organisation.roles import MANAGERS
from organisation.selectors.organisation import (
    employee_list_visible,
    queue_list_visible,
    site_list_managed,
    team_list_managed,
)
from timeclock.points import PointsRules, points_status
from timeclock.selectors.timesheets import employee_timesheets
from web import dashboard
from web.access import role_required
from web.params import date_or_none

EXCEPTION_DAYS = 14
POINTS_WINDOW_DAYS = PointsRules().window_days


@role_required(*MANAGERS)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """One local day per queue, today (the site's calendar day) unless the picker asks for
    another; with no staffing that day, the page points to the forecast."""
    sites = site_list_managed(user=request.user)
    queues = queue_list_visible(user=request.user).filter(site__in=sites)
    day = date_or_none(request.GET.get("day"))
    if day is None:
        first = sites.order_by("name").first()
        day = local_date(instant=timezone.now(), timezone=first.timezone if first else "UTC")
    panels = [
        panel
        for queue in queues.order_by("site__name", "name")
        if (panel := dashboard.queue_day(queue=queue, day=day)) is not None
    ]
    context = {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "panels": panels,
    }
    return render(request, "web/manager/dashboard.html", context)


@role_required(*MANAGERS)
def attendance_view(request: HttpRequest) -> HttpResponse:
    teams = list(team_list_managed(user=request.user).select_related("site").order_by("name"))
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), None) or (
        teams[0] if teams else None
    )
    context: dict[str, Any] = {"teams": teams, "team": team, "exceptions": [], "points": []}
    if team is not None:
        today = local_date(instant=timezone.now(), timezone=team.site.timezone)
        since = date_or_none(request.GET.get("since")) or today - timedelta(days=EXCEPTION_DAYS - 1)
        until = min(since + timedelta(days=EXCEPTION_DAYS - 1), today)
        window_start = today - timedelta(days=POINTS_WINDOW_DAYS - 1)
        people = list(employee_list_visible(user=request.user).filter(team=team).order_by("number"))
        sheets = employee_timesheets(
            employees=people, site=team.site, first=min(since, window_start), last=today
        )
        exceptions, points = [], []
        for person in people:
            incidents = []
            for row in sheets[str(person.pk)].shifts:
                local_day = timezone.localtime(row.shift.start, ZoneInfo(team.site.timezone)).date()
                incidents += [(local_day, k) for k in ("late", "absent") if k in row.exceptions]
                shown = [e for e in row.exceptions if e != "excused"]
                if shown and since <= local_day <= until:
                    exceptions.append({"person": person, "day": local_day, "row": row})
            points.append({"person": person, "status": points_status(incidents, on=today)})
        exceptions.sort(key=lambda e: (e["day"], e["person"].number), reverse=True)
        context |= {
            "exceptions": exceptions,
            "points": points,
            "since": since,
            "until": until,
            "site": team.site,
        }
    return render(request, "web/manager/attendance.html", context)
