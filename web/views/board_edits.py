"""Edits on the schedule board, in place (htmx) or as plain pages without JavaScript: add a
shift in a cell, move or resize it (also by keyboard nudges), change its activity, queue or
note, reassign it (candidates ranked by fit), move a break, pin, delete, undo the last edit.

The services check the rules and the version the manager saw; a refusal is shown in the
editor, in the reader's language, with nothing saved. A saved edit answers with the editor's
confirmation and the changed board rows (out of band), or sends the page to the draft the
edit opened."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.roles import MANAGERS
from organisation.selectors.organisation import scope_employees
from scheduling.errors import RosterEditBreaksRules, ShiftChanged
from scheduling.models import Roster, Shift
from scheduling.selectors.leave import shift_on_leave
from scheduling.selectors.roster_candidates import shift_candidates
from scheduling.selectors.rosters import roster_is_managed, roster_list_visible
from scheduling.services import roster_edits
from scheduling.services.roster_edits import EditResult, ShiftFields, shift_version
from scheduling.services.roster_undo import roster_edit_undo
from web.access import role_required
from web.forms import BreakMoveForm, ReassignForm, ShiftAddForm, ShiftDropForm, ShiftEditForm
from web.messages import error_text
from web.roster_page import drop_token
from web.views.board import Board, board_query, managed_roster, roster_url


def _shift(request: HttpRequest, pk: Any) -> Shift:
    shift = (
        Shift.objects.filter(pk=pk, roster__in=roster_list_visible(user=request.user))
        .select_related("roster__site", "roster__team", "employee__user", "queue", "template")
        .prefetch_related("breaks")
        .first()
    )
    if shift is None:
        raise Http404
    if not roster_is_managed(user=request.user, roster=shift.roster):
        raise PermissionDenied
    return shift


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _editor(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The editor panel (htmx) or the same content as a page of its own."""
    query = board_query(request).copy()
    for key in ("employee", "day"):  # the add form's own parameters
        query.pop(key, None)
    context |= {"query": query.urlencode(), "page_mode": not _htmx(request)}
    if _htmx(request):
        return render(request, template, context, status=status)
    return render(
        request, "web/manager/shift_edit.html", context | {"panel": template}, status=status
    )


def _refused(form: Any, exc: DomainError) -> list[dict[str, Any]]:
    """A refusal beside the field it is about; rule violations are returned for the list."""
    if isinstance(exc, RosterEditBreaksRules):
        form.add_error("override", error_text(exc))
        return list(exc.extra.get("violations", []))
    form.add_error(None, error_text(exc))
    return []


@dataclass
class Attempt:
    """A form's edit sent to a service: the answer when it was saved, else what refused it."""

    response: HttpResponse | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)
    refusal: DomainError | None = None


def _attempt(
    request: HttpRequest,
    form: Any,
    edit: Callable[..., EditResult],
    *,
    shown: Roster,
    people: set[str],
    saying: str,
    **names: str,
) -> Attempt:
    """Run `edit` with the form's override, reason and version token; the saved edit's
    answer (`saying` with the new version and `names`), or the refusal for the editor."""
    data = form.cleaned_data
    extra = {"expected": data["seen"] or None} if "seen" in data else {}
    try:
        result = edit(user=request.user, reason=data["reason"], override=data["override"], **extra)
    except DomainError as exc:
        return Attempt(violations=_refused(form, exc), refusal=exc)
    text = saying % {"version": result.roster.version, **names}
    return Attempt(response=_saved(request, shown, result, people, text))


def _seen(form: Any, shift: Shift, exc: DomainError | None) -> str:
    """The version token the editor carries on: the one the manager saw while they correct
    their input; the shift's current one once they were told it changed."""
    posted = form.data.get("seen") if form.is_bound else None
    if posted and not isinstance(exc, ShiftChanged):
        return str(posted)
    return shift_version(shift)


def _saved(
    request: HttpRequest, shown: Roster, result: EditResult, people: set[str], text: str
) -> HttpResponse:
    """After an edit: the page goes to the draft the edit opened, or gets the changed rows."""
    query = board_query(request)
    if "/day/" in request.headers.get("HX-Current-URL", ""):
        response = HttpResponse(status=204)  # the day view shows the change after a reload
        response["HX-Refresh"] = "true"
        messages.success(request, text)
        return response
    if result.roster.pk != shown.pk or not _htmx(request):
        messages.success(request, text)
        url = roster_url(result.roster, query.urlencode())
        if not _htmx(request):
            return redirect(url)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return _with_rows(request, result.roster, people, text, query)


