"""Rest-of-day break moves in the intraday page (issue 26, item 5): a manager applies one of
the proposed moves, or all of them; each is published as a new roster version."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisation.errors import DomainError
from organisation.models import Queue
from organisation.roles import MANAGERS
from organisation.selectors.organisation import queue_list_visible, site_list_managed
from scheduling.models import Shift
from scheduling.services.intraday_moves import intraday_break_move
from timeclock.selectors.intraday import intraday_day
from web.access import role_required
from web.intraday import intraday_back, intraday_moves
from web.messages import error_text
from web.params import uuid_or_none
from web.views.intraday import aware_instant, intraday_moment


@role_required(*MANAGERS)
@require_POST
def intraday_move_view(request: HttpRequest) -> HttpResponse:
    """POST queue and either shift, break_start and new_start (one move) or all=1 (every
    move proposed at `at`, or now)."""
    queues = queue_list_visible(user=request.user).filter(
        site__in=site_list_managed(user=request.user)
    )
    queue = get_object_or_404(
        queues.select_related("site"), pk=uuid_or_none(request.POST.get("queue"))
    )
    back = intraday_back(request)
    try:
        if request.POST.get("all"):
            _apply_all(request, queue)
        else:
            shift = get_object_or_404(
                Shift.objects.filter(queue=queue).select_related("roster"),
                pk=uuid_or_none(request.POST.get("shift")),
            )
            intraday_break_move(
                shift=shift,
                break_start=aware_instant(request.POST.get("break_start", "")),
                new_start=aware_instant(request.POST.get("new_start", "")),
                user=request.user,
            )
            messages.success(request, _("The break is moved; the operator is told."))
    except DomainError as exc:
        messages.error(request, error_text(exc))
    return redirect(f"{back}#queue-{queue.pk}")


def _apply_all(request: HttpRequest, queue: Queue) -> None:
    panel = intraday_moves(intraday_day(queue=queue, now=intraday_moment(request)))
    done, refused = 0, []
    for line in panel.lines:
        p = line.proposed
        try:
            intraday_break_move(
                shift=p.shift,
                break_start=p.break_start,
                new_start=p.new_start,
                user=request.user,
            )
        except DomainError as exc:
            refused.append(f"{line.name}: {error_text(exc)}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)d break moved; the operators are told.",
                "%(count)d breaks moved; the operators are told.",
                done,
            )
            % {"count": done},
        )
    for text in refused:
        messages.error(request, text)
