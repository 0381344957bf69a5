"""Payroll pages: pay periods, the exceptions to resolve before closing, closing, exporting
and downloading the CSV / XLSX files. Everything goes through the timeclock services."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.jobs import job_create
from organisation.local_grid import local_date
from organisation.models import Job
from organisation.roles import PAYROLL
from timeclock import tasks
from timeclock.errors import PeriodNotClosed
from timeclock.models import PayPeriod, PayrollExport
from timeclock.selectors.periods import period_exceptions
from timeclock.services.adjustments import adjustments_preview
from timeclock.services.periods import period_close, period_next
from web.access import role_required
from web.forms import ExportForm, PeriodCloseForm, PeriodOpenForm
from web.messages import error_text, job_failure_text

CONTENT_TYPES = {
    PayrollExport.Format.CSV: ("text/csv", "csv"),
    PayrollExport.Format.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


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
    if request.method == "POST" and close_form.is_valid():
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
    is_open = period.status == PayPeriod.Status.OPEN
    exports = {e.format: e for e in PayrollExport.objects.filter(period=period).only("format")}
    context = {
        "period": period,
        "exceptions": period_exceptions(period=period) if is_open else [],
        "adjustments": adjustments_preview(period=period) if is_open else [],
        "close_form": close_form,
        "export_form": ExportForm(),
        "exports": [
            {"format": f, "label": label, "ready": f in exports}
            for f, label in ((PayrollExport.Format.CSV, "CSV"), (PayrollExport.Format.XLSX, "XLSX"))
        ],
        "is_open": is_open,
    }
    return render(request, "web/payroll/period.html", context)


@role_required(*PAYROLL)
@require_POST
def period_export_view(request: HttpRequest, pk: Any) -> HttpResponse:
    period = _period(pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose CSV or XLSX."))
    elif period.status != PayPeriod.Status.CLOSED:
        messages.error(request, error_text(PeriodNotClosed()))
    else:
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
            messages.info(request, _("The export is running; reload in a moment."))
    return redirect("web:period", pk=period.pk)


@role_required(*PAYROLL)
@require_GET
def period_download_view(request: HttpRequest, pk: Any, kind: str) -> HttpResponse:
    period = _period(pk)
    if kind not in CONTENT_TYPES:
        raise Http404
    export = PayrollExport.objects.filter(period=period, format=kind).first()
    if export is None:
        raise Http404
    content_type, suffix = CONTENT_TYPES[PayrollExport.Format(kind)]
    response = HttpResponse(bytes(export.content), content_type=content_type)
    name = f"payroll-{period.site.name}-{period.start_date}-{kind}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
