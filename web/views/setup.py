"""Set-up pages for managers: shift templates (create, edit, retire), people (contracts,
skills, badge, PIN, availability) and kiosk and terminal devices. Views parse a form, call the
organisation, scheduling and timeclock services, and say what happened."""

from datetime import date
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from organisation.local_grid import local_date
from organisation.models import Employee, Site
from organisation.roles import MANAGERS, PAYROLL
from organisation.selectors.organisation import (
    employee_list_managed,
    site_list_managed,
    team_list_managed,
)
from organisation.selectors.pay_rates import pay_rate_history
from organisation.services.organisation import employee_pin_reset, employee_update
from scheduling.models import AvailabilityBlock, ShiftTemplate
from scheduling.selectors.availability import availability_list
from scheduling.selectors.shift_templates import shift_template_list
from scheduling.services import roster_inputs
from scheduling.services.availability import availability_delete, availability_pattern_create
from timeclock.errors import PayPolicyFinesNoPack, PayPolicyUnlawful
from timeclock.jurisdictions.cao_contactcenters import CAO_CONTACTCENTERS
from timeclock.models import Device
from timeclock.selectors.device_list import device_list_with_today
from timeclock.selectors.jurisdictions import site_pack
from timeclock.selectors.pay_policies import (
    pay_policy_earliest_change,
    pay_policy_row_for,
    pay_policy_rows_in_effect,
    pay_policy_versions,
)
from timeclock.services.devices import device_register, device_revoke, device_rotate
from timeclock.services.pay_policies import pay_policy_change
from web.access import role_required
from web.form_errors import form_refusal, pack_refusal
from web.messages import error_text
from web.params import uuid_or_none
from web.setup_forms import (
    AvailabilityForm,
    DeviceForm,
    PayPolicyForm,
    PersonForm,
    ShiftTemplateForm,
)

# The form field a template refusal is about (the service names "breaks" for a break that
# ends outside the shortest shift).
TEMPLATE_FIELDS = {"breaks": "break1_latest", "lengths_minutes": "lengths"}


# --- Shift templates -----------------------------------------------------------------------


@role_required(*MANAGERS)
def templates_view(request: HttpRequest) -> HttpResponse:
    templates = shift_template_list(sites=site_list_managed(user=request.user))
    sites = [(site, list(rows)) for site, rows in groupby(templates, key=lambda t: t.site)]
    return render(request, "web/setup/templates.html", {"sites": sites, "tab": "templates"})


def _managed_template(request: HttpRequest, pk: Any) -> ShiftTemplate:
    """Templates live at sites; another site's is out of scope (404)."""
    template = shift_template_list(sites=site_list_managed(user=request.user)).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def template_edit_view(request: HttpRequest, pk: Any = None) -> HttpResponse:
    template = _managed_template(request, pk) if pk is not None else None
    sites = site_list_managed(user=request.user)
    initial = ShiftTemplateForm.initial_for(template) if template else {}
    if template is None:
        rows = list(sites[:2])
        initial["site"] = request.GET.get("site") or (rows[0].pk if len(rows) == 1 else None)
    form = ShiftTemplateForm(request.POST or None, sites=sites, template=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_for_service()
        try:
            if template is None:
                template = roster_inputs.shift_template_create(
                    site=form.cleaned_data["site"], **fields
                )
            else:
                roster_inputs.shift_template_update(template=template, **fields)
        except DomainError as exc:
            named = exc.extra.get("fields") or {}
            field = next(
                (
                    TEMPLATE_FIELDS.get(k, k)
                    for k in named
                    if TEMPLATE_FIELDS.get(k, k) in form.fields
                ),
                None,
            )
            form_refusal(form, exc, {exc.code: field} if field else None)
        else:
            messages.success(request, _("Shift template %(name)s saved.") % {"name": template.name})
            return redirect("web:templates")
    context = {"form": form, "template": template, "tab": "templates"}
    return render(request, "web/setup/template.html", context)


@role_required(*MANAGERS)
@require_POST
def template_retire_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """Retire a template (the solver stops using it; shifts made from it stay), or bring a
    retired one back."""
    template = _managed_template(request, pk)
    active = not template.is_active
    roster_inputs.shift_template_update(template=template, is_active=active)
    text = _("%(name)s is in use again.") if active else _("%(name)s is retired.")
    messages.success(request, text % {"name": template.name})
    return redirect("web:templates")


# --- People --------------------------------------------------------------------------------


@role_required(*MANAGERS)
def people_view(request: HttpRequest) -> HttpResponse:
    people = employee_list_managed(user=request.user)
    teams = list(team_list_managed(user=request.user).select_related("site").order_by("name"))
    team = next((t for t in teams if str(t.pk) == request.GET.get("team")), None)
    if team is not None:
        people = people.filter(team=team)
    context = {"people": people, "teams": teams, "team": team, "tab": "people"}
    return render(request, "web/setup/people.html", context)


def _managed_person(request: HttpRequest, pk: Any) -> Employee:
    person = employee_list_managed(user=request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _person_context(request: HttpRequest, person: Employee, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "person": person,
        "form": extra.pop("form", None)
        or PersonForm(initial=PersonForm.initial_for(person), site=person.team.site),
        "availability": extra.pop("availability", None) or AvailabilityForm(prefix="availability"),
        "blocks": availability_list(employee=person, since=now),
        "rates": pay_rate_history(employee=person),
        "tab": "people",
        **extra,
    }


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def person_view(request: HttpRequest, pk: Any) -> HttpResponse:
    person = _managed_person(request, pk)
    form = PersonForm(
        request.POST or None, initial=PersonForm.initial_for(person), site=person.team.site
    )
    if request.method == "POST" and form.is_valid():
        try:
            employee_update(employee=person, **form.changes(), actor=request.user)
        except DomainError as exc:
            named = exc.extra.get("fields") or {}
            if "badge_id" in named:
                form.add_error("badge_id", _("Another employee has this badge."))
            else:
                form_refusal(form, exc, PERSON_FIELDS)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.full_name})
            return redirect("web:person", pk=person.pk)
    return render(request, "web/setup/person.html", _person_context(request, person, form=form))


