"""The default permission: a logged-in person. Device credentials are refused here (403);
only the time clock's device views admit them."""

from typing import Any

from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request


class IsPerson(IsAuthenticated):
    message = "This endpoint is for people, not devices."

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(request.user, "is_device", False):
            return False
        return super().has_permission(request, view)
