"""Ids read from query strings and posted forms: a malformed id is no id (the page then
answers 404 or its default), never a 500."""

import uuid
from typing import Any


def uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
