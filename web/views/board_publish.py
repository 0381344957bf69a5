"""Publishing from the board: what the new version changes against the published one (shifts
added, changed and removed), the under-cover and the rule and working-time issues that
remain; with any of those, the manager confirms before it is published."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisation.errors import DomainError
from organisation.roles import MANAGERS
from scheduling.models import Roster, Shift
from scheduling.selectors.roster_diffs import roster_diff, roster_diff_changes
from scheduling.selectors.roster_working_time import roster_working_time_check
from scheduling.selectors.rosters import roster_series
from scheduling.services.roster_publish import roster_publish
from web.access import role_required
from web.forms import PublishForm
from web.messages import error_text
from web.views.board import REVIEW_CACHE_SECONDS, cached_review, managed_roster, version_key

# Rosters up to this many shifts show their diff and issues inline; larger ones load them
# after the page.
INLINE_DIFF_SHIFTS = 3000
DIFF_ROWS = 300


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
    """The diff, the under-cover and the issues left, inline for small rosters (fetched by
    htmx for large ones, cached until the roster changes); publishing with issues asks the
    manager to confirm."""
    roster = managed_roster(request, pk)
    if request.GET.get("part") == "diff":
        return render(request, "web/manager/_publish_diff.html", _diff_context(roster))
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and roster.status == Roster.Status.PUBLISHED:
        return _already_published(request, roster)  # the form again, after the back button
    if request.method == "POST":
        form.needs_confirmation = _issues(_diff_context(roster)["diff"]) > 0
        if form.is_valid():
            try:
                result = roster_publish(roster=roster, user=request.user)
            except DomainError as exc:
                form.add_error(None, error_text(exc))
            else:
                if result.diff is None:  # published meanwhile (a double click)
                    return _already_published(request, roster)
                messages.success(
                    request,
                    _("Version %(version)s published; %(count)s operators notified.")
                    % {"version": result.roster.version, "count": result.notices},
                )
                return redirect("web:roster", pk=roster.pk)
    context: dict[str, Any] = {
        "roster": roster,
        "publishable": roster.status == Roster.Status.DRAFT,
        "form": form,
    }
    if request.method == "POST" or roster.shifts.count() <= INLINE_DIFF_SHIFTS:
        context |= _diff_context(roster)
    return render(request, "web/manager/publish.html", context, status=422 if form.errors else 200)


def _already_published(request: HttpRequest, roster: Roster) -> HttpResponse:
    messages.info(
        request,
        _("Version %(version)s is already published; nobody was notified again.")
        % {"version": roster.version},
    )
    return redirect("web:roster", pk=roster.pk)


def _issues(diff: dict[str, Any]) -> int:
    return diff["under"] + diff["violation_count"] + diff["warning_count"]


def _diff_context(roster: Roster) -> dict[str, Any]:
    key = version_key(roster, "diff")
    found = cache.get(key)
    if found is None:
        old = _published_before(roster)
        diff = roster_diff(old=old, new=roster)
        added, changed, removed = roster_diff_changes(diff)
        review = cached_review(roster)
        warnings = (
            roster_working_time_check(roster=roster, previous=old)
            if roster.status == Roster.Status.DRAFT
            else []
        )
        found = {
            "old_version": old.version if old else None,
            "added_count": len(added),
            "changed_count": len(changed),
            "removed_count": len(removed),
            "added": _diff_rows(added, roster),
            "changed": _change_rows(changed, roster),
            "removed": _diff_rows(removed, roster),
            "notified": len(diff.employees),
            "warnings": warnings[:50],
            "warning_count": len(warnings),
            "violations": review.violations[:50],
            "violation_count": len(review.violations),
            "under": review.totals["under_agent_intervals"],
            "totals": review.totals,
        }
        cache.set(key, found, REVIEW_CACHE_SECONDS)
    return {"roster": roster, "diff": found, "issues": _issues(found)}


def _row(shift: Shift, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "name": shift.employee.full_name,
        "start": shift.start.astimezone(zone),
        "end": shift.end.astimezone(zone),
        "queue": shift.queue.name if shift.queue else "",
        "activity": shift.activity,
    }


def _diff_rows(shifts: list[Shift], roster: Roster) -> list[dict[str, Any]]:
    """The first DIFF_ROWS shifts by person and start, as plain rows (cacheable)."""
    zone = ZoneInfo(roster.site.timezone)
    rows = sorted(shifts, key=lambda s: (s.employee.number, s.start))[:DIFF_ROWS]
    return [_row(s, zone) for s in rows]


def _change_rows(changes: list[Any], roster: Roster) -> list[dict[str, Any]]:
    zone = ZoneInfo(roster.site.timezone)
    rows = sorted(changes, key=lambda c: (c.new.employee.number, c.new.start))[:DIFF_ROWS]
    return [{"old": _row(c.old, zone), "new": _row(c.new, zone)} for c in rows]
