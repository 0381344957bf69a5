"""The schedule board: rosters (build one, recent versions), a build's progress, the board of
one roster version (people by days, filters, sort, a week or more at a time, the coverage of
the window) and its day view. Edits are in web/views/board_edits.py, publishing in
web/views/board_publish.py."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisation.errors import DomainError
from organisation.models import Job, Queue
from organisation.roles import MANAGERS
from organisation.selectors.organisation import (
    job_list_visible,
    site_list_managed,
    team_list_managed,
)
from scheduling import tasks
from scheduling.models import Roster
from scheduling.selectors.leave import leave_days
from scheduling.selectors.roster_basis import (
    DemandBasis,
    roster_demand_basis,
    site_planning_advised,
)
from scheduling.selectors.roster_board import (
    BoardFilters,
    board_window,
    roster_board_hours,
    roster_board_options,
    roster_board_people,
    roster_board_shifts,
)
from scheduling.selectors.roster_changes import roster_last_edit, roster_open_draft
from scheduling.selectors.roster_day import CoverDay, roster_cover_window
from scheduling.selectors.roster_review import RosterReview, roster_review
from scheduling.selectors.rosters import (
    roster_is_managed,
    roster_list_visible,
    roster_series,
    site_list_plannable,
)
from scheduling.services.roster_builds import BuildRequest, roster_build_request
from web import roster_page
from web.access import role_required
from web.charts import line_chart
from web.forms import BoardFilterForm, RosterBuildForm
from web.messages import error_text, job_failure_text
from web.params import date_or_none

PEOPLE_PER_PAGE = 50
# Rosters up to this many people show their coverage inline; larger ones load it after the
# page, and edits offer to refresh it rather than recompute it each time.
INLINE_REVIEW_PEOPLE = 150
REVIEW_CACHE_SECONDS = 600
SPAN_DAYS = {"week": 7, "2weeks": 14, "period": 112}


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
    plannable = site_list_plannable(user=request.user)
    form = RosterBuildForm(
        request.POST or None,
        teams=teams,
        plannable=plannable,
        site_advised=request.method == "GET" and _site_advised(teams, plannable),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = roster_build_request(
                request=BuildRequest(
                    site=data["team"].site,
                    team=None if data.get("whole_site") else data["team"],
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


def _site_advised(teams: Any, plannable: Any) -> bool:
    """Whether the form starts on planning the whole site: a team of the manager at a site
    they may plan whole shares a queue with another team, and nothing is published there
    for next week."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    sites = set(plannable.values_list("pk", flat=True))
    return any(
        site_planning_advised(team=team, start=monday, days=7)
        for team in teams.filter(site_id__in=sites)[:20]
    )


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


def roster_url(roster: Roster, query: str = "") -> str:
    url = reverse("web:roster", kwargs={"pk": roster.pk})
    return f"{url}?{query}" if query else url


def managed_roster(request: HttpRequest, pk: Any) -> Roster:
    """Out of scope: 404; visible but not the manager's to change: 403 (as the API)."""
    roster = roster_list_visible(user=request.user).filter(pk=pk).first()
    if roster is None:
        raise Http404
    if not roster_is_managed(user=request.user, roster=roster):
        raise PermissionDenied
    return roster


def open_draft(roster: Roster) -> Roster | None:
    """The newest draft of the roster's series, when it is another version than `roster`."""
    draft = (
        roster_series(roster=roster).filter(status=Roster.Status.DRAFT).order_by("-version").first()
    )
    return draft if draft and draft.pk != roster.pk else None


