"""Adherence pages (issue 26): the manager's report per team and period (with a CSV download
and the import of an ACD interval export), and the operator's own adherence on /me/."""

import csv
import io
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from organisation.errors import DomainError
from organisation.local_grid import local_date
from organisation.models import Queue, Team
from organisation.roles import MANAGERS
from organisation.selectors.organisation import team_list_managed
from timeclock.selectors.adherence import (
    AdherenceReport,
    AdherenceRow,
    adherence_employees,
    adherence_report,
    adherence_threshold,
)
from timeclock.services.acd_csv import acd_csv_import, acd_file_read
from timeclock.services.adherence import adherence_threshold_set
from web.access import employee_required, own_employee, role_required
from web.messages import BY_CODE, error_text
from web.params import SaneDateField, uuid_or_none

MAX_DAYS = 31
MY_DAYS = 14
WHAT = {
    "phone": _("On the phone"),
    "break": _("Break"),
    "meeting": _("Meeting"),
    "training": _("Training"),
    "other_work": _("Other work"),
    "absent": _("Not logged in"),
    "not_ready": _("Not ready"),
    "working": _("Clocked in"),
}


class ReportFilter(forms.Form):
    team = forms.ChoiceField(label=_("Team"), required=False)
    first = SaneDateField(label=_("From"), required=False, widget=forms.DateInput({"type": "date"}))
    last = SaneDateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))


class AcdImportForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    interval_minutes = forms.TypedChoiceField(
        label=_("Interval"),
        coerce=int,
        choices=[(15, "15 min"), (30, "30 min"), (60, "60 min")],
        initial=30,
    )
    file = forms.FileField(
        label=_("ACD interval export (CSV)"),
        help_text=_(
            "Columns: interval start with its UTC offset, offered, handled, abandoned, ASA, "
            "AHT and service level (Avaya CMS or Genesys names)."
        ),
    )


class ThresholdForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Out of adherence listed from (minutes)"), min_value=1, max_value=120
    )


YEAR = timedelta(days=366)


def _period(form: ReportFilter, today: date) -> tuple[date, date]:
    data = form.cleaned_data if form.is_valid() else {}
    # Within a year of today: a far date is no period to report (and 0001-01-01 would overflow).
    last = min(max(data.get("last") or today, today - YEAR), today + YEAR)
    first = data.get("first") or last - timedelta(days=last.weekday())
    first = min(max(first, today - YEAR), today + YEAR)
    if first > last:
        first, last = last, first
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last


SOURCES = {
    "acd": _("Phone system"),
    "punches": _("Punches"),
    "mixed": _("Mixed"),
    "none": _("No data"),
}


def _source_days(row: AdherenceRow) -> dict[str, list[date]]:
    """The days of each source (days with neither are left out)."""
    days: dict[str, list[date]] = {"acd": [], "punches": []}
    for d in row.days:
        if d.source in days:
            days[d.source].append(d.day)
    return days


def _rows(report: AdherenceReport) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "source": SOURCES.get(row.source, row.source),
            "source_days": _source_days(row) if row.source == "mixed" else None,
            "adherence": row.figures.adherence_percent,
            "conformance": row.figures.conformance_percent,
        }
        for row in report.rows
    ]


@role_required(*MANAGERS)
def adherence_view(request: HttpRequest) -> HttpResponse:
    teams = list(team_list_managed(user=request.user).select_related("site").order_by("name"))
    form = ReportFilter(request.GET or None)
    form.fields["team"].choices = [(str(t.pk), f"{t.site.name} · {t.name}") for t in teams]
    chosen = request.GET.get("team")
    team: Team | None = next((t for t in teams if str(t.pk) == chosen), teams[0] if teams else None)
    if team is None:
        return render(request, "web/manager/adherence.html", {"form": form, "team": None})
    site = team.site
    first, last = _period(form, local_date(instant=timezone.now(), timezone=site.timezone))
    report = adherence_report(
        site=site, first=first, last=last, employees=adherence_employees(site=site, team=team)
    )
    if request.GET.get("format") == "csv":
        return _csv(report, team, first, last)
    events = sorted(
        (e for row in report.rows for e in row.events), key=lambda e: e.start, reverse=True
    )
    imports = AcdImportForm()
    imports.fields["queue"].queryset = Queue.objects.filter(site=site).order_by("name")
    context = {
        "form": form,
        "team": team,
        "site": site,
        "first": first,
        "last": last,
        "report": report,
        "rows": _rows(report),
        "events": [
            (e, WHAT.get(e.planned, e.planned), WHAT.get(e.actual, e.actual)) for e in events[:200]
        ],
        "events_total": len(events),
        "import_form": imports,
        "threshold_form": ThresholdForm(initial={"minutes": report.threshold_minutes}),
        "query": request.GET.urlencode(),
    }
    return render(request, "web/manager/adherence.html", context)


def _csv(report: AdherenceReport, team: Team, first: date, last: date) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "employee_number", "employee_name", "team", "source", "scheduled_minutes",
            "adherent_minutes", "adherence_percent", "scheduled_work_minutes", "worked_minutes",
            "conformance_percent", "out_of_adherence_events", "acd_days", "punch_days",
        ]
    )  # fmt: skip
    for row in [*report.rows]:
        f = row.figures
        writer.writerow(
            [
                row.employee_number, row.employee_name, row.team_name, row.source,
                f.scheduled_minutes, f.adherent_minutes, _percent(f.adherence_percent),
                f.scheduled_work_minutes, f.worked_minutes, _percent(f.conformance_percent),
                len(row.events), *(_iso(d) for d in _source_days(row).values()),
            ]
        )  # fmt: skip
    t = report.total
    writer.writerow(
        [
            "", "TOTAL", team.name, "", t.scheduled_minutes, t.adherent_minutes,
            _percent(t.adherence_percent), t.scheduled_work_minutes, t.worked_minutes,
            _percent(t.conformance_percent), sum(len(r.events) for r in report.rows), "", "",
        ]
    )  # fmt: skip
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="adherence_{first.isoformat()}_{last.isoformat()}.csv"'
    )
    return response


