"""Rest-of-day offers in the pages (issue 26, item 5): a manager posts VTO or overtime from the
intraday page; operators see the offers they may take on /me/offers/ and accept one."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from organisation.errors import DomainError
from organisation.local_grid import local_instant
from organisation.roles import MANAGERS
from organisation.selectors.organisation import queue_list_visible, team_list_managed
from scheduling.models import IntradayOffer
from scheduling.selectors.intraday_offers import offers_accepted_by, offers_open_for
from scheduling.services.intraday_offers import offer_accept, offer_create, offer_withdraw
from web.access import employee_required, own_employee, role_required
from web.intraday import intraday_back
from web.messages import error_text
from web.params import date_or_none, uuid_or_none


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Offer"),
        choices=[
            ("vto", gettext_lazy("Voluntary time off")),
            ("overtime", gettext_lazy("Overtime")),
        ],
    )
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=None)  # type: ignore[arg-type]
    start = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=gettext_lazy("Until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slots = forms.IntegerField(label=gettext_lazy("People"), min_value=1, max_value=50, initial=1)
    expires_minutes = forms.IntegerField(
        label=gettext_lazy("Closes minutes before it starts"),
        min_value=1,
        max_value=600,
        initial=10,
    )

    def __init__(self, *args: Any, user: Any, site: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_list_managed(user=user).filter(site=site)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("Give a time after From."))
        return data


# An invalid offer (or one the service refuses) comes back to the intraday page with what was
# typed and each field's error beside it (post, redirect, get: kept in the session meanwhile).
KEPT = "intraday_offer_form"


def offer_form_for(request: HttpRequest, queue: Any) -> OfferForm:
    """The queue's offer form on the intraday page: empty, or the one just posted there with
    its input and errors."""
    kept = request.session.get(KEPT)
    ids = f"offer-{queue.pk}-%s"  # several queues' forms on one page
    if isinstance(kept, dict) and kept.get("queue") == str(queue.pk):
        del request.session[KEPT]
        form = OfferForm(kept.get("data") or {}, user=request.user, site=queue.site, auto_id=ids)
        form.is_valid()  # its errors beside the fields
        return form
    return OfferForm(user=request.user, site=queue.site, auto_id=ids)


def _keep(request: HttpRequest, queue: Any) -> None:
    fields = OfferForm.base_fields
    data = {name: request.POST.get(name, "") for name in fields}
    request.session[KEPT] = {"queue": str(queue.pk), "data": data}


@role_required(*MANAGERS)
@require_POST
def offer_create_view(request: HttpRequest) -> HttpResponse:
    queue = get_object_or_404(
        queue_list_visible(user=request.user).select_related("site"),
        pk=uuid_or_none(request.POST.get("queue")),
    )
    back = intraday_back(request)
    form = OfferForm(request.POST, user=request.user, site=queue.site)
    day = date_or_none(request.POST.get("day"))
    if day is None or not form.is_valid():
        messages.error(
            request, _("The offer is incomplete: give its kind, team, times and people.")
        )
        _keep(request, queue)
        return redirect(f"{back}#queue-{queue.pk}")
    data = form.cleaned_data
    tz = queue.site.timezone
    try:
        start = local_instant(day=day, wall=data["start"], timezone=tz, fold=0)
        end = local_instant(day=day, wall=data["end"], timezone=tz, fold=0)
        offer_create(
            kind=data["kind"],
            queue=queue,
            team=data["team"],
            start=start,
            end=end,
            slots=data["slots"],
            expires_at=start - timedelta(minutes=data["expires_minutes"]),
            user=request.user,
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
        _keep(request, queue)
    else:
        messages.success(request, _("The offer is posted; the team's eligible operators are told."))
    return redirect(back)


@role_required(*MANAGERS)
@require_POST
def offer_withdraw_view(request: HttpRequest, pk: str) -> HttpResponse:
    offer = get_object_or_404(
        IntradayOffer.objects.filter(team__in=team_list_managed(user=request.user)), pk=pk
    )
    back = intraday_back(request)
    try:
        offer_withdraw(offer=offer, user=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The offer is withdrawn; operators no longer see it."))
    return redirect(f"{back}#queue-{offer.queue_id}")


@employee_required
def my_offers_view(request: HttpRequest) -> HttpResponse:
    me = own_employee(request)
    if me is None:
        raise Http404
    context = {
        "open": offers_open_for(employee=me, now=timezone.now()),
        "accepted": offers_accepted_by(employee=me)[:30],
    }
    return render(request, "web/operator/offers.html", context)


@employee_required
@require_POST
def my_offer_accept_view(request: HttpRequest, pk: str) -> HttpResponse:
    me = own_employee(request)
    if me is None:
        raise Http404
    offer = get_object_or_404(IntradayOffer.objects.filter(team_id=me.team_id), pk=pk)
    try:
        offer_accept(offer=offer, employee=me, user=request.user)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("It is yours: your week shows the new roster."))
    return redirect("web:my-offers")
