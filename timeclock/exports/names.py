"""File names of the exports: no spaces, the site's slug and the period's first day
(`payroll_new-york_2026-10-26.csv`); ADP's paydata file keeps the name ADP asks for."""

from django.utils.text import slugify

from timeclock.models import PayPeriod, PayrollSiteAccount

NAMES = {
    "csv": ("payroll", "csv"),
    "xlsx": ("payroll", "xlsx"),
    "records": ("records", "csv"),
    "billable": ("billable", "csv"),
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


def export_file_name(*, period: PayPeriod, format: str) -> str:
    """The download's file name: `<kind>_<site slug>_<first day>.<ext>`, or PR<co>EPI.csv."""
    if format == "adp":
        account = PayrollSiteAccount.objects.filter(site_id=period.site_id).first()
        if account is not None and account.adp_company_code:
            return f"PR{account.adp_company_code}EPI.csv"
    prefix, suffix = NAMES.get(format, (format, "csv"))
    slug = slugify(period.site.name) or "site"
    return f"{prefix}_{slug}_{period.start_date.isoformat()}.{suffix}"