def _iso(days: list[date]) -> str:
    return " ".join(d.isoformat() for d in days)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@role_required(*MANAGERS)
def acd_import_view(request: HttpRequest) -> HttpResponse:
    """The import form of the adherence page: one result per line, summed up as a message."""
    if request.method != "POST":
        return redirect("web:adherence")
    teams = team_list_managed(user=request.user).select_related("site")
    team = teams.filter(pk=uuid_or_none(request.POST.get("team"))).first() or teams.first()
    if team is None:
        return redirect("web:adherence")
    form = AcdImportForm(request.POST, request.FILES)
    form.fields["queue"].queryset = Queue.objects.filter(site=team.site)
    if not form.is_valid():
        messages.error(request, gettext("Choose a queue and a CSV file."))
        return redirect(_back(team))
    try:
        rows = acd_csv_import(
            site=team.site,
            queue=str(form.cleaned_data["queue"].pk),
            content=acd_file_read(form.cleaned_data["file"]),
            interval_minutes=form.cleaned_data["interval_minutes"],
            user=request.user,
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect(_back(team))
    counts = {s: sum(r.result.status == s for r in rows) for s in ("accepted", "duplicate")}
    refused = [r for r in rows if r.result.status == "refused"]
    messages.success(
        request,
        ngettext(
            "%(accepted)s interval stored, %(duplicate)s already there, %(refused)s refused.",
            "%(accepted)s intervals stored, %(duplicate)s already there, %(refused)s refused.",
            counts["accepted"],
        )
        % {**counts, "refused": len(refused)},
    )
    for r in refused[:10]:
        error = r.result.error or {}
        messages.warning(
            request,
            gettext("Line %(line)s: %(problem)s")
            % {
                "line": r.line,
                "problem": _refusal(error.get("code", ""), error.get("message", "")),
            },
        )
    return redirect(_back(team))


@role_required(*MANAGERS)
def adherence_threshold_view(request: HttpRequest) -> HttpResponse:
    """The site's threshold for out-of-adherence events, from the adherence page."""
    teams = team_list_managed(user=request.user).select_related("site")
    team = teams.filter(pk=uuid_or_none(request.POST.get("team"))).first()
    if request.method != "POST" or team is None:
        return redirect("web:adherence")
    form = ThresholdForm(request.POST)
    if form.is_valid():
        adherence_threshold_set(
            site=team.site, minutes=form.cleaned_data["minutes"], user=request.user
        )
        messages.success(request, gettext("The threshold is saved."))
    else:
        messages.error(request, gettext("The threshold is 1 to 120 minutes."))
    return redirect(_back(team))


def _refusal(code: str, message: str) -> str:
    return str(BY_CODE.get(code, message))


def _back(team: Team) -> str:
    return f"{reverse('web:adherence')}?team={team.pk}"


class MyPeriodForm(forms.Form):
    first = SaneDateField(label=_("From"), required=False, widget=forms.DateInput({"type": "date"}))
    last = SaneDateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))


def _my_period(form: MyPeriodForm, today: date) -> tuple[date, date]:
    """The chosen days (by default the last 14 up to today), within a year of today and at
    most MAX_DAYS long, as the manager's report."""
    data = form.cleaned_data if form.is_valid() else {}
    last = min(max(data.get("last") or today, today - YEAR), today + YEAR)
    first = data.get("first") or last - timedelta(days=MY_DAYS - 1)
    first = min(max(first, today - YEAR), today + YEAR)
    if first > last:
        first, last = last, first
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last


@employee_required
def my_adherence_view(request: HttpRequest) -> HttpResponse:
    """The operator's own adherence over a period they choose (by default the last 14 days):
    the period's figures, day by day with each day's source, and their events."""
    me = own_employee(request)
    if me is None:  # employee_required runs first; this keeps the type checker honest
        raise Http404
    site = me.team.site
    today = local_date(instant=timezone.now(), timezone=site.timezone)
    form = MyPeriodForm(request.GET or None)
    first, last = _my_period(form, today)
    (row,) = adherence_report(site=site, first=first, last=last, employees=[me]).rows
    days = [
        {"day": d.day, "figures": d.figures, "source": SOURCES.get(d.source, d.source)}
        for d in reversed(row.days)
        if d.figures.scheduled_minutes
    ]
    events = [
        (e, WHAT.get(e.planned, e.planned), WHAT.get(e.actual, e.actual))
        for e in sorted(row.events, key=lambda e: e.start, reverse=True)
    ]
    errors = [str(m) for field in form.errors.values() for m in field] if form.is_bound else []
    context = {
        "me": me,
        "zone": site.timezone,
        "form": form,
        "errors": errors,
        "first": first,
        "last": last,
        "days": days,
        "events": events,
        "total": row.figures,
        "source": SOURCES.get(row.source, row.source),
        "threshold": adherence_threshold(site=site),
    }
    return render(request, "web/operator/adherence.html", context)
