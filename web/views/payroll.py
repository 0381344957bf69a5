"""Payroll pages: pay periods, the exceptions to resolve before closing, closing, exporting
and downloading the CSV / XLSX files. Everything goes through the timeclock services."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.jobs import job_create
from organisation.local_grid import local_date
from organisation.models import Job
from organisation.roles import PAYROLL
from timeclock import tasks
from timeclock.exports.billable import billable_adjustment_rows
from timeclock.exports.names import CONTENT_TYPES, export_file_name, stored_export_name
from timeclock.models import PayPeriod, PayrollExport
from timeclock.selectors.pay import period_currency
from timeclock.selectors.payroll_review import payroll_review
from timeclock.selectors.periods import period_exceptions
from timeclock.services.adjustments import adjustments_compute
from timeclock.services.payroll_exports import (
    REISSUED,
    payroll_export_check,
    payroll_export_reissue,
)
from timeclock.services.periods import period_close, period_close_check, period_next
from web.access import role_required
from web.forms import ExportForm, PeriodCloseForm, PeriodOpenForm
from web.labels import LABELS
from web.messages import error_text, job_failure_text

EXPORT_LABELS = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "records": gettext_lazy("Records (per week)"),
    "billable": gettext_lazy("Billable hours"),
    "adp": "ADP Workforce Now",
    "datev": "DATEV LODAS",
}


def export_list(period: PayPeriod, reissue: str = "") -> list[dict[str, Any]]:
    """Every export format of a closed period: ready to download, or to be made; a payroll
    system's file can be re-issued (`reissue`: the format whose confirmation is asked), and
    the versions it replaced are listed, superseded, each still downloadable."""
    rows = (
        PayrollExport.objects.filter(period=period)
        .select_related("created_by")
        .defer("content")
        .order_by("format", "-version")
    )
    current = {r.format: r for r in rows if r.superseded_at is None}
    ready = set(current)
    return [
        {
            "format": f,
            "label": label,
            "ready": f in ready,
            "name": _name(period, f, ready),
            "version": current[f].version if f in ready else None,
            "reissued_by": current[f].created_by if f in ready else None,
            "reissued_at": current[f].created_at if f in ready else None,
            "reissuable": f in ready and f in REISSUED,
            "confirming": f in ready and f in REISSUED and f == reissue,
            "superseded": [r for r in rows if r.format == f and r.superseded_at is not None],
        }
        for f, label in EXPORT_LABELS.items()
    ]


def _name(period: PayPeriod, format: str, ready: set[str]) -> str:
    return stored_export_name(period=period, format=format) if format in ready else ""


def _period(pk: Any) -> PayPeriod:
    """Payroll and admins see every period (the API's scope for these roles)."""
    period = PayPeriod.objects.select_related("site").filter(pk=pk).first()
    if period is None:
        raise Http404
    return period


@role_required(*PAYROLL)
@require_http_methods(["GET", "POST"])
def periods_view(request: HttpRequest) -> HttpResponse:
    form = PeriodOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = form.cleaned_data["site"]
        today = local_date(instant=timezone.now(), timezone=site.timezone)
        try:
            period = period_next(site=site, anchor=today - timedelta(days=today.weekday()))
        except DomainError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("web:period", pk=period.pk)
    periods = PayPeriod.objects.select_related("site").order_by("-start_date", "site__name")[:60]
    return render(request, "web/payroll/periods.html", {"periods": periods, "form": form})


@role_required(*PAYROLL)
@require_http_methods(["GET", "POST"])
def period_view(request: HttpRequest, pk: Any) -> HttpResponse:
    period = _period(pk)
    close_form = PeriodCloseForm(request.POST or None)
    is_open = period.status == PayPeriod.Status.OPEN
    adjustments = adjustments_compute(period=period) if is_open else []
    confirming = (
        request.method == "POST" and close_form.is_valid() and not request.POST.get("confirm")
    )
    if confirming:  # what the close would refuse is said before asking to confirm it
        try:
            period_close_check(period=period, force_reason=close_form.cleaned_data["force_reason"])
        except DomainError as exc:
            confirming = False
            field = "force_reason" if exc.code == "period_has_exceptions" else None
            close_form.add_error(field, error_text(exc))
    if request.method == "POST" and close_form.is_valid() and not confirming:
        try:
            period_close(period=period, user=request.user, **close_form.cleaned_data)
        except DomainError as exc:
            field = {
                "period_has_exceptions": "force_reason",
                "adjustments_need_approval": "approve_adjustments",
            }.get(exc.code)
            close_form.add_error(field, error_text(exc))
        else:
            messages.success(request, _("The period is closed."))
            return redirect("web:period", pk=period.pk)
    billable = billable_adjustment_rows(period=period)
    if confirming and (adjustments or billable):  # the confirmation approves them: ticked
        close_form.data = close_form.data.copy()
        close_form.data["approve_adjustments"] = "on"
    job = (
        Job.objects.filter(pk=request.GET.get("job"), kind="payroll_export").first()
        if _uuid(request.GET.get("job"))
        else None
    )
    context = {
        "period": period,
        "exceptions": exception_people(period) if is_open else [],
        # What the close locks: worked out only when asking to confirm it.
        "review": payroll_review(period=period, adjustments=adjustments) if confirming else None,
        "confirming": confirming,
        "adjustments": adjustments,
        "adjustments_total": sum((a.amount for a in adjustments), start=Decimal(0)),
        "currency": period_currency(period),
        # Prior-period billable adjustments: carried (closed), or what the close will carry.
        "billable_adjustments": billable,
        "close_form": close_form,
        "export_form": ExportForm(),
        "exports": [] if is_open else export_list(period, request.GET.get("reissue", "")),
        "job": job if job and job.status in (Job.Status.QUEUED, Job.Status.RUNNING) else None,
        "is_open": is_open,
    }
    return render(request, "web/payroll/period.html", context)


@role_required(*PAYROLL)
@require_POST
def period_export_view(request: HttpRequest, pk: Any) -> HttpResponse:
    period = _period(pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the export formats."))
    else:
        try:
            payroll_export_check(period=period, format=form.cleaned_data["format"])
        except DomainError as exc:
            messages.error(request, _refusal_text(exc))
            return redirect("web:period", pk=period.pk)
        job = job_create(
            kind="payroll_export",
            task=tasks.payroll_export_job,
            created_by=request.user,
            params={"period": str(period.pk), "format": form.cleaned_data["format"]},
        )
        job.refresh_from_db()
        if job.status == Job.Status.FAILED:
            messages.error(request, job_failure_text(job))
        elif job.status == Job.Status.SUCCEEDED:
            messages.success(request, _("The export is ready."))
        else:
            messages.info(request, _("The export is running; the list updates when it ends."))
            return redirect(f"{reverse('web:period', args=[period.pk])}?job={job.pk}")
    return redirect("web:period", pk=period.pk)


@role_required(*PAYROLL)
@require_POST
def period_reissue_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """Re-issue a payroll system's file: the first post asks to confirm (the list shows what
    will happen), the confirmed one writes the new version or says why not (nothing
    written)."""
    period = _period(pk)
    form = ExportForm(request.POST)
    url = reverse("web:period", args=[period.pk])
    if not form.is_valid():
        messages.error(request, _("Choose one of the export formats."))
        return redirect(url)
    format = form.cleaned_data["format"]
    if not request.POST.get("confirm"):
        return redirect(f"{url}?reissue={format}#exports")
    try:
        issued = payroll_export_reissue(period=period, format=format, actor=request.user)
    except DomainError as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(
            request,
            _("%(label)s re-issued as version %(version)s; version %(old)s is kept, superseded.")
            % {
                "label": EXPORT_LABELS[format],
                "version": issued.version,
                "old": issued.version - 1,
            },
        )
    return redirect(f"{url}#exports")


def _refusal_text(exc: DomainError) -> str:
    """The refusal with what it names: the unmapped pay codes, the employees without a
    number (the first ten, then how many more), the site account's missing fields (pay codes
    and fields by their labels)."""
    extra = exc.extra
    named = [str(LABELS.get(n, n)) for n in extra.get("codes", []) or extra.get("fields", [])]
    people = [f"{e['name']} ({e['number']})" for e in extra.get("employees", [])[:10]]
    more = int(extra.get("count", len(people))) - len(people)
    if more > 0:
        people.append(_("and %(n)s more") % {"n": more})
    listed = ", ".join(named + people)
    return f"{error_text(exc)} ({listed})" if listed else error_text(exc)


@dataclass(frozen=True)
class ExceptionPerson:
    name: str
    number: str
    exceptions: list[str]


def exception_people(period: PayPeriod) -> list[ExceptionPerson]:
    """The people with open exceptions, by name, each with their exceptions: from the
    timesheets alone (no pay worked out), in bulk."""
    found: dict[Any, ExceptionPerson] = {}
    for e in period_exceptions(period=period):
        person = found.setdefault(
            e.employee.pk, ExceptionPerson(e.employee.full_name, e.employee.number, [])
        )
        person.exceptions.extend(e.exceptions)
    return sorted(found.values(), key=lambda p: (p.name.lower(), p.number))


def _uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@role_required(*PAYROLL)
@require_GET
def period_download_view(request: HttpRequest, pk: Any, kind: str) -> HttpResponse:
    period = _period(pk)
    exports = PayrollExport.objects.filter(period=period, format=kind)
    version = request.GET.get("version", "")
    if version:  # a version re-issued since: kept, superseded, its bytes as they were
        if not version.isdigit() or len(version) > 4:
            raise Http404
        export = exports.filter(version=int(version)).first()
    else:
        export = exports.filter(superseded_at__isnull=True).first()
    if kind not in CONTENT_TYPES or export is None:
        raise Http404
    content = bytes(export.content)
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    name = export_file_name(period=period, format=kind, head=content)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