# The form field a contract refusal is about.
PERSON_FIELDS = {"invalid_input": "min_weekly_hours", "below_minimum_wage": "min_weekly_hours"}


@role_required(*MANAGERS)
@require_POST
def person_pin_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A new PIN, shown on this response only (never stored in clear, never shown again)."""
    person = _managed_person(request, pk)
    pin = employee_pin_reset(employee=person, by=request.user)
    response = render(request, "web/setup/person.html", _person_context(request, person, pin=pin))
    response["Cache-Control"] = "no-store"
    return response


@role_required(*MANAGERS)
@require_POST
def person_availability_view(request: HttpRequest, pk: Any) -> HttpResponse:
    person = _managed_person(request, pk)
    form = AvailabilityForm(request.POST, prefix="availability")
    if form.is_valid():
        try:
            blocks = availability_pattern_create(
                employee=person, pattern=form.pattern(), created_by=request.user
            )
        except DomainError as exc:
            form.refusal(exc)
        else:
            messages.success(
                request, _("Availability saved (%(count)s entries).") % {"count": len(blocks)}
            )
            return redirect(f"{reverse('web:person', args=[person.pk])}#availability")
    context = _person_context(request, person, availability=form)
    return render(request, "web/setup/person.html", context)


@role_required(*MANAGERS)
@require_POST
def availability_delete_view(request: HttpRequest, pk: Any) -> HttpResponse:
    block = AvailabilityBlock.objects.filter(
        pk=pk, employee__in=employee_list_managed(user=request.user)
    ).first()
    if block is None:
        raise Http404
    availability_delete(block=block)
    messages.success(request, _("Availability removed."))
    return redirect(f"{reverse('web:person', args=[block.employee_id])}#availability")


# --- Devices -------------------------------------------------------------------------------


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def devices_view(request: HttpRequest) -> HttpResponse:
    """Register a terminal or kiosk: its token and signing key are shown on this response
    only."""
    sites = site_list_managed(user=request.user)
    rows = list(sites)
    form = DeviceForm(request.POST or None, sites=sites, initial=_one_site(rows))
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            device, token = device_register(**form.cleaned_data, created_by=request.user)
        except DomainError as exc:
            form_refusal(form, exc, {"device_name_taken": "name"})
        else:
            secret = {"device": device, "token": token, "signing_key": device.signing_key}  # type: ignore[attr-defined]
            form = DeviceForm(sites=sites, initial=_one_site(rows))
    return _devices_page(request, rows, form, secret)


def _one_site(sites: list[Site]) -> dict[str, Any]:
    """A manager of one site has nothing to pick."""
    return {"site": sites[0].pk} if len(sites) == 1 else {}


def _devices_page(
    request: HttpRequest, sites: list[Site], form: DeviceForm, secret: dict[str, Any] | None
) -> HttpResponse:
    devices = device_list_with_today(sites=sites, now=timezone.now())
    context = {"devices": devices, "form": form, "secret": secret, "tab": "devices"}
    response = render(request, "web/setup/devices.html", context)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


def _managed_device(request: HttpRequest, pk: Any) -> Device:
    device = Device.objects.filter(pk=pk, site__in=site_list_managed(user=request.user)).first()
    if device is None:
        raise Http404
    return device


@role_required(*MANAGERS)
@require_POST
def device_revoke_view(request: HttpRequest, pk: Any) -> HttpResponse:
    device = device_revoke(device=_managed_device(request, pk), by=request.user)
    messages.success(
        request,
        _("%(name)s is revoked: it is refused from its next request.") % {"name": device.name},
    )
    return redirect("web:devices")


@role_required(*MANAGERS)
@require_POST
def device_rotate_view(request: HttpRequest, pk: Any) -> HttpResponse:
    sites = site_list_managed(user=request.user)
    device = _managed_device(request, pk)
    try:
        device, token = device_rotate(device=device, by=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("web:devices")
    secret = {"device": device, "token": token, "signing_key": device.signing_key}  # type: ignore[attr-defined]
    rows = list(sites)
    return _devices_page(request, rows, DeviceForm(sites=sites, initial=_one_site(rows)), secret)


# --- Pay policies (payroll and admins) -----------------------------------------------------

# Presets a policy page applies (`?preset=`): the premiums of a collective agreement.
PRESETS = {"cao-contactcenters": CAO_CONTACTCENTERS}


@role_required(*PAYROLL)
def policies_view(request: HttpRequest) -> HttpResponse:
    """Every site's policy and its teams', each version with the periods it pays from."""
    now = timezone.now()
    sites = list(Site.objects.prefetch_related("teams").order_by("name"))
    versions = pay_policy_versions(sites=sites)
    rows = [
        {
            "site": site,
            "earliest": pay_policy_earliest_change(site=site, now=now),
            "today": local_date(instant=now, timezone=site.timezone),
            "versions": [v for v in versions if v.site_id == site.pk],
        }
        for site in sites
    ]
    return render(request, "web/setup/policies.html", {"rows": rows})


@role_required(*PAYROLL)
@require_http_methods(["GET", "POST"])
def policy_edit_view(request: HttpRequest) -> HttpResponse:
    """A new version of a site's (or team's, `?team=`) policy from the next pay period."""
    site = Site.objects.filter(pk=uuid_or_none(request.GET.get("site"))).first()
    if site is None:
        raise Http404
    team = None
    if request.GET.get("team"):
        team = site.teams.filter(pk=uuid_or_none(request.GET["team"])).first()
        if team is None:
            raise Http404
    earliest = pay_policy_earliest_change(site=site, now=timezone.now())
    found = pay_policy_rows_in_effect(
        site_ids=[site.pk], team_ids=[team.pk] if team else [], on=date.max
    )
    current = pay_policy_row_for(found, site_id=site.pk, team_id=team.pk if team else None)
    initial = PayPolicyForm.initial_for(current, earliest)
    preset = PRESETS.get(request.GET.get("preset", ""))
    form = PayPolicyForm(
        request.POST or None, team=team, earliest=earliest, initial=initial, preset=preset
    )
    if request.method == "POST" and form.is_valid():
        try:
            pay_policy_change(
                site=site,
                team=team,
                effective_from=form.cleaned_data["effective_from"],
                fields=form.fields_for_service(),
                by=request.user,
            )
        except (PayPolicyUnlawful, PayPolicyFinesNoPack) as exc:
            pack_refusal(form, exc)
        except DomainError as exc:
            form_refusal(form, exc, {"pay_policy_change_too_early": "effective_from"})
        else:
            messages.success(
                request,
                _("The policy pays the periods from %(day)s.")
                % {"day": date_format(form.cleaned_data["effective_from"], "j F Y")},
            )
            return redirect("web:policies")
    context = {
        "site": site,
        "team": team,
        "form": form,
        "earliest": earliest,
        "pack": site_pack(site),
        "preset": preset,
        "presets": PRESETS if site.country_code == "NL" else {},
    }
    return render(request, "web/setup/policy.html", context)