def _with_rows(
    request: HttpRequest, roster: Roster, people: set[str], text: str, query: QueryDict
) -> HttpResponse:
    board = Board(roster, query, filters=False)
    rows = board.rows_of(people)
    context = {
        "roster": roster,
        "editable": True,
        "query": board.url(),
        "oob": True,
        "undo": True,
        "text": text,
    }
    html = render_to_string("web/manager/_editor_saved.html", context, request=request)
    # Table rows outside a table are dropped by the HTML parser: htmx takes them out of band
    # from a <template>.
    html += "".join(
        "<template>"
        + render_to_string("web/manager/_board_row.html", context | {"row": row}, request=request)
        + "</template>"
        for row in rows
    )
    html += render_to_string("web/manager/_undo.html", context, request=request)
    response = HttpResponse(html)
    response["HX-Trigger"] = "roster-changed"
    return response


def _shift_context(
    shift: Shift, form: Any, exc: DomainError | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "shift": shift,
        "form": form,
        "seen": _seen(form, shift, exc),
        "changed": (exc.extra.get("shift") if isinstance(exc, ShiftChanged) else None),
        "breaks": list(shift.breaks.all()),
        "on_leave": shift_on_leave(shift=shift),
        "roster": shift.roster,
        "violations": [],
        **extra,
    }


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def shift_edit_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """Move or resize (fields or nudges), activity, queue, note."""
    shift = _shift(request, pk)
    form = ShiftEditForm(
        request.POST or None, shift=shift, initial=ShiftEditForm.initial_for(shift)
    )
    attempt = Attempt()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = ShiftFields(
            start=data["start"],
            end=data["end"],
            activity=data["activity"],
            queue=data["queue"],
            note=data["note"],
        )
        attempt = _attempt(
            request,
            form,
            partial(roster_edits.shift_change, shift=shift, fields=fields),
            shown=shift.roster,
            people={str(shift.employee_id)},
            saying=_("Shift saved in draft version %(version)s."),
        )
        if attempt.response:
            return attempt.response
    status = 422 if request.method == "POST" else 200
    context = _shift_context(shift, form, attempt.refusal, violations=attempt.violations)
    return _editor(request, "web/manager/_editor_shift.html", context, status=status)


@role_required(*MANAGERS)
@require_POST
def shift_delete_view(request: HttpRequest, pk: Any) -> HttpResponse:
    shift = _shift(request, pk)
    try:
        result = roster_edits.shift_delete(
            shift=shift, user=request.user, expected=request.POST.get("seen") or None
        )
    except DomainError as exc:
        return _failed(request, shift, exc)
    text = _("Shift deleted in draft version %(version)s.") % {"version": result.roster.version}
    return _saved(request, shift.roster, result, {str(shift.employee_id)}, text)


@role_required(*MANAGERS)
@require_POST
def shift_pin_view(request: HttpRequest, pk: Any) -> HttpResponse:
    shift = _shift(request, pk)
    pinned = request.POST.get("pinned") == "1"
    try:
        result = roster_edits.shift_pin(
            shift=shift, pinned=pinned, user=request.user, expected=request.POST.get("seen") or None
        )
    except DomainError as exc:
        return _failed(request, shift, exc)
    text = _("Shift pinned: a re-solve keeps it.") if pinned else _("Shift unpinned.")
    return _saved(request, shift.roster, result, {str(shift.employee_id)}, text)


def _failed(request: HttpRequest, shift: Shift, exc: DomainError) -> HttpResponse:
    """A refused button press: the editor again, the refusal at its top."""
    form = ShiftEditForm(shift=shift, initial=ShiftEditForm.initial_for(shift))
    context = _shift_context(shift, form, exc, refusal=error_text(exc))
    return _editor(request, "web/manager/_editor_shift.html", context, status=409)


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def shift_reassign_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """The people who could take the shift, best first; giving it to one of them."""
    shift = _shift(request, pk)
    roster = shift.roster
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=shift.local_date, last_day=shift.local_date
    ).exclude(pk=shift.employee_id)
    form = ReassignForm(request.POST or None, people=people)
    attempt = Attempt()
    if request.method == "POST" and form.is_valid():
        taker = form.cleaned_data["employee"]
        attempt = _attempt(
            request,
            form,
            partial(roster_edits.shift_change, shift=shift, fields=ShiftFields(employee=taker)),
            shown=roster,
            people={str(shift.employee_id), str(taker.pk)},
            saying=_("Shift given to %(name)s in draft version %(version)s."),
            name=taker.full_name,
        )
        if attempt.response:
            return attempt.response
    context = _shift_context(
        shift,
        form,
        attempt.refusal,
        candidates=shift_candidates(shift=shift, now=timezone.now()),
        violations=attempt.violations,
        chosen=str(form.data.get("employee", "")),
    )
    status = 422 if request.method == "POST" else 200
    return _editor(request, "web/manager/_editor_candidates.html", context, status=status)


