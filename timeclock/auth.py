"""`Authorization: Device <token>`: terminals authenticate as themselves, not as a person.

A device is a principal with no roles; the project's default permission refuses it
everywhere (403) except on the views that admit devices (IsDevice), which only ingest
punches, check PINs and read the device's own config (R2.11).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from timeclock.models import Device
from timeclock.tokens import device_for_token


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


class IsDevice(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Device)
