"""A service's refusal shown where it belongs on a form: beside the field the code (or the
refusal's own field list) names, in the reader's language; else above the form."""

from typing import Any

from django import forms

from organisation.errors import DomainError
from web.messages import PACK_REFUSALS, error_text


def form_refusal(form: forms.Form, exc: DomainError, fields: dict[str, str] | None = None) -> None:
    """`fields` maps refusal codes to the form field they are about."""
    field = (fields or {}).get(exc.code)
    if field is None:
        named: Any = exc.extra.get("fields") or {}
        field = next((name for name in named if name in form.fields), None)
    form.add_error(field, error_text(exc))


def pack_refusal(form: forms.Form, exc: DomainError) -> None:
    """A jurisdiction pack's refusal of a pay policy: each refused field says why, with the
    article (BW art. 7:650, NY Labor Law s. 193...); above the form the refusal itself."""
    form.add_error(None, error_text(exc))
    for refusal in exc.extra.get("refusals") or []:
        why = str(PACK_REFUSALS.get(refusal["code"], error_text(exc)))
        article = refusal.get("article")
        text = f"{why} ({article})." if article else f"{why}."
        form.add_error(refusal["field"] if refusal["field"] in form.fields else None, text)
