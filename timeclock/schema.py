"""OpenAPI description of the device credential."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = "timeclock.auth.DeviceAuthentication"
    name = "deviceAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Device <token>, the token shown once when the device was registered",
        }


class SignedDeviceAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    target_class = "timeclock.auth.SignedDeviceAuthentication"
    name = "signedDeviceAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Device-HMAC <device id>, with X-WFM-Sent-At and X-WFM-Signature: hex "
                "HMAC-SHA256 of METHOD\\npath\\nsent-at\\nsha256(body) under the signing key"
            ),
        }
