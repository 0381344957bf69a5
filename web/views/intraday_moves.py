"""Rest-of-day moves in the intraday page (issue 26, item 5): a manager applies one of the
proposed moves of a meeting, training session or break, or all of them; each is published as a
new roster version."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisation.errors import DomainError
from organisation.models import Queue
from organisation.roles import MANAGERS
from organisation.selectors.organisation import queue_list_visible, site_list_managed
from scheduling.models import Roster, Shift
from scheduling.selectors.rosters import roster_is_managed
from scheduling.services.intraday_moves import intraday_break_move, intraday_session_move
from timeclock.selectors.intraday import intraday_day
from web.access import role_required
from web.intraday import intraday_back, intraday_moves
from web.messages import error_text
from web.params import uuid_or_none
from web.views.intraday import aware_instant, intraday_moment


@role_required(*MANAGERS)
@require_POST
def intraday_move_view(request: HttpRequest) -> HttpResponse:
    """POST queue and either shift, break_start and new_start (a break), roster, session,
    break_start (its start) and new_start (a meeting or training), or all=1 (every move
    proposed at `at`, or now)."""
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
        elif request.POST.get("session"):
            roster = _managed(
                get_object_or_404(
                    Roster.objects.filter(site=queue.site),
                    pk=uuid_or_none(request.POST.get("roster")),
                ),
                request,
            )
            intraday_session_move(
                roster=roster,
                session=request.POST.get("session", ""),
                start=aware_instant(request.POST.get("break_start", "")),
                new_start=aware_instant(request.POST.get("new_start", "")),
                user=request.user,
            )
            messages.success(request, _("The meeting or training is moved; those in it are told."))
        else:
            shift = get_object_or_404(
                Shift.objects.filter(queue=queue).select_related("roster"),
                pk=uuid_or_none(request.POST.get("shift")),
            )
            _managed(shift.roster, request)
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


def _managed(roster: Roster, request: HttpRequest) -> Roster:
    """The roster, when the user manages its team (as board edits); 404 otherwise, like an
    offer of another team."""
    if not roster_is_managed(user=request.user, roster=roster):
        raise Http404
    return roster


def _apply_all(request: HttpRequest, queue: Queue) -> None:
    panel = intraday_moves(intraday_day(queue=queue, now=intraday_moment(request)), request.user)
    user = request.user
    work: list[tuple[str, Callable[[], object]]] = [
        (
            line.title,
            partial(
                intraday_session_move,
                roster=line.proposed.roster,
                session=line.proposed.move.session,
                start=line.proposed.start,
                new_start=line.proposed.new_start,
                user=user,
            ),
        )
        for line in panel.sessions
    ] + [
        (
            line.name,
            partial(
                intraday_break_move,
                shift=line.proposed.shift,
                break_start=line.proposed.break_start,
                new_start=line.proposed.new_start,
                user=user,
            ),
        )
        for line in panel.lines
    ]
    done, refused = 0, []
    for label, apply in work:  # in the plan's order: sessions first, then breaks
        try:
            apply()
        except DomainError as exc:
            refused.append(f"{label}: {error_text(exc)}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)d change published; the operators are told.",
                "%(count)d changes published; the operators are told.",
                done,
            )
            % {"count": done},
        )
    for text in refused:
        messages.error(request, text)