@role_required(*MANAGERS)
@require_POST
def shift_drop_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A shift dragged to another cell of the board: to that day (same wall-clock times) and
    that person, as one edit the rules check; a refusal opens the editor with the reasons and
    the override, to drop it again from there."""
    shift = _shift(request, pk)
    was = request.POST.get("was")
    if was and was != drop_token(shift.employee_id, shift.start, shift.end):
        return _failed(request, shift, ShiftChanged(extra={"shift": str(shift.pk)}))
    roster = shift.roster
    last_day = roster.start_date + timedelta(days=roster.days - 1)
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=roster.start_date, last_day=last_day
    )
    form = ShiftDropForm(request.POST, shift=shift, people=people)
    attempt = Attempt()
    if form.is_valid():
        data = form.cleaned_data
        taker = data["employee"]
        fields = ShiftFields(
            start=data["start"],
            end=data["end"],
            employee=taker if taker.pk != shift.employee_id else None,
        )
        attempt = _attempt(
            request,
            form,
            partial(roster_edits.shift_change, shift=shift, fields=fields),
            shown=roster,
            people={str(shift.employee_id), str(taker.pk)},
            saying=_("Shift moved to %(day)s for %(name)s in draft version %(version)s."),
            name=taker.full_name,
            day=date_format(data["day"], _("D j M")),
        )
        if attempt.response:
            return attempt.response
    context = _shift_context(shift, form, attempt.refusal, violations=attempt.violations)
    return _editor(request, "web/manager/_editor_drop.html", context, status=422)


@role_required(*MANAGERS)
@require_POST
def shift_break_view(request: HttpRequest, pk: Any) -> HttpResponse:
    shift = _shift(request, pk)
    form = BreakMoveForm(request.POST, shift=shift)
    attempt = Attempt()
    if form.is_valid():
        data = form.cleaned_data
        move = partial(
            roster_edits.shift_break_move,
            shift=shift,
            break_start=data["break_start"],
            start=data["start"],
        )
        attempt = _attempt(
            request,
            form,
            move,
            shown=shift.roster,
            people={str(shift.employee_id)},
            saying=_("Break moved in draft version %(version)s."),
        )
        if attempt.response:
            return attempt.response
    edit = ShiftEditForm(shift=shift, initial=ShiftEditForm.initial_for(shift))
    context = _shift_context(shift, form, attempt.refusal, violations=attempt.violations)
    context["form"], context["break_form"] = edit, form
    return _editor(request, "web/manager/_editor_shift.html", context, status=422)


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def shift_add_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A new shift for the person and day of the cell the manager chose."""
    roster = managed_roster(request, pk)
    last = roster.start_date + timedelta(days=roster.days - 1)
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=roster.start_date, last_day=last
    )
    employee = people.filter(pk=request.GET.get("employee") or None).first()
    if employee is None:
        raise Http404
    initial = {"day": request.GET.get("day") or roster.start_date}
    form = ShiftAddForm(request.POST or None, site=roster.site, employee=employee, initial=initial)
    attempt = Attempt()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        add = partial(
            roster_edits.shift_add,
            roster=roster,
            employee=employee,
            template=data["template"],
            start=data["start"],
            end=data["end"],
            queue=data["queue"],
            note=data["note"],
        )
        attempt = _attempt(
            request,
            form,
            add,
            shown=roster,
            people={str(employee.pk)},
            saying=_("Shift added in draft version %(version)s."),
        )
        if attempt.response:
            return attempt.response
    context = {
        "roster": roster,
        "employee": employee,
        "form": form,
        "violations": attempt.violations,
    }
    status = 422 if request.method == "POST" else 200
    return _editor(request, "web/manager/_editor_add.html", context, status=status)


@role_required(*MANAGERS)
@require_POST
def roster_undo_view(request: HttpRequest, pk: Any) -> HttpResponse:
    roster = managed_roster(request, pk)
    try:
        result = roster_edit_undo(roster=roster, user=request.user)
    except DomainError as exc:
        if not _htmx(request):
            messages.error(request, error_text(exc))
            return redirect(roster_url(roster, board_query(request).urlencode()))
        context = {"text": error_text(exc), "refused": True}
        return render(request, "web/manager/_editor_saved.html", context, status=409)
    people = _undone_people(result)
    if result.shift is not None:
        people.add(str(result.shift.employee_id))
    return _saved(request, roster, result, people, _("Your last edit was undone."))


def _undone_people(result: EditResult) -> set[str]:
    """The people whose rows an undo changed (the shift's owner before and after)."""
    change = result.roster.changes.order_by("-pk").first()
    undone = result.roster.changes.filter(pk=(change.after or {}).get("undoes")).first()
    found = set()
    for snap in (undone.before, undone.after) if undone else ():
        if snap and snap.get("employee"):
            found.add(str(snap["employee"]))
    return found
