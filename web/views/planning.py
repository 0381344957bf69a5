"""Planning pages for managers: queues and their call history (upload with a preview that
writes nothing), forecasts as jobs with a progress bar, the forecast beside the history with
its overrides. Views parse a form, call the scheduling selectors and services, and render."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.local_grid import local_date
from organisation.models import Job, Queue
from organisation.roles import MANAGERS
from organisation.selectors.organisation import (
    job_list_visible,
    queue_list_visible,
    site_list_managed,
)
from organisation.services.organisation import queue_update
from scheduling import tasks
from scheduling.models import ForecastOverride
from scheduling.selectors import forecast_days as forecast_reads
from scheduling.selectors import history as history_reads
from scheduling.services import forecasting
from web.access import role_required
from web.charts import line_chart
from web.form_errors import form_refusal
from web.history_text import history_problem
from web.messages import error_text, job_failure_text
from web.params import date_or_none, uuid_or_none
from web.planning_forms import (
    ForecastForm,
    HistoryUploadForm,
    OverrideForm,
    QueueSettingsForm,
    plain,
)

HISTORY_DAYS_SHOWN = 28
# The form field each forecast refusal is about (others are about the queues chosen).
FORECAST_FIELDS = {
    "start_before_history_end": "start",
    "bad_horizon": "days",
    "bad_interval": "interval_minutes",
    "unknown_method": "method",
}
FORECAST_JOBS_SHOWN = 20


def managed_queues(request: HttpRequest) -> QuerySet[Queue]:
    """Queues at the sites the user manages (every site for an admin)."""
    return queue_list_visible(user=request.user).filter(
        site__in=site_list_managed(user=request.user)
    )


def managed_queue(request: HttpRequest, pk: Any) -> Queue:
    """Out of the user's scope: 404; seen but not theirs to plan: 403 (as the API)."""
    queue = queue_list_visible(user=request.user).filter(pk=uuid_or_none(pk)).first()
    if queue is None:
        raise Http404
    if not site_list_managed(user=request.user).filter(pk=queue.site_id).exists():
        raise PermissionDenied
    return queue


def site_today(queue: Queue) -> date:
    return local_date(instant=timezone.now(), timezone=queue.site.timezone)


# --- Queues and history --------------------------------------------------------------------


