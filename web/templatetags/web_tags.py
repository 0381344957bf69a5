"""Template helpers of the web pages: the navigation a user's roles open, minutes as hours."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wfm.models import Employee
from wfm.roles import Role, user_roles

register = template.Library()


@register.inclusion_tag("web/partials/nav.html", takes_context=True)
def web_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    roles = user_roles(request.user)
    links: list[tuple[str, Any]] = []
    if roles & {Role.MANAGER, Role.ADMIN}:
        links += [
            (reverse("web:dashboard"), _("Dashboard")),
            (reverse("web:rosters"), _("Rosters")),
            (reverse("web:attendance"), _("Attendance")),
            (reverse("web:approvals"), _("Approvals")),
        ]
    if roles & {Role.PAYROLL, Role.ADMIN}:
        links += [(reverse("web:periods"), _("Pay periods"))]
    if Employee.objects.filter(user=request.user).exists():
        links += [
            (reverse("web:my-week"), _("My week")),
            (reverse("web:clock"), _("Clock")),
            (reverse("web:swaps"), _("Swaps")),
            (reverse("web:time-off"), _("Time off")),
            (reverse("web:timesheet"), _("Timesheet")),
            (reverse("web:payslips"), _("Payslips")),
            (reverse("web:calendar"), _("Calendar")),
        ]
    path = request.path
    # The longest link the path starts with is the current section (/manager/rosters/... is
    # Rosters, not Dashboard at /manager/); a roster's job page belongs to Rosters too.
    for part in ("/manager/jobs/", "/manager/shifts/"):
        path = path.replace(part, "/manager/rosters/")
    current = max((url for url, _ in links if path.startswith(url)), key=len, default=None)
    return {
        "links": [(url, label, url == current) for url, label in links],
        "request": request,
    }


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as h:mm (420 -> 7:00)."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


# Codes the services store, in the reader's language (the codes themselves stay English).
LABELS = {
    "queued": _("Queued"),
    "running": _("Running"),
    "succeeded": _("Succeeded"),
    "failed": _("Failed"),
    "cancelled": _("Cancelled"),
    "draft": _("Draft"),
    "published": _("Published"),
    "superseded": _("Superseded"),
    "discarded": _("Discarded"),
    "open": _("Open"),
    "closed": _("Closed"),
    "phone": _("Phone"),
    "training": _("Training"),
    "meeting": _("Meeting"),
    "coaching": _("Coaching"),
    "backoffice": _("Back office"),
    "late": _("Late"),
    "absent": _("Absent"),
    "excused": _("Excused"),
    "early_leave": _("Left early"),
    "missing_in": _("Missing clock-in"),
    "missing_out": _("Missing clock-out"),
    "duplicate_suspect": _("Duplicate punch?"),
    "extra_punches": _("Extra punches"),
    "in": _("In"),
    "out": _("Out"),
    "break_start": _("Break start"),
    "break_end": _("Break end"),
    "none": _("None"),
    "warning": _("Warning"),
    "final_warning": _("Final warning"),
    "dismissal_review": _("Dismissal review"),
    "REGULAR": _("Regular hours"),
    "OVERTIME": _("Overtime"),
    "NIGHT_PREMIUM": _("Night premium"),
    "WEEKEND_PREMIUM": _("Weekend premium"),
    "HOLIDAY_PREMIUM": _("Holiday premium"),
    "LATENESS_PENALTY": _("Lateness penalty"),
    "ABSENCE_PENALTY": _("Absence penalty"),
    "ADJUSTMENT": _("Adjustment"),
    "pending": _("Pending"),
    "accepted": _("Accepted"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "expired": _("Expired"),
    "waitlisted": _("Waitlisted"),
    "swap": _("Swap"),
    "give_away": _("Give-away"),
    "add": _("Add a missing punch"),
    "move": _("Move a punch"),
    "void": _("Void a punch"),
}


@register.filter
def label(code: Any) -> Any:
    return LABELS.get(str(code), code)
