"""Manager pages: dashboard, roster builder (job progress, coverage, timeline), shift edits
with rule violations, publishing with a diff, attendance exceptions and points."""

import uuid
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisation.errors import DomainError
from organisation.local_grid import local_date
from organisation.models import Job
from organisation.roles import MANAGERS
from organisation.selectors.organisation import (
    employee_list_visible,
    job_list_visible,
    queue_list_visible,
    scope_employees,
    site_list_managed,
    team_list_managed,
)
from scheduling import tasks
from scheduling.errors import RosterEditBreaksRules
from scheduling.models import Roster, Shift
from scheduling.selectors.roster_diffs import roster_diff
from scheduling.selectors.roster_review import roster_review
from scheduling.selectors.roster_working_time import roster_working_time_check
from scheduling.selectors.rosters import (
    roster_is_managed,
    roster_list_visible,
    roster_series,
)
from scheduling.services import roster_edits
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from scheduling.services.roster_publish import roster_publish
from timeclock.points import PointsRules, points_status
from timeclock.selectors.timesheets import employee_timesheets
from web import dashboard, roster_page
from web.access import role_required
from web.charts import line_chart
from web.forms import RosterBuildForm, ShiftEditForm
from web.messages import error_text, job_failure_text

PEOPLE_PER_PAGE = 50
# Rosters up to this many people show their review inline; larger ones load it after the page.
INLINE_REVIEW_PEOPLE = 150
INLINE_DIFF_SHIFTS = 3000
DIFF_ROWS = 300
REVIEW_CACHE_SECONDS = 600
EXCEPTION_DAYS = 14
POINTS_WINDOW_DAYS = PointsRules().window_days


@role_required(*MANAGERS)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """One local day per queue, today (the site's calendar day) unless the picker asks for
    another; with no staffing that day, the page points to the forecast."""
    sites = site_list_managed(user=request.user)
    queues = queue_list_visible(user=request.user).filter(site__in=sites)
    try:
        day = date.fromisoformat(request.GET["day"])
    except (KeyError, ValueError):
        first = sites.order_by("name").first()
        day = local_date(instant=timezone.now(), timezone=first.timezone if first else "UTC")
    panels = [
        panel
        for queue in queues.order_by("site__name", "name")
        if (panel := dashboard.queue_day(queue=queue, day=day)) is not None
    ]
    context = {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "panels": panels,
    }
    return render(request, "web/manager/dashboard.html", context)


