"""Manager pages of issue 25: attendance-points cases (the open ones, a case with its points
history and the decision form) and the fine rules each employee received (BW art. 7:650)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.roles import MANAGERS, PAYROLL
from organisation.selectors.organisation import employee_list_visible, team_list_managed
from timeclock.models import FineAcknowledgement, PointsCase
from timeclock.selectors.jurisdictions import site_pack
from timeclock.selectors.points_cases import points_case_list
from timeclock.services.fines import fine_acknowledgement_record
from timeclock.services.points_cases import points_case_decide, points_cases_open
from web.access import role_required
from web.case_forms import CaseDecisionForm, FineRulesForm
from web.form_errors import form_refusal

DECIDED_SHOWN = 20


@role_required(*MANAGERS)
def points_cases_view(request: HttpRequest) -> HttpResponse:
    """The open cases of the manager's teams, then the latest decided ones."""
    cases = points_case_list(user=request.user, open_only=False)
    context = {
        "open": [c for c in cases if not c.decision],
        "decided": [c for c in cases if c.decision][:DECIDED_SHOWN],
    }
    return render(request, "web/manager/points_cases.html", context)


@role_required(*MANAGERS)
@require_POST
def points_cases_check_view(request: HttpRequest) -> HttpResponse:
    """Open the cases the points call for now (the daily task does the same)."""
    opened = sum(len(points_cases_open(team=team)) for team in team_list_managed(user=request.user))
    messages.success(request, _("Cases opened: %(count)s.") % {"count": opened})
    return redirect("web:points-cases")


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def points_case_view(request: HttpRequest, pk: Any) -> HttpResponse:
    case = points_case_list(user=request.user, open_only=False).filter(pk=pk).first()
    if case is None:
        raise Http404
    form = CaseDecisionForm(request.POST or None)
    if request.method == "POST" and not case.decision and form.is_valid():
        try:
            points_case_decide(case=case, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_refusal(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("web:points-case", pk=case.pk)
    earlier = (
        PointsCase.objects.filter(employee=case.employee)
        .exclude(pk=case.pk)
        .order_by("-opened_on")[:10]
    )
    context = {"case": case, "form": form, "earlier": earlier, "events": _events(case)}
    return render(request, "web/manager/points_case.html", context)


def _events(case: PointsCase) -> list[dict[str, Any]]:
    """The points history as stored (ISO days, points as text) as a day and a number, so
    the page writes them in the reader's language (5 oktober 2026, 0,5)."""
    return [
        {"day": date.fromisoformat(e["day"]), "kind": e["kind"], "points": Decimal(e["points"])}
        for e in case.events
    ]


@role_required(*MANAGERS, *PAYROLL)
@require_http_methods(["GET", "POST"])
def fine_rules_view(request: HttpRequest) -> HttpResponse:
    """Who received the written fine rules, and when; recording a receipt."""
    people = list(employee_list_visible(user=request.user).order_by("team__site__name", "number"))
    form = FineRulesForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("employee")
        person = next(p for p in people if str(p.pk) == chosen)
        try:
            fine_acknowledgement_record(employee=person, by=request.user, **data)
        except DomainError as exc:
            form_refusal(form, exc)
        else:
            messages.success(request, _("The receipt of the fine rules is recorded."))
            return redirect("web:fine-rules")
    received: dict[Any, list[FineAcknowledgement]] = {}
    for row in FineAcknowledgement.objects.filter(employee__in=people).order_by("received_on"):
        received.setdefault(row.employee_id, []).append(row)
    rows = [
        {"person": p, "pack": site_pack(p.team.site), "received": received.get(p.pk, [])}
        for p in people
    ]
    return render(request, "web/manager/fine_rules.html", {"rows": rows, "form": form})