class Board:
    """The board's window and filters as the query string gives them (kept across edits,
    pages and windows). `filters=False`: the window only, without the filter form's reads
    (the rows an edit sends back)."""

    def __init__(self, roster: Roster, query: QueryDict, *, filters: bool = True) -> None:
        self.roster = roster
        self.query = query
        self.filters = BoardFilters()
        if not filters:
            self.form = None
            span = query.get("span", "week")
            self.span = span if span in SPAN_DAYS else "week"
            self.first, self.last = board_window(
                roster, _iso(query.get("start")), SPAN_DAYS[self.span]
            )
            return
        self.options = roster_board_options(roster=roster)
        self.form = BoardFilterForm(
            query,
            teams=self.options.teams,
            queues=self.options.queues,
            contracts=self.options.contracts,
        )
        self.span = self.form.value("span", "week")
        self.first, self.last = board_window(
            roster, self.form.value("start", None), SPAN_DAYS[self.span]
        )
        self.filters = BoardFilters(
            team=self.form.value("team"),
            queue=self.form.value("queue"),
            skill=self.form.value("skill"),
            contract=self.form.value("contract", None),
            search=self.form.value("q"),
            sort=self.form.value("sort", "name"),
        )

    @property
    def days(self) -> list[date]:
        return roster_page.window_days(self.first, self.last)

    def url(self, **changes: Any) -> str:
        """The board's query string with `changes` (None removes a key)."""
        query = {k: v for k, v in self.query.items() if k not in ("part", "page")}
        query |= {k: str(v) for k, v in changes.items() if v is not None}
        return urlencode({k: v for k, v in query.items() if v not in ("", None)})

    def neighbours(self) -> dict[str, str | None]:
        step = timedelta(days=SPAN_DAYS[self.span] if self.span != "period" else self.roster.days)
        period_last = self.roster.start_date + timedelta(days=self.roster.days - 1)
        before = self.first - step
        return {
            "previous": self.url(start=max(before, self.roster.start_date).isoformat())
            if self.first > self.roster.start_date
            else None,
            "next": self.url(start=(self.first + step).isoformat())
            if self.first + step <= period_last
            else None,
        }

    def rows(self, people: list[Any]) -> list[roster_page.Row]:
        people = roster_board_hours(
            roster=self.roster, people=people, first=self.first, last=self.last
        )
        ids = [str(p.employee.pk) for p in people]
        queues = {str(q.pk): q for q in self.site_queues}
        return roster_page.board_rows(
            people=people,
            urls=roster_page.BoardUrls.of(self.roster),
            days=self.days,
            shifts=roster_board_shifts(
                roster=self.roster, people=ids, first=self.first, last=self.last
            ),
            away=leave_days(
                people=ids, first=self.first, last=self.last, timezone=self.roster.site.timezone
            ),
            queues=queues,
            colours=roster_page.queue_colours(list(queues.values())),
        )

    def rows_of(self, employees: set[str]) -> list[roster_page.Row]:
        """The rows of `employees` as the board shows them (after an edit)."""
        people = roster_board_people(
            roster=self.roster,
            first=self.first,
            last=self.last,
            filters=self.filters,
            ids=employees,
        )
        return self.rows(people)

    @property
    def site_queues(self) -> list[Queue]:
        if not hasattr(self, "_queues"):
            self._queues = list(Queue.objects.filter(site_id=self.roster.site_id))
        return self._queues


def _iso(text: str | None) -> date | None:
    return date_or_none(text)


def board_query(request: HttpRequest) -> QueryDict:
    """The board's query string: the request's own, or (for an editor htmx opened from the
    board) the one of the page it came from."""
    if request.GET:
        return request.GET
    current = request.headers.get("HX-Current-URL", "")
    return QueryDict(urlsplit(current).query if "/manager/rosters/" in current else "")