def _rosters(request: HttpRequest) -> Any:
    return roster_list_visible(user=request.user).filter(
        team__in=team_list_managed(user=request.user)
    ) | roster_list_visible(user=request.user).filter(
        team__isnull=True, site__in=site_list_managed(user=request.user)
    )


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def rosters_view(request: HttpRequest) -> HttpResponse:
    teams = team_list_managed(user=request.user)
    form = RosterBuildForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = roster_build_request(
                request=BuildRequest(
                    site=data["team"].site,
                    team=data["team"],
                    start=data["start"],
                    days=data["days"],
                    time_limit_seconds=float(data["time_limit_seconds"]),
                ),
                task=tasks.roster_build,
                user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("web:job", pk=job.pk)
    rosters = [
        roster
        for roster in _rosters(request)
        .exclude(status=Roster.Status.DISCARDED)
        .select_related("site", "team")
        .order_by("-start_date", "-version")[:50]
        if roster_is_managed(user=request.user, roster=roster)
    ]
    return render(request, "web/manager/rosters.html", {"form": form, "rosters": rosters})


def _job(request: HttpRequest, pk: Any) -> Job:
    job = job_list_visible(user=request.user).filter(pk=pk, kind="roster_build").first()
    if job is None:
        raise Http404
    return job


@role_required(*MANAGERS)
def job_view(request: HttpRequest, pk: Any) -> HttpResponse:
    job = _job(request, pk)
    roster = Roster.objects.filter(job=job).first()
    last = job.trace[-1] if job.trace else None
    trace = [point for point in job.trace if point[1] is not None]
    context = {
        "trace": line_chart(
            labels=[f"{point[0]:.0f} s" for point in trace],
            series=[
                (_("Objective"), "series-a", [point[1] for point in trace], False),
                (_("Bound"), "series-c", [point[2] for point in trace], True),
            ],
            height=160,
            label_every=max(1, len(trace) // 6),
            from_zero=False,
            decimal=str(get_format("DECIMAL_SEPARATOR")),
        )
        if len(trace) > 1
        else None,
        "job": job,
        "roster": roster,
        "objective": last[1] if last else (job.result or {}).get("objective"),
        "bound": last[2] if last else (job.result or {}).get("bound"),
        "finished": job.status in Job.FINISHED,
        "failure": job_failure_text(job),
    }
    if request.headers.get("HX-Request"):
        response = render(request, "web/manager/_job_progress.html", context)
        if roster is not None:
            response["HX-Redirect"] = roster_url(roster)
        return response
    return render(request, "web/manager/job.html", context)


def roster_url(roster: Roster) -> str:
    return reverse("web:roster", kwargs={"pk": roster.pk})


def managed_roster(request: HttpRequest, pk: Any) -> Roster:
    """Out of scope: 404; visible but not the manager's to change: 403 (as the API)."""
    roster = roster_list_visible(user=request.user).filter(pk=pk).first()
    if roster is None:
        raise Http404
    if not roster_is_managed(user=request.user, roster=roster):
        raise PermissionDenied
    return roster


@role_required(*MANAGERS)
def roster_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """The timeline of one page of people renders at once; the review (coverage heatmap,
    totals, violations, hours per person) is inline for small rosters and fetched by htmx
    after the page for large ones, and cached until the roster changes."""
    roster = managed_roster(request, pk)
    if request.GET.get("part") == "coverage":
        return render(request, "web/manager/_roster_review.html", _review_context(roster))
    last_day = roster.start_date + timedelta(days=roster.days - 1)
    people = scope_employees(
        site=roster.site, team=roster.team, first_day=roster.start_date, last_day=last_day
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    draft = (
        roster_series(roster=roster).filter(status=Roster.Status.DRAFT).order_by("-version").first()
    )
    editable = roster.status in (Roster.Status.DRAFT, Roster.Status.PUBLISHED)
    # One reverse for the page, not one per shift.
    edit_url = reverse("web:shift-edit", args=[uuid.UUID(int=0)]).removesuffix(
        f"{uuid.UUID(int=0)}/"
    )
    rows = roster_page.timeline(
        roster=roster, people=list(page.object_list), edit_url=edit_url if editable else ""
    )
    context = {
        "roster": roster,
        "draft": draft if draft and draft.pk != roster.pk else None,
        "days": [roster_page.day_label(d) for d in roster_page.roster_days(roster)],
        "rows": rows,
        "page": page,
    }
    if page.paginator.count <= INLINE_REVIEW_PEOPLE:
        context |= _review_context(roster)
    return render(request, "web/manager/roster.html", context)


def _version_key(roster: Roster, part: str) -> str:
    """Changes to a roster's shifts are audited, so the last change marks its content."""
    last = roster.changes.order_by("-pk").values_list("pk", flat=True).first()
    return f"web:{part}:{roster.pk}:{roster.status}:{last}"


def _review_context(roster: Roster) -> dict[str, Any]:
    key = _version_key(roster, "review")
    review = cache.get(key)
    if review is None:
        review = roster_review(roster=roster, now=timezone.now())
        cache.set(key, review, REVIEW_CACHE_SECONDS)
    return {
        "roster": roster,
        "review": review,
        "totals": review.totals,
        "violations": review.violations[:200],
        "violation_count": len(review.violations),
        "heatmaps": roster_page.coverage_heatmaps(roster=roster, cover=review.cover),
        "people": review.people,
    }


def _managed_shift(request: HttpRequest, pk: Any) -> Shift:
    shift = (
        Shift.objects.filter(pk=pk, roster__in=roster_list_visible(user=request.user))
        .select_related("roster__site", "roster__team", "employee__user", "queue", "template")
        .first()
    )
    if shift is None:
        raise Http404
    if not roster_is_managed(user=request.user, roster=shift.roster):
        raise PermissionDenied
    return shift


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def shift_edit_view(request: HttpRequest, pk: Any) -> HttpResponse:
    shift = _managed_shift(request, pk)
    form = ShiftEditForm(
        request.POST or None, shift=shift, initial=ShiftEditForm.initial_for(shift)
    )
    violations: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = roster_edits.shift_change(
                shift=shift,
                fields=roster_edits.ShiftFields(
                    start=data["start"],
                    end=data["end"],
                    activity=data["activity"],
                    queue=data["queue"],
                    note=data["note"],
                ),
                user=request.user,
                reason=data["reason"],
                override=data["override"],
            )
        except RosterEditBreaksRules as exc:
            violations = exc.extra.get("violations", [])
            form.add_error("override", error_text(exc))
        except DomainError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Shift saved in draft version %(version)s.") % {"version": result.roster.version},
            )
            return redirect("web:roster", pk=result.roster.pk)
    context = {"shift": shift, "form": form, "violations": violations}
    return render(request, "web/manager/shift_edit.html", context)


def _published_before(roster: Roster) -> Roster | None:
    return roster.based_on or (
        roster_series(roster=roster)
        .filter(status=Roster.Status.PUBLISHED)
        .exclude(pk=roster.pk)
        .first()
    )


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def roster_publish_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """The publish button at once; the diff and the working-time warnings inline for small
    rosters, fetched by htmx for large ones (and cached until the roster changes)."""
    roster = managed_roster(request, pk)
    if request.method == "POST":
        try:
            result = roster_publish(roster=roster, user=request.user)
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Version %(version)s published; %(count)s operators notified.")
                % {"version": result.roster.version, "count": result.notices},
            )
            return redirect("web:roster", pk=roster.pk)
    if request.GET.get("part") == "diff":
        return render(request, "web/manager/_publish_diff.html", _diff_context(roster))
    context: dict[str, Any] = {
        "roster": roster,
        "publishable": roster.status == Roster.Status.DRAFT,
    }
    if roster.shifts.count() <= INLINE_DIFF_SHIFTS:
        context |= _diff_context(roster)
    return render(request, "web/manager/publish.html", context)


def _diff_context(roster: Roster) -> dict[str, Any]:
    key = _version_key(roster, "diff")
    found = cache.get(key)
    if found is None:
        old = _published_before(roster)
        diff = roster_diff(old=old, new=roster)
        found = {
            "old_version": old.version if old else None,
            "added_count": len(diff.added),
            "removed_count": len(diff.removed),
            "added": _diff_rows(diff.added, roster),
            "removed": _diff_rows(diff.removed, roster),
            "warnings": roster_working_time_check(roster=roster, previous=old)[:50]
            if roster.status == Roster.Status.DRAFT
            else [],
        }
        cache.set(key, found, REVIEW_CACHE_SECONDS)
    return {"roster": roster, "diff": found}


def _diff_rows(shifts: list[Shift], roster: Roster) -> list[dict[str, Any]]:
    """The first DIFF_ROWS shifts by person and start, as plain rows (cacheable)."""
    zone = ZoneInfo(roster.site.timezone)
    rows = sorted(shifts, key=lambda s: (s.employee.number, s.start))[:DIFF_ROWS]
    return [
        {
            "name": s.employee.full_name,
            "start": s.start.astimezone(zone),
            "end": s.end.astimezone(zone),
        }
        for s in rows
    ]


@role_required(*MANAGERS)
def attendance_view(request: HttpRequest) -> HttpResponse:
    teams = list(team_list_managed(user=request.user).select_related("site").order_by("name"))
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), None) or (
        teams[0] if teams else None
    )
    context: dict[str, Any] = {"teams": teams, "team": team, "exceptions": [], "points": []}
    if team is not None:
        today = local_date(instant=timezone.now(), timezone=team.site.timezone)
        try:
            since = date.fromisoformat(request.GET["since"])
        except (KeyError, ValueError):
            since = today - timedelta(days=EXCEPTION_DAYS - 1)
        until = min(since + timedelta(days=EXCEPTION_DAYS - 1), today)
        window_start = today - timedelta(days=POINTS_WINDOW_DAYS - 1)
        people = list(employee_list_visible(user=request.user).filter(team=team).order_by("number"))
        sheets = employee_timesheets(
            employees=people, site=team.site, first=min(since, window_start), last=today
        )
        exceptions, points = [], []
        for person in people:
            incidents = []
            for row in sheets[str(person.pk)].shifts:
                local_day = timezone.localtime(row.shift.start, ZoneInfo(team.site.timezone)).date()
                incidents += [(local_day, k) for k in ("late", "absent") if k in row.exceptions]
                shown = [e for e in row.exceptions if e != "excused"]
                if shown and since <= local_day <= until:
                    exceptions.append({"person": person, "day": local_day, "row": row})
            points.append({"person": person, "status": points_status(incidents, on=today)})
        exceptions.sort(key=lambda e: (e["day"], e["person"].number), reverse=True)
        context |= {
            "exceptions": exceptions,
            "points": points,
            "since": since,
            "until": until,
            "site": team.site,
        }
    return render(request, "web/manager/attendance.html", context)
