"""Device tokens: only their SHA-256 is stored; a lookup hits the database every time, so a
revoked device is refused on its very next call (R2.9)."""

import hashlib

from timeclock.models import Device


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_for_token(token: str) -> Device | None:
    """The active device holding the token."""
    return (
        Device.objects.select_related("site")
        .filter(token_sha256=token_digest(token), revoked_at__isnull=True)
        .first()
    )
