"""Payroll review and codes pages: the per-employee review of a period (totals, open
exceptions, filters), the export list that refreshes itself when a job ends, and the
earnings-code map with the site's payroll account and the employees' payroll numbers."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from organisation.errors import DomainError
from organisation.models import Employee, Site, Team
from organisation.roles import PAYROLL
from timeclock.models import (
    EarningsCode,
    EmployeePayrollIds,
    PayrollExport,
    PayrollSiteAccount,
    PayrollSystem,
)
from timeclock.pay import PayCode
from timeclock.selectors.pay import period_currency
from timeclock.selectors.payroll_review import NO_TEAM, ReviewFilter, payroll_review
from timeclock.services.adjustments import adjustments_pending
from timeclock.services.payroll_codes import (
    ACCOUNT_RULES,
    CodeInput,
    payroll_codes_save,
    payroll_ids_import,
)
from web.access import role_required
from web.messages import error_text
from web.views.payroll import _period, export_list

REVIEW_PAGE = 100  # people per page of the review
FIXED_ADP = {PayCode.REGULAR.value: "Reg Hours", PayCode.OVERTIME.value: "O/T Hours"}


@role_required(*PAYROLL)
@require_GET
def period_review_view(request: HttpRequest, pk: Any) -> HttpResponse:
    period = _period(pk)
    teams = list(Team.objects.filter(site=period.site).order_by("name"))
    wanted = request.GET.get("team")
    team = NO_TEAM if wanted == NO_TEAM else next((t for t in teams if str(t.pk) == wanted), None)
    search = request.GET.get("q", "")[:100]
    only = request.GET.get("only") == "1"
    review = payroll_review(
        period=period,
        filters=ReviewFilter(team=team, search=search, only_exceptions=only),
        page=_page_number(request.GET.get("page")),
        per_page=REVIEW_PAGE,
        adjustments=adjustments_pending(period=period),
    )
    query = request.GET.copy()
    query.pop("page", None)
    back = review_query(team=request.GET.get("team", ""), q=search, only=only, page=review.page)
    return render(
        request,
        "web/payroll/review.html",
        {
            "period": period,
            "review": review,
            "teams": teams,
            "team": team,
            "no_team": NO_TEAM,
            "q": search,
            "only": only,
            "query": query.urlencode(),
            "back_query": back,  # the filters and page, kept by each timesheet's way back
            "currency": period_currency(period),
            "show_other": bool(review.totals.other),
        },
    )


def review_query(*, team: str, q: str, only: bool, page: int) -> str:
    """The review's filters and page as a query string (empty ones left out)."""
    kept = {"team": team[:40], "q": q, "only": "1" if only else ""}
    kept["page"] = str(page) if page > 1 else ""
    return urlencode({k: v for k, v in kept.items() if v})


def _page_number(value: Any) -> int:
    """The page asked for; anything but up to six ASCII digits is the first (clamped later):
    str.isdigit() also takes "²", which int() refuses."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 1


@role_required(*PAYROLL)
@require_GET
def period_exports_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """The export list alone, fetched by the page when a job it follows ends."""
    period = _period(pk)
    return render(
        request, "web/payroll/_exports.html", {"period": period, "exports": export_list(period)}
    )


@role_required(*PAYROLL)
@require_http_methods(["GET", "POST"])
def payroll_codes_view(request: HttpRequest) -> HttpResponse:
    sites = list(Site.objects.order_by("name"))
    wanted = request.POST.get("site") or request.GET.get("site")
    site = next((s for s in sites if str(s.pk) == wanted), sites[0] if sites else None)
    problems: dict[str, Any] = {}
    posted = None
    if request.method == "POST" and site is not None:
        try:
            if request.POST.get("part") == "ids":
                changed = payroll_ids_import(
                    site=site, text=request.POST.get("ids", ""), actor=request.user
                )
                messages.success(request, _("%(n)s employees updated.") % {"n": changed})
            else:
                payroll_codes_save(
                    site=site,
                    account={f: request.POST.get(f, "").strip() for f in ACCOUNT_RULES},
                    codes=_posted_codes(request),
                    actor=request.user,
                )
                messages.success(request, _("The payroll codes are saved."))
        except DomainError as exc:
            messages.error(request, error_text(exc))
            problems, posted = exc.extra, request.POST  # redrawn as typed, beside the errors
        else:
            return redirect(f"{request.path}?site={site.pk}")
    context = _codes_context(site, sites, problems, posted)
    return render(request, "web/payroll/codes.html", context)


def _posted_codes(request: HttpRequest) -> list[CodeInput]:
    return [
        CodeInput(
            system=system,
            pay_code=code.value,
            code=request.POST.get(f"{system}:{code.value}", "").strip(),
            kind=request.POST.get(f"{system}:{code.value}:kind", "amount"),
        )
        for system in PayrollSystem.values
        for code in PayCode
        if not (system == PayrollSystem.ADP and code.value in FIXED_ADP)
    ]


def _codes_context(
    site: Site | None, sites: list[Site], problems: dict[str, Any], posted: Any = None
) -> dict[str, Any]:
    """The page's values: from the database, or after a refused save the ones submitted
    (`posted`: the codes and account of the refused form, or the refused lines)."""
    if site is None:
        return {"sites": sites, "site": None}
    account = PayrollSiteAccount.objects.filter(site=site).first()
    mapped = {(c.system, c.pay_code): c for c in EarningsCode.objects.filter(site=site)}
    systems = [
        {
            "value": system,
            "label": label,
            "rows": [
                {
                    "pay_code": code.value,
                    "fixed": FIXED_ADP.get(code.value) if system == PayrollSystem.ADP else None,
                    **_code_value(posted, mapped.get((system, code.value)), system, code),
                    "problem": problems.get("fields", {}).get(f"{system}:{code.value}"),
                }
                for code in PayCode
            ],
        }
        for system, label in PayrollSystem.choices
    ]
    with_ids = EmployeePayrollIds.objects.filter(employee__team__site=site)
    complete = with_ids.exclude(adp_file_number="").exclude(datev_personnel_number="")
    missing = site_people(site).exclude(pk__in=complete.values("employee_id"))
    return {
        "sites": sites,
        "site": site,
        "account": account,
        "account_fields": [
            {
                "name": f,
                "rule": rule,
                "value": _account_value(posted, account, f),
                "problem": problems.get("fields", {}).get(f),
            }
            for f, (_pattern, rule) in ACCOUNT_RULES.items()
        ],
        "systems": systems,
        "missing": list(missing.select_related("user")[:50]),
        "missing_count": missing.count(),
        "line_problems": problems.get("lines", []),
        "ids_text": posted.get("ids", "") if posted and posted.get("part") == "ids" else "",
        "formats": PayrollExport.Format.values,
    }


def _code_value(posted: Any, mapped: Any, system: str, code: PayCode) -> dict[str, str]:
    """A row's code and kind: as submitted in a refused save of the codes, else as saved."""
    if posted is not None and posted.get("part") != "ids":
        key = f"{system}:{code.value}"
        return {"code": posted.get(key, ""), "kind": posted.get(f"{key}:kind", "amount")}
    return {"code": mapped.code if mapped else "", "kind": mapped.kind if mapped else "amount"}


def _account_value(posted: Any, account: Any, name: str) -> str:
    if posted is not None and posted.get("part") != "ids":
        return str(posted.get(name, ""))
    return str(getattr(account, name, ""))


def site_people(site: Site) -> Any:
    return Employee.objects.filter(team__site=site).order_by("number")