@role_required(*MANAGERS)
def roster_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """One page of people by the window's days; the coverage of the window is inline for
    small rosters and fetched by htmx after the page for large ones (cached until the
    roster changes)."""
    roster = managed_roster(request, pk)
    board = Board(roster, request.GET)
    if request.GET.get("part") == "coverage":
        return render(
            request, "web/manager/_roster_review.html", review_context(roster, board, request.user)
        )
    people = roster_board_people(
        roster=roster, first=board.first, last=board.last, filters=board.filters
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    editable = roster.status in (Roster.Status.DRAFT, Roster.Status.PUBLISHED)
    queues = board.site_queues
    colours = roster_page.queue_colours(queues)
    context = {
        "roster": roster,
        "board": board,
        "draft": open_draft(roster),
        "editable": editable,
        "days": [(d, roster_page.day_label(d)) for d in board.days],
        "rows": board.rows(list(page.object_list)),
        "page": page,
        "people_count": len(people),
        "legend": [(q.name, colours[str(q.pk)]) for q in sorted(queues, key=lambda q: q.name)],
        "query": board.url(),
        "undo": editable and _can_undo(roster, request.user),
        **board.neighbours(),
    }
    if len(people) <= INLINE_REVIEW_PEOPLE and not request.headers.get("HX-Request"):
        context |= review_context(roster, board, request.user)
    return render(request, "web/manager/roster.html", context)


def _can_undo(roster: Roster, user: Any) -> bool:
    """Whether the board offers undo: the last edit of the roster's draft is this user's."""
    draft = roster_open_draft(roster)
    last = roster_last_edit(draft) if draft is not None else None
    return last is not None and last.actor_id == user.pk


def roster_version(roster: Roster) -> str:
    """Changes to a roster's shifts are audited, so the last change marks its content."""
    last = roster.changes.order_by("-pk").values_list("pk", flat=True).first()
    return f"{roster.pk}:{roster.status}:{last}"


def version_key(roster: Roster, part: str, version: str | None = None) -> str:
    """A cache key of one part of a roster's page at its current content (`version`, when the
    caller has already read it, saves the query)."""
    return f"web:{part}:{version or roster_version(roster)}"


def cached_review(roster: Roster, version: str | None = None) -> RosterReview:
    key = version_key(roster, "review", version)
    review = cache.get(key)
    if review is None:
        review = roster_review(roster=roster, now=timezone.now())
        cache.set(key, review, REVIEW_CACHE_SECONDS)
    return review


def site_published(roster: Roster) -> str:
    """The site's last publication as a POSIX time, for cache keys of what other series'
    published cover changes (cache keys hold no spaces)."""
    latest = Roster.objects.filter(
        site_id=roster.site_id, status=Roster.Status.PUBLISHED
    ).aggregate(latest=Max("published_at"))["latest"]
    return f"{latest.timestamp():.6f}" if latest is not None else "none"


def cached_basis(roster: Roster, version: str, published: str) -> DemandBasis:
    """What the roster is planned against; it changes with the roster and with what other
    series publish at the site (`published`: site_published)."""
    key = f"{version_key(roster, 'basis', version)}:{published}"
    basis = cache.get(key)
    if basis is None:
        basis = roster_demand_basis(roster=roster)
        cache.set(key, basis, REVIEW_CACHE_SECONDS)
    return basis


def cached_cover(roster: Roster, board: Board, version: str, published: str) -> list[CoverDay]:
    """The cover of the board's days, each on its time line (the autumn day's two 02:00
    hours apart): changes with the roster and what other series publish, as the basis."""
    key = f"{version_key(roster, 'cover', version)}:{published}:{board.first}:{board.last}"
    cover: list[CoverDay] | None = cache.get(key)
    if cover is None:
        cover = roster_cover_window(roster=roster, first_day=board.first, last_day=board.last)
        cache.set(key, cover, REVIEW_CACHE_SECONDS)
    return cover


def review_context(roster: Roster, board: Board, user: Any) -> dict[str, Any]:
    version = roster_version(roster)
    review = cached_review(roster, version)
    published = site_published(roster)
    colours = roster_page.queue_colours(board.site_queues)
    return {
        "roster": roster,
        "board": board,
        "review": review,
        "totals": review.totals,
        "violations": review.violations[:200],
        "violation_count": len(review.violations),
        "cover": roster_page.cover_tables(
            cover=cached_cover(roster, board, version, published),
            timezone=roster.site.timezone,
            colours=colours,
        ),
        "auto_refresh": len(review.people) <= INLINE_REVIEW_PEOPLE,
        "binding_rules": roster_page.binding_rules(roster.solver or {}),
        "basis": cached_basis(roster, version, published),
        "site_plannable": roster.team is not None
        and site_list_plannable(user=user).filter(pk=roster.site_id).exists(),
    }
