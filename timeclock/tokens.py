"""Device credentials. The bearer token: only its SHA-256 is stored, and a lookup hits the
database every time, so a revoked device is refused on its very next call (R2.9).

The signing key (for HMAC-signed requests, R2.10) must be readable by the server, so it is
stored masked: XOR with HMAC-SHA256(SECRET_KEY, device id). Without the settings' secret a
database dump does not reveal it.
"""

import hashlib
import hmac
import secrets
import time
from uuid import UUID

from django.conf import settings

from timeclock.models import Device


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A device answered from memory for at most this long: a revocation takes effect within a
# second (R2.9), and a busy terminal does not cost a query per punch.
DEVICE_CACHE_SECONDS = 1.0
_devices: dict[str, tuple[float, Device]] = {}


def device_for_token(token: str) -> Device | None:
    """The active device holding the token."""
    digest = token_digest(token)
    cached = _devices.get(digest)
    now = time.monotonic()
    if cached is not None and now - cached[0] < DEVICE_CACHE_SECONDS:
        return cached[1]
    rows = Device.objects.select_related("site").filter(
        token_sha256=digest, revoked_at__isnull=True
    )[:1]
    device = next(iter(rows), None)
    if device is None:
        _devices.pop(digest, None)
    else:
        _devices[digest] = (now, device)
    return device


def device_cache_clear() -> None:
    _devices.clear()


def device_for_id(device_id: str) -> Device | None:
    try:
        key = UUID(device_id)
    except ValueError:
        return None
    return Device.objects.select_related("site").filter(pk=key, revoked_at__isnull=True).first()


def _pad(device_id: UUID) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), device_id.bytes, hashlib.sha256).digest()


def signing_key_new(device_id: UUID) -> tuple[str, str]:
    """(signing key for the device, masked value to store), both hex."""
    key = secrets.token_bytes(32)
    masked = bytes(a ^ b for a, b in zip(key, _pad(device_id), strict=True))
    return key.hex(), masked.hex()


def signing_key_of(device: Device) -> bytes:
    masked = bytes.fromhex(device.signing_key_masked)
    return bytes(a ^ b for a, b in zip(masked, _pad(device.pk), strict=True))


def request_signature(key: bytes, method: str, path: str, sent_at: str, body: bytes) -> str:
    """hex HMAC-SHA256 over METHOD, path, the sent-at header and the body's SHA-256."""
    message = "\n".join([method.upper(), path, sent_at, hashlib.sha256(body).hexdigest()])
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