@role_required(*MANAGERS)
def queues_view(request: HttpRequest) -> HttpResponse:
    queues = history_reads.queue_list_with_history(
        queues=managed_queues(request).order_by("site__name", "name")
    )
    return render(request, "web/planning/queues.html", {"queues": queues, "tab": "queues"})


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def queue_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A queue's settings (saved here) and its history: span, missing days, calls per week,
    and the upload form."""
    queue = managed_queue(request, pk)
    form = QueueSettingsForm(
        request.POST or None, initial=QueueSettingsForm.initial_for(queue), prefix="settings"
    )
    if request.method == "POST" and form.is_valid():
        try:
            queue_update(queue=queue, **form.changes())
        except DomainError as exc:
            form_refusal(form, exc)
        else:
            messages.success(request, _("Queue settings saved."))
            return redirect("web:queue", pk=queue.pk)
    return render(request, "web/planning/queue.html", _queue_context(queue, form=form))


def _queue_context(
    queue: Queue,
    *,
    form: QueueSettingsForm | None = None,
    upload: HistoryUploadForm | None = None,
    preview: history_reads.HistoryPreview | None = None,
) -> dict[str, Any]:
    summary = history_reads.history_summary(queue=queue)
    weeks = summary.weeks[-26:]
    chart = (
        line_chart(
            labels=[date_format(monday, _("j M")) for monday, _calls in weeks],
            series=[(_("Calls per week"), "series-a", [calls for _m, calls in weeks], False)],
            label_every=max(1, len(weeks) // 6),
            decimal=str(get_format("DECIMAL_SEPARATOR")),
        )
        if len(weeks) > 1
        else None
    )
    return {
        "queue": queue,
        "summary": summary,
        "weeks_chart": chart,
        "form": form
        or QueueSettingsForm(initial=QueueSettingsForm.initial_for(queue), prefix="settings"),
        "upload": upload or HistoryUploadForm(prefix="history"),
        "preview": preview,
        "tab": "queues",
    }


@role_required(*MANAGERS)
@require_POST
def history_upload_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """`action=preview` reads the file and shows what an import would do (htmx swaps the
    preview in, the file stays chosen); `action=import` imports it, nothing written when any
    row is bad."""
    queue = managed_queue(request, pk)
    upload = HistoryUploadForm(request.POST, request.FILES, prefix="history")
    preview = None
    if upload.is_valid():
        file = upload.cleaned_data["file"]
        minutes = upload.cleaned_data["interval_minutes"] or None
        if file.size > settings.WFM_HISTORY_UPLOAD_MAX_BYTES:
            upload.add_error("file", _("The history file is too large."))
        else:
            data = file.read()
            preview = history_reads.history_preview(
                queue=queue, data=data, interval_minutes=minutes
            )
            if request.POST.get("action") == "import" and preview.importable:
                return _import(request, queue, upload, data, file.name, minutes)
            if not preview.importable:
                upload.add_error("file", _problem_text(preview))
    if request.headers.get("HX-Request"):
        context = {"queue": queue, "upload": upload, "preview": preview, "oob": True}
        return render(request, "web/planning/_history_preview.html", context)
    context = _queue_context(queue, upload=upload, preview=preview)
    return render(request, "web/planning/queue.html", context)


def _problem_text(preview: history_reads.HistoryPreview) -> str:
    if preview.interval_mismatch:
        return _(
            "This file has %(file)s-minute intervals; the queue's history has %(stored)s-minute "
            "intervals."
        ) % {"file": preview.interval_minutes, "stored": preview.stored_interval_minutes}
    return history_problem(preview.problem)


def _import(
    request: HttpRequest,
    queue: Queue,
    upload: HistoryUploadForm,
    data: bytes,
    filename: str,
    minutes: int | None,
) -> HttpResponse:
    try:
        record, created = forecasting.history_import(
            queue=queue,
            data=data,
            filename=filename,
            interval_minutes=minutes,
            created_by=request.user,
        )
    except DomainError as exc:
        form_refusal(upload, exc, {exc.code: "file"})
        return render(request, "web/planning/queue.html", _queue_context(queue, upload=upload))
    if created:
        messages.success(
            request,
            _("%(count)s intervals imported.") % {"count": record.intervals_written},
        )
    else:
        messages.info(request, _("This file was imported before; nothing changed."))
    response = redirect("web:queue", pk=queue.pk)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("web:queue", args=[queue.pk])
    return response


# --- Forecasts -----------------------------------------------------------------------------


def _next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def forecast_view(request: HttpRequest) -> HttpResponse:
    """Start a forecast of one queue or every queue of a site: one job per queue."""
    sites = site_list_managed(user=request.user)
    queues = managed_queues(request)
    first = queues.order_by("site__name", "name").first()
    initial: dict[str, Any] = {"start": _next_monday(site_today(first)) if first else None}
    if first is not None:
        initial["scope"] = request.GET.get("scope") or f"site:{first.site_id}"
    form = ForecastForm(request.POST or None, sites=sites, queues=queues, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = forecasting.forecast_jobs_request(
            queues=form.chosen_queues(),
            request=forecasting.ForecastRequest(
                start=data["start"],
                days=data["days"],
                interval_minutes=data["interval_minutes"],
                method=data["method"],
            ),
            task=tasks.forecast_build,
            user=request.user,
        )
        if not found.jobs:
            for _queue, exc in found.refused[:1]:
                form_refusal(form, exc, {exc.code: FORECAST_FIELDS.get(exc.code, "scope")})
        else:
            for queue, exc in found.refused:
                messages.warning(
                    request,
                    _("%(queue)s: %(reason)s") % {"queue": queue.name, "reason": error_text(exc)},
                )
            query = "&".join(f"job={job.pk}" for _queue, job in found.jobs)
            return redirect(f"{reverse('web:forecast-jobs')}?{query}")
    recent = forecast_reads.forecast_run_list_recent(queues=queues)[:FORECAST_JOBS_SHOWN]
    context = {"form": form, "recent": recent, "tab": "forecast"}
    return render(request, "web/planning/forecast.html", context)


@role_required(*MANAGERS)
def forecast_jobs_view(request: HttpRequest) -> HttpResponse:
    """The progress of the forecast jobs in `?job=`; polled by htmx until all have finished.
    One queue's forecast, once done, opens its result."""
    ids = request.GET.getlist("job")[:50]
    jobs = list(
        job_list_visible(user=request.user)
        .filter(pk__in=[i for i in ids if uuid_or_none(i) is not None], kind="forecast")
        .order_by("created_at")
    )
    if not jobs:
        raise Http404
    names = dict(
        managed_queues(request)
        .filter(pk__in=[job.params.get("queue") for job in jobs])
        .values_list("pk", "name")
    )
    rows = [
        {
            "job": job,
            "queue_id": job.params.get("queue"),
            "queue": names.get(uuid_or_none(job.params.get("queue")), ""),
            "finished": job.status in Job.FINISHED,
            "failure": job_failure_text(job) if job.status == Job.Status.FAILED else "",
        }
        for job in jobs
    ]
    finished = all(row["finished"] for row in rows)
    context = {
        "rows": rows,
        "finished": finished,
        "poll": request.get_full_path(),
        "start": jobs[0].params.get("start"),
        "tab": "forecast",
    }
    if request.headers.get("HX-Request"):
        response = render(request, "web/planning/_forecast_progress.html", context)
        done = [r for r in rows if r["job"].status == Job.Status.SUCCEEDED]
        if finished and len(rows) == 1 and done:
            response["HX-Redirect"] = _result_url(rows[0]["queue_id"], rows[0]["job"])
        return response
    return render(request, "web/planning/forecast_jobs.html", context)


