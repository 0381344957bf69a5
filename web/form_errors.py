"""A service's refusal shown where it belongs on a form: beside the field the code (or the
refusal's own field list) names, in the reader's language; else above the form."""

from typing import Any

from django import forms

from organisation.errors import DomainError
from web.messages import error_text


def form_refusal(form: forms.Form, exc: DomainError, fields: dict[str, str] | None = None) -> None:
    """`fields` maps refusal codes to the form field they are about."""
    field = (fields or {}).get(exc.code)
    if field is None:
        named: Any = exc.extra.get("fields") or {}
        field = next((name for name in named if name in form.fields), None)
    form.add_error(field, error_text(exc))
