"""The operator's own availability (/me/availability/): days they cannot work or would rather
not, entered before the deadline and before a roster covers them; the solver reads both."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisation.errors import DomainError
from scheduling.models import AvailabilityBlock
from scheduling.selectors.availability import availability_list
from scheduling.services.availability import (
    OWN_KINDS,
    availability_deadline,
    availability_own_create,
    availability_own_delete,
)
from web.access import employee_required, own_employee
from web.messages import error_text
from web.setup_forms import AvailabilityForm


@employee_required
@require_http_methods(["GET", "POST"])
def my_availability_view(request: HttpRequest) -> HttpResponse:
    me = own_employee(request)
    assert me is not None  # employee_required
    now = timezone.now()
    deadline = availability_deadline(employee=me, now=now)
    form = AvailabilityForm(request.POST or None, own=True, initial={"first_day": deadline})
    if request.method == "POST" and form.is_valid():
        try:
            availability_own_create(employee=me, pattern=form.pattern(), now=now)
        except DomainError as exc:
            form.refusal(exc)
        else:
            messages.success(request, _("Saved: the roster takes it into account."))
            return redirect("web:my-availability")
    blocks = availability_list(employee=me, since=now)
    context: dict[str, Any] = {
        "me": me,
        "form": form,
        "blocks": blocks,
        "deadline": deadline,
        "own_kinds": [str(k) for k in OWN_KINDS],
    }
    return render(request, "web/operator/availability.html", context)


@employee_required
@require_POST
def my_availability_delete_view(request: HttpRequest, pk: Any) -> HttpResponse:
    me = own_employee(request)
    block = AvailabilityBlock.objects.filter(pk=pk, employee=me).first()
    if me is None or block is None:
        raise Http404
    try:
        availability_own_delete(employee=me, block=block)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Removed."))
    return redirect("web:my-availability")