def _result_url(queue_id: str, job: Job) -> str:
    return f"{reverse('web:forecast-queue', args=[queue_id])}?start={job.params.get('start')}"


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def forecast_queue_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A queue's forecast beside its history (calls per local day), the backtest of each
    method, and the overrides: added here (POST), edited and removed from their rows."""
    queue = managed_queue(request, pk)
    start = date_or_none(request.GET.get("start"))
    run = forecast_reads.forecast_run_latest(queue=queue, start=start)
    form = OverrideForm(request.POST or None, prefix="override")
    if request.method == "POST" and form.is_valid():
        try:
            forecasting.forecast_override_create(
                queue=queue, **form.cleaned_data, created_by=request.user
            )
        except DomainError as exc:
            form_refusal(form, exc)
        else:
            messages.success(
                request, _("Override saved; it applies at the next forecast of its days.")
            )
            return redirect(request.get_full_path())
    return render(request, "web/planning/forecast_queue.html", _forecast_context(queue, run, form))


def _forecast_context(queue: Queue, run: Any, form: OverrideForm) -> dict[str, Any]:
    today = site_today(queue)
    first_forecast = run.start_date if run else _next_monday(today)
    last = first_forecast + timedelta(days=(run.days if run else 7) - 1)
    first = first_forecast - timedelta(days=HISTORY_DAYS_SHOWN)
    days = forecast_reads.forecast_days(queue=queue, first_day=first, last_day=last)
    series: list[tuple[str, str, Any, bool]] = [
        (_("Actual calls"), "series-c", [d.actual for d in days], False),
        (_("Forecast"), "series-a", [d.forecast for d in days], False),
    ]
    if any(d.factor != 1 and d.planned is not None for d in days):
        # The whole forecast with today's factors: it leaves the forecast line where they apply.
        series.append((_("Forecast with overrides"), "series-b", [d.planned for d in days], True))
    chart = line_chart(
        labels=[date_format(d.day, _("j M")) for d in days],
        series=series,
        label_every=max(1, len(days) // 7),
        decimal=str(get_format("DECIMAL_SEPARATOR")),
    )
    wape = sorted((run.backtest_wape or {}).items(), key=lambda kv: kv[1]) if run else []
    overrides = forecast_reads.forecast_override_list(queue=queue, since=first)
    pending = any(
        d.staffed is not None and abs(d.planned - d.staffed) > 0.05
        for d in days
        if d.planned is not None
    )
    return {
        "queue": queue,
        "run": run,
        "chart": chart,
        "days": [d for d in days if d.day >= first_forecast],
        "wape": wape,
        "overrides": overrides,
        "form": form,
        "pending": pending,
        "rerun": f"queue:{queue.pk}",
        "tab": "forecast",
    }


def _managed_override(request: HttpRequest, pk: Any) -> ForecastOverride:
    override = (
        ForecastOverride.objects.filter(pk=pk, queue__in=queue_list_visible(user=request.user))
        .select_related("queue__site")
        .first()
    )
    if override is None:
        raise Http404
    managed_queue(request, override.queue_id)
    return override


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def override_edit_view(request: HttpRequest, pk: Any) -> HttpResponse:
    override = _managed_override(request, pk)
    initial = {
        "start_date": override.start_date,
        "end_date": override.end_date,
        "factor": plain(override.factor),
        "reason": override.reason,
    }
    form = OverrideForm(request.POST or None, initial=initial, prefix="override")
    back = reverse("web:forecast-queue", args=[override.queue_id])
    if request.method == "POST" and form.is_valid():
        try:
            forecasting.forecast_override_update(override=override, **form.cleaned_data)
        except DomainError as exc:
            form_refusal(form, exc)
        else:
            messages.success(
                request, _("Override saved; it applies at the next forecast of its days.")
            )
            return redirect(back)
    context = {"override": override, "form": form, "back": back, "tab": "forecast"}
    return render(request, "web/planning/override.html", context)


@role_required(*MANAGERS)
@require_POST
def override_delete_view(request: HttpRequest, pk: Any) -> HttpResponse:
    override = _managed_override(request, pk)
    queue_id = override.queue_id
    forecasting.forecast_override_delete(override=override)
    messages.success(request, _("Override removed; the next forecast of its days leaves it out."))
    return redirect("web:forecast-queue", pk=queue_id)
