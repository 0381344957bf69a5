"""The kiosk page: a site opens it on any tablet; it works through the device API with the
device token the tablet keeps (nothing secret is in the page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    return render(request, "timeclock/kiosk.html")
