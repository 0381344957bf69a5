"""The intraday page (manager): per queue, the day so far and the rest of it reforecast."""

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organisation.api.fields import EARLIEST_INSTANT, END_INSTANT
from organisation.errors import DomainError
from organisation.roles import MANAGERS
from organisation.selectors.organisation import queue_list_visible, site_list_managed
from scheduling.errors import DateOutOfRange, IntradayNoPlan, TimeWithoutOffset
from scheduling.selectors.forecast_days import latest_planned_day
from scheduling.selectors.intraday_offers import offers_of_day
from timeclock.selectors.adherence import adherence_events_live
from timeclock.selectors.intraday import intraday_day
from web.access import role_required
from web.intraday import IntradayPanel, adherence_lines, intraday_moves, intraday_panel
from web.messages import error_text
from web.views.intraday_offers import offer_form_for


def intraday_moment(request: HttpRequest) -> datetime:
    """Now, or `?at=` (an instant with its offset: a replay of a past moment)."""
    text = (request.GET.get("at") or request.POST.get("at") or "").strip()
    return aware_instant(text) if text else timezone.now()


def aware_instant(text: str) -> datetime:
    """An ISO date-time with its UTC offset (a '+' read from a query string as a space comes
    back); TimeWithoutOffset otherwise."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace(" ", "+") if "T" in text else text)
    except ValueError as exc:
        raise TimeWithoutOffset(f"{text!r} is not a date-time with its offset.") from exc
    if moment.tzinfo is None:
        raise TimeWithoutOffset(f"{text} has no UTC offset.")
    if not EARLIEST_INSTANT <= moment < END_INSTANT:
        raise DateOutOfRange(f"{text} is outside 1970-01-01 .. 2099-12-31.")
    return moment


@role_required(*MANAGERS)
def intraday_view(request: HttpRequest) -> HttpResponse:
    """Every visible queue of the manager's sites with a forecast for today; the others are
    named with what is missing."""
    sites = site_list_managed(user=request.user)
    queues = queue_list_visible(user=request.user).filter(site__in=sites).select_related("site")
    error = ""
    try:
        now = intraday_moment(request)
    except DomainError as exc:
        error, now = error_text(exc), timezone.now()
    panels: list[IntradayPanel] = []
    missing = []
    for queue in queues.order_by("site__name", "name"):
        try:
            panel = intraday_panel(intraday_day(queue=queue, now=now))
        except IntradayNoPlan:
            missing.append(queue)
            continue
        panels.append(
            replace(
                panel,
                offers=tuple(offers_of_day(queue=queue, day=panel.day.day)),
                offer_form=offer_form_for(request, queue),
                moves=intraday_moves(panel.day, request.user),
            )
        )
    adherence = [
        (site, adherence_lines(adherence_events_live(site=site, now=now)))
        for site in sites.order_by("name")
        if any(p.day.queue.site_id == site.pk for p in panels)
    ]
    # No plan today (a demo replays a past week; forecasts made for next week only): say which
    # day last had one, and open it at a moment of that day.
    latest = None if panels else latest_planned_day(queues=queues, before=now)
    context: dict[str, Any] = {
        "latest": latest,
        "latest_at": latest.at.isoformat(timespec="minutes") if latest else "",
        "latest_time": latest.at.strftime("%H:%M") if latest else "",
        "panels": panels,
        "adherence": adherence,
        "missing": missing,
        "now": now,
        "error": error,
        "at": request.GET.get("at", ""),
    }
    return render(request, "web/manager/intraday.html", context)
