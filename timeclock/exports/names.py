"""File names of the exports: no spaces, the site's slug and the period's first day
(`payroll_new-york_2026-10-26.csv`); ADP's paydata file keeps the name ADP asks for, with the
company code the stored file holds (frozen at the export, whatever the account says now)."""

import re

from django.db.models import BinaryField
from django.db.models.functions import Substr
from django.utils.text import slugify

from timeclock.models import PayPeriod, PayrollExport

NAMES = {
    "csv": ("payroll", "csv"),
    "xlsx": ("payroll", "xlsx"),
    "records": ("records", "csv"),
    "billable": ("billable", "csv"),
    "adp": ("paydata", "csv"),  # a paydata file with no rows (no Co Code to name it by)
    "datev": ("lodas", "txt"),
}
CONTENT_TYPES = {
    "csv": "text/csv",
    "records": "text/csv",
    "billable": "text/csv",
    "adp": "text/csv",
    "datev": "text/plain; charset=us-ascii",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEAD_BYTES = 512  # enough of a paydata file for its header row and its first row's Co Code
_CO_CODE = re.compile(r"[A-Za-z0-9_]{3}")


def export_file_name(*, period: PayPeriod, format: str, head: bytes = b"") -> str:
    """The download's file name: `<kind>_<site slug>_<first day>.<ext>`, or PR<co>EPI.csv
    with the Co Code of the file's first row (`head`: the stored file's first bytes)."""
    if format == "adp":
        code = adp_company_code(head)
        if code:
            return f"PR{code}EPI.csv"
    prefix, suffix = NAMES.get(format, (format, "csv"))
    slug = slugify(period.site.name) or "site"
    return f"{prefix}_{slug}_{period.start_date.isoformat()}.{suffix}"


def adp_company_code(head: bytes) -> str:
    """The Co Code of a paydata file's first row ("" when it has none)."""
    lines = bytes(head[:HEAD_BYTES]).decode("utf-8", "replace").split("\n")
    first = lines[1].split(",", 1) if len(lines) > 1 else []
    return first[0] if len(first) > 1 and _CO_CODE.fullmatch(first[0]) else ""


def stored_export_name(*, period: PayPeriod, format: str) -> str:
    """The name of a period's stored export (for ADP: read from the file's first bytes)."""
    head = b""
    if format == "adp":
        found = (
            PayrollExport.objects.filter(period=period, format=format, superseded_at__isnull=True)
            .annotate(head=Substr("content", 1, HEAD_BYTES, output_field=BinaryField()))
            .values_list("head", flat=True)
            .first()
        )
        head = bytes(found or b"")
    return export_file_name(period=period, format=format, head=head)
