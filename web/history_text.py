"""What the history reader (scheduling/history_csv.py, pure, English) says about a file and
its rows, in the reader's language. A sentence this module does not know stays English."""

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

FIXED = {
    gettext_noop("The file is empty."),
    gettext_noop("The file has a header but no rows."),
    gettext_noop("The file is not UTF-8 text."),
    gettext_noop("Bad rows in the history file"),
    gettext_noop("A history needs at least two intervals to know their length."),
    gettext_noop("Intervals of different lengths in one file"),
    gettext_noop("The file holds no calls."),
    gettext_noop("interval_start is not a date and time"),
    gettext_noop("calls is not a number"),
    gettext_noop("calls is negative"),
    gettext_noop("aht_seconds is not a non-negative number"),
    gettext_noop("duplicate interval_start"),
    gettext_noop("arrival time is not a date and time"),
    gettext_noop("handle time is not a non-negative number"),
}
# (pattern of the English sentence, its template with the pattern's groups by name)
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Not a readable CSV file"), gettext_noop("Not a readable CSV file.")),
    (
        re.compile(r"^Unknown columns"),
        gettext_noop(
            "Unknown columns: expected interval_start,calls[,aht_seconds] or per-call records "
            "(date,vru_entry,outcome,ser_time or arrived_at,handle_seconds)."
        ),
    ),
    (
        re.compile(r"^Interval length (?P<minutes>\d+) min does not divide a day\.$"),
        gettext_noop("Interval length %(minutes)s min does not divide a day."),
    ),
    (
        re.compile(r"^not on the (?P<minutes>\d+)-minute grid$"),
        gettext_noop("not on the %(minutes)s-minute grid"),
    ),
    (
        re.compile(r"^(?P<time>.+) does not exist in (?P<zone>\S+)$"),
        gettext_noop("%(time)s does not exist in %(zone)s (the clocks went forward)"),
    ),
]


def _say(text: str) -> str:
    if text in FIXED:
        return _(text)
    for pattern, template in PATTERNS:
        found = pattern.search(text)
        if found:
            values: dict[str, Any] = found.groupdict()
            return _(template) % values if values else _(template)
    return text


def history_problem(text: str) -> str:
    """What is wrong with the file as a whole."""
    return _say(text)


def row_message(text: str) -> str:
    """What is wrong with one row."""
    return _say(text)
