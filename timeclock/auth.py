"""`Authorization: Device <token>`: terminals authenticate as themselves, not as a person.

A device is a principal with no roles; the project's default permission refuses it
everywhere (403) except on the views that admit devices (IsDevice), which only ingest
punches, check PINs and read the device's own config (R2.11).
"""

import hmac
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from timeclock.models import Device
from timeclock.tokens import (
    device_for_id,
    device_for_token,
    request_signature,
    signing_key_of,
)


class DevicePrincipal(AnonymousUser):
    """request.user for a device: authenticated, no roles, no employee."""

    is_device = True

    def __init__(self, device: Device) -> None:
        super().__init__()
        self.device = device

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True

    def __str__(self) -> str:
        return f"device {self.device.name}"


class DeviceAuthentication(authentication.BaseAuthentication):
    keyword = "Device"

    def authenticate(self, request: Request) -> tuple[DevicePrincipal, Device] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid device header.")
        device = device_for_token(header[1].decode(errors="replace"))
        if device is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked device.")
        return DevicePrincipal(device), device

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class SignedDeviceAuthentication(authentication.BaseAuthentication):
    """`Authorization: Device-HMAC <device id>` with `X-WFM-Sent-At` (ISO 8601 with offset)
    and `X-WFM-Signature` (hex HMAC-SHA256 of method, path, sent-at and the body's SHA-256
    under the device's signing key). Stale or future by more than 5 minutes, or tampered:
    401. A replay inside the window is harmless: punches are deduplicated by event id."""

    keyword = "Device-HMAC"
    window = timedelta(minutes=5)

    def authenticate(self, request: Request) -> tuple[DevicePrincipal, Device] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid signed device header.")
        device = device_for_id(header[1].decode(errors="replace"))
        sent_at = request.META.get("HTTP_X_WFM_SENT_AT", "")
        signature = request.META.get("HTTP_X_WFM_SIGNATURE", "")
        if device is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked device.")
        moment = _parse(sent_at)
        if moment is None or abs(timezone.now() - moment) > self.window:
            raise exceptions.AuthenticationFailed("Stale, future or missing X-WFM-Sent-At.")
        expected = request_signature(
            signing_key_of(device), request.method or "", request.path, sent_at, request.body
        )
        if not hmac.compare_digest(expected, signature):
            raise exceptions.AuthenticationFailed("Bad signature.")
        return DevicePrincipal(device), device

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def _parse(value: str) -> datetime | None:
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


class IsDevice(BasePermission):
    """A terminal or kiosk; the phone system's feed (an ACD device) posts no punches."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Device) and not request.auth.is_acd_feed
