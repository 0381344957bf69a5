"""Device credentials. The bearer token: only its SHA-256 is stored, and a lookup hits the
database every time, so a revoked device is refused on its very next call (R2.9).

The signing key (for HMAC-signed requests, R2.10) must be readable by the server, so it is
stored masked: XOR with HMAC-SHA256(SECRET_KEY, device id). Without the settings' secret a
database dump does not reveal it.
"""

import hashlib
import hmac
import secrets
from uuid import UUID

from django.conf import settings

from timeclock.models import Device


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_for_token(token: str) -> Device | None:
    """The active device holding the token, read from the database on every request: a
    revocation takes effect on the very next request on every worker (R2.9; a primary-key
    lookup on a unique index costs less than the punches the request carries)."""
    rows = Device.objects.select_related("site").filter(
        token_sha256=token_digest(token), revoked_at__isnull=True
    )[:1]
    return next(iter(rows), None)


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
