"""Terminal and kiosk devices: registration (the token and signing key shown once) and
revocation, both audited and logged as security events."""

import secrets
import uuid
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from organisation.audit import audit_record
from organisation.models import Site
from organisation.services.organisation import save_validated
from timeclock.errors import DeviceNameTaken, DeviceRevoked
from timeclock.models import Device, SecurityEvent
from timeclock.tokens import signing_key_new, token_digest


@transaction.atomic
def device_register(
    *,
    site: Site,
    name: str,
    is_kiosk: bool,
    created_by: AbstractBaseUser | None,
    is_acd_feed: bool = False,
) -> tuple[Device, str]:
    """A new device and its token (its `signing_key` attribute holds the request-signing
    key); neither is ever shown again. A name already registered at the site is refused
    (DeviceNameTaken), not a second device."""
    if Device.objects.filter(site=site, name=name).exists():
        raise DeviceNameTaken(extra={"name": name})
    token = secrets.token_urlsafe(32)
    device = Device(
        id=uuid.uuid4(),
        site=site,
        name=name,
        is_kiosk=is_kiosk and not is_acd_feed,
        is_acd_feed=is_acd_feed,
        token_sha256=token_digest(token),
        token_prefix=token[:8],
        created_by=created_by,
    )
    signing_key, device.signing_key_masked = signing_key_new(device.pk)
    save_validated(device, exclude=["token_sha256", "token_prefix", "signing_key_masked"])
    device.signing_key = signing_key  # type: ignore[attr-defined]  # shown once, not stored
    audit_record(
        action="device_registered",
        actor=created_by,
        object_type="device",
        object_id=str(device.pk),
        data={"site": str(site.pk), "name": name, "prefix": token[:8]},
    )
    SecurityEvent.objects.create(
        kind="device_registered",
        device=device,
        detail={"by": created_by.get_username() if created_by else None, "prefix": token[:8]},
    )
    return device, token


def device_revoke(
    *, device: Device, by: AbstractBaseUser | None = None, now: datetime | None = None
) -> Device:
    revoked = Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    if revoked:
        audit_record(
            action="device_revoked", actor=by, object_type="device", object_id=str(device.pk)
        )
        SecurityEvent.objects.create(
            kind="device_revoked", device=device, detail={"by": by.get_username() if by else None}
        )
    device.refresh_from_db()
    return device


@transaction.atomic
def device_rotate(*, device: Device, by: AbstractBaseUser | None) -> tuple[Device, str]:
    """A new token and signing key for an active device (the old ones stop working at
    once); shown once, as at registration. Audited and logged as a security event."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is not None:
        raise DeviceRevoked()
    token = secrets.token_urlsafe(32)
    device.token_sha256, device.token_prefix = token_digest(token), token[:8]
    signing_key, device.signing_key_masked = signing_key_new(device.pk)
    device.save(update_fields=["token_sha256", "token_prefix", "signing_key_masked"])
    device.signing_key = signing_key  # type: ignore[attr-defined]  # shown once, not stored
    audit_record(
        action="device_rotated",
        actor=by,
        object_type="device",
        object_id=str(device.pk),
        data={"prefix": token[:8]},
    )
    SecurityEvent.objects.create(
        kind="device_rotated",
        device=device,
        detail={"by": by.get_username() if by else None, "prefix": token[:8]},
    )
    return device, token
