"""Ids and dates read from query strings and posted forms: a malformed id is no id (the page
then answers 404 or its default), never a 500; a date outside the window every date of the
product lies in (the API's, 1970-01-01 .. 2099-12-31) is no date either, so that no date
arithmetic on it leaves the calendar (a day of year 9999 plus one is an OverflowError)."""

import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.api.fields import EARLIEST_DATE, LATEST_DATE


def uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def date_or_none(value: Any) -> date | None:
    """An ISO date inside the window, else None."""
    try:
        day = date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


class SaneDateField(forms.DateField):
    """A form's date inside the window (code date_out_of_range, as the API's)."""

    default_error_messages = {
        **forms.DateField.default_error_messages,
        "date_out_of_range": _("Give a date from 1970-01-01 to 2099-12-31."),
    }

    def to_python(self, value: Any) -> date | None:
        day: date | None = super().to_python(value)
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(
                self.error_messages["date_out_of_range"], code="date_out_of_range"
            )
        return day
