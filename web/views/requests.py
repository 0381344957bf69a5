"""Request pages: the operator's swaps, give-aways and open-shift board, their time off, and
the manager's approvals queue (swaps, open shifts, time off, punch corrections). Views parse a
form, call one service, and say what happened; the services check the rules and the scope."""

from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.models import Employee
from organisation.roles import MANAGERS
from scheduling.models import Roster, Shift, ShiftSwap, TimeOffRequest
from scheduling.selectors import requests as selectors
from scheduling.services import swaps, time_off
from timeclock.selectors.correction_requests import (
    correction_request_approvals,
    correction_request_list_visible,
)
from timeclock.services.correction_requests import (
    correction_request_approve,
    correction_request_reject,
)
from web.access import employee_required, own_employee, role_required
from web.forms import DecisionForm, SwapOfferForm, TimeOffForm
from web.messages import error_text

HORIZON = timedelta(weeks=8)


def _me(request: HttpRequest) -> Employee:
    employee = own_employee(request)
    if employee is None:
        raise Http404
    return employee


def _upcoming(me: Employee) -> QuerySet[Shift]:
    now = timezone.now()
    return (
        Shift.objects.filter(
            state=Roster.Status.PUBLISHED,
            employee__team_id=me.team_id,
            start__gt=now,
            start__lt=now + HORIZON,
        )
        .select_related("roster__site", "queue", "employee")
        .order_by("start")
    )


def _offer_form(me: Employee, data: Any = None) -> SwapOfferForm:
    shifts = _upcoming(me)
    return SwapOfferForm(
        data,
        mine=shifts.filter(employee=me),
        theirs=shifts.exclude(employee=me),
        colleagues=Employee.objects.filter(team_id=me.team_id).exclude(pk=me.pk).order_by("number"),
    )


def _outcome(request: HttpRequest, work: Any, done: str) -> bool:
    """Run a service; tell the user what happened (a refusal in their language)."""
    try:
        work()
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, done)
    return True


@employee_required
@require_http_methods(["GET", "POST"])
def swaps_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = _offer_form(me, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ask = swaps.SwapAsk(
            kind=data["kind"],
            shift=data["shift"],
            counterpart=data["counterpart"] if data["kind"] == "give_away" else None,
            counterpart_shift=data["counterpart_shift"] if data["kind"] == "swap" else None,
            note=data["note"],
        )
        work = partial(swaps.swap_request, requester=me, ask=ask, user=request.user)
        if _outcome(request, work, _("Your request was sent.")):
            return redirect("web:swaps")
    visible = selectors.swap_list_visible(user=request.user)
    context = {
        "me": me,
        "form": form,
        "asked": visible.filter(counterpart=me, status=ShiftSwap.Status.PENDING).exclude(
            kind=ShiftSwap.Kind.OPEN
        ),
        "mine": visible.filter(requester=me).order_by("-created_at")[:30],
        "board": selectors.open_board(employee=me, now=timezone.now())[:50],
    }
    return render(request, "web/operator/swaps.html", context)


SWAP_ACTIONS = {
    "accept": (swaps.swap_accept, gettext_lazy("Accepted: a manager decides next.")),
    "decline": (swaps.swap_decline, gettext_lazy("Declined.")),
    "cancel": (swaps.swap_cancel, gettext_lazy("Your request was withdrawn.")),
}


@employee_required
@require_POST
def swap_action_view(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
    me = _me(request)
    if action not in SWAP_ACTIONS:
        raise Http404
    swap = selectors.swap_list_visible(user=request.user).filter(pk=pk).first()
    if swap is None:
        raise Http404
    service, done = SWAP_ACTIONS[action]
    _outcome(request, partial(service, swap=swap, employee=me, user=request.user), str(done))
    return redirect("web:swaps")


@employee_required
@require_http_methods(["GET", "POST"])
def time_off_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = TimeOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        work = partial(
            time_off.time_off_request, employee=me, user=request.user, **form.cleaned_data
        )
        if _outcome(request, work, _("Your time-off request was sent.")):
            return redirect("web:time-off")
    mine = TimeOffRequest.objects.filter(employee=me).order_by("-first_day")[:30]
    return render(request, "web/operator/time_off.html", {"me": me, "form": form, "mine": mine})


@employee_required
@require_POST
def time_off_cancel_view(request: HttpRequest, pk: Any) -> HttpResponse:
    me = _me(request)
    row = TimeOffRequest.objects.filter(pk=pk, employee=me).first()
    if row is None:
        raise Http404
    work = partial(time_off.time_off_cancel, request=row, employee=me)
    _outcome(request, work, _("Your time-off request was withdrawn."))
    return redirect("web:time-off")


def _approvals(request: HttpRequest, note_error: tuple[Any, str] | None = None) -> HttpResponse:
    """The queue; `note_error` (a correction's or swap's id, the message) shows beside its
    note."""
    corrections = list(correction_request_approvals(user=request.user)[:100])
    swap_rows = list(selectors.swap_approvals(user=request.user)[:100])
    open_posts = list(selectors.swap_open_posts(user=request.user)[:100])
    for row in [*corrections, *swap_rows, *open_posts]:
        row.note_error = note_error[1] if note_error and note_error[0] == row.pk else None  # type: ignore[attr-defined]
    context = {
        "swaps": swap_rows,
        "open_posts": open_posts,
        "time_off": selectors.time_off_approvals(user=request.user)[:100],
        "corrections": corrections,
        "form": DecisionForm(),
    }
    return render(request, "web/manager/approvals.html", context)


@role_required(*MANAGERS)
def approvals_view(request: HttpRequest) -> HttpResponse:
    return _approvals(request)


DECISIONS = {
    ("swap", "approve"): (swaps.swap_approve, "swap", gettext_lazy("Approved: republished.")),
    ("swap", "reject"): (swaps.swap_reject, "swap", gettext_lazy("Rejected.")),
    ("time_off", "approve"): (
        time_off.time_off_approve,
        "request",
        gettext_lazy("Decided: approved, or waitlisted if a day is full."),
    ),
    ("time_off", "reject"): (time_off.time_off_reject, "request", gettext_lazy("Rejected.")),
    ("correction", "approve"): (
        correction_request_approve,
        "request",
        gettext_lazy("Approved: the correction is recorded."),
    ),
    ("correction", "reject"): (
        correction_request_reject,
        "request",
        gettext_lazy("Rejected."),
    ),
}
VISIBLE = {
    "swap": selectors.swap_list_visible,
    "time_off": selectors.time_off_list_visible,
    "correction": correction_request_list_visible,
}
# The operator is told why (the services refuse an empty reason too).
NOTE_REQUIRED = {("correction", "reject"), ("swap", "reject")}


@role_required(*MANAGERS)
@require_POST
def decide_view(request: HttpRequest, what: str, pk: Any, action: str) -> HttpResponse:
    if (what, action) not in DECISIONS:
        raise Http404
    row = VISIBLE[what](user=request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if (what, action) in NOTE_REQUIRED and not reason.strip():
        return _approvals(request, note_error=(row.pk, _("Say why: the operator is told.")))
    service, argument, done = DECISIONS[(what, action)]
    work = partial(service, **{argument: row}, approver=request.user, reason=reason)
    _outcome(request, work, str(done))
    return redirect("web:approvals")
