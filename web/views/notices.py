"""The notices bell: every person's own notices in the app (roster published, swaps, time off,
punch corrections, shifts to cover), in the reader's language, each leading to the page it
is about; the unread count is fetched after the page (htmx), so no page pays for it."""

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from organisation.models import Notice
from organisation.roles import MANAGERS, Role, has_role
from organisation.selectors.notices import my_notices, notice_unread_count
from organisation.selectors.organisation import team_list_managed
from organisation.services.notices import notices_mark_read
from web import sentences
from web.access import own_employee, role_required

EVERYONE = tuple(Role)
NOTICES_PER_PAGE = 30

# Where a notice leads, by its sentence's code (a manager and an operator may differ).
PAGES = {
    "roster_published": "web:my-week",
    "swap_offered": "web:swaps",
    "give_away_offered": "web:swaps",
    "open_shift_posted": "web:swaps",
    "swap_decided": "web:swaps",
    "time_off_decided": "web:time-off",
    "correction_decided": "web:timesheet",
    "correction_to_decide": "web:approvals",
    "time_off_to_decide": "web:approvals",
    "cover_needed": "web:approvals",
    "points_case_opened": "web:points-cases",
    "vto_offered": "web:my-offers",
    "vto_window_offered": "web:my-offers",
    "overtime_offered": "web:my-offers",
}


def notice_text(notice: Notice) -> str:
    """The notice in the reader's language when it carries a sentence, else its subject."""
    sentence = notice.sentence
    return (sentence and sentences.say([sentence], sentences.NOTICES)) or notice.subject


def notice_target(notice: Notice, user: Any) -> str:
    code = str((notice.sentence or {}).get("code", ""))
    if code == "swap_to_approve":
        return reverse("web:approvals" if has_role(user, *MANAGERS) else "web:swaps")
    name = PAGES.get(code)
    if name is None:
        return ""
    url = reverse(name)
    day = ((notice.sentence or {}).get("values") or {}).get("day")
    return f"{url}?week={day}" if code == "roster_published" and day else url


@role_required(*EVERYONE)
def notices_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(my_notices(user=request.user), NOTICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"notice": n, "text": notice_text(n), "target": notice_target(n, request.user)}
        for n in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "unread": notice_unread_count(user=request.user),
        "zone": reader_timezone(request),
    }
    return render(request, "web/notices.html", context)


def reader_timezone(request: HttpRequest) -> str:
    """The reader's local time zone: their own site's (an operator's team), else that of the
    first team they manage, else the server's."""
    me = own_employee(request)
    if me is not None:
        return me.team.site.timezone
    team = team_list_managed(user=request.user).select_related("site").order_by("name").first()
    return team.site.timezone if team is not None else settings.TIME_ZONE


@role_required(*EVERYONE)
def notice_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to the page it is about (or back to the list)."""
    notice = my_notices(user=request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    notices_mark_read(user=request.user, notice_ids=[notice.pk])
    return redirect(notice_target(notice, request.user) or reverse("web:notices"))


@role_required(*EVERYONE)
@require_POST
def notices_read_view(request: HttpRequest) -> HttpResponse:
    notices_mark_read(user=request.user)
    return redirect("web:notices")


@role_required(*EVERYONE)
def notice_count_view(request: HttpRequest) -> HttpResponse:
    """The bell's badge: the unread count (htmx, after the page and every minute)."""
    return render(
        request,
        "web/partials/notice_count.html",
        {"unread": notice_unread_count(user=request.user)},
    )
