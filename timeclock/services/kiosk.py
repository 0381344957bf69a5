"""Kiosk PIN checks: the employee behind a badge or number, with a lockout after repeated
wrong PINs per employee and a rate limit per device (R2.12)."""

from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisation.models import Employee
from timeclock.errors import (
    DevicePinRateLimited,
    EmployeeOtherSite,
    PinLocked,
    PinWrong,
    UnknownEmployee,
)
from timeclock.models import Device, PinAttempt
from timeclock.selectors.devices import device_takes_other_sites

PIN_FAILURES = 5
PIN_WINDOW = timedelta(minutes=15)
DEVICE_PIN_FAILURES_PER_MINUTE = 20  # guessing across many badges from one device


def kiosk_identify(
    *, device: Device, identifier: str, pin: str, now: datetime | None = None
) -> Employee:
    """The employee behind a badge or number whose PIN matches; 5 wrong PINs within 15
    minutes, on any device, lock the PIN until the window passes (R2.12)."""
    now = now or timezone.now()
    employee = (
        Employee.objects.select_related("user", "team__site")
        .filter(Q(badge_id=identifier) | Q(number=identifier))
        .first()
    )
    if employee is None or not employee.pin_hash:
        raise UnknownEmployee()
    if employee.team.site_id != device.site_id and not device_takes_other_sites(device=device):
        raise EmployeeOtherSite()
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()  # serialise checks
        failures = PinAttempt.objects.filter(
            employee=employee, succeeded=False, at__gt=now - PIN_WINDOW
        ).count()
        if failures >= PIN_FAILURES:
            raise PinLocked()
        device_failures = PinAttempt.objects.filter(
            device=device, succeeded=False, at__gt=now - timedelta(minutes=1)
        ).count()
        if device_failures >= DEVICE_PIN_FAILURES_PER_MINUTE:
            raise DevicePinRateLimited()
        ok = check_password(pin, employee.pin_hash)
        PinAttempt.objects.create(employee=employee, device=device, succeeded=ok, at=now)
    if not ok:
        raise PinWrong(extra={"attempts_left": max(0, PIN_FAILURES - failures - 1)})
    return employee
