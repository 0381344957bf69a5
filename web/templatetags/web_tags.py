"""Template helpers of the web pages: the navigation a user's roles open, minutes as hours."""

from datetime import date, datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisation.models import Employee
from organisation.roles import MANAGERS, Role, user_roles
from scheduling.solver.precheck import PRECHECK_SENTENCES
from scheduling.solver.training_outcome import TRAINING_SENTENCES
from web import sentences
from web.labels import LABELS, PACK_NAMES, time_label
from web.messages import violation_text

register = template.Library()


@register.inclusion_tag("web/partials/nav.html", takes_context=True)
def web_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    roles = user_roles(request.user)
    links: list[tuple[str, Any]] = []
    if roles & MANAGERS:
        links += [
            (reverse("web:dashboard"), _("Dashboard")),
            (reverse("web:intraday"), _("Intraday")),
            (reverse("web:rosters"), _("Rosters")),
            (reverse("web:attendance"), _("Attendance")),
            (reverse("web:adherence"), _("Adherence")),
            (reverse("web:approvals"), _("Approvals")),
            (reverse("web:queues"), _("Planning")),
            (reverse("web:templates"), _("Set-up")),
            (reverse("web:training"), _("Training")),
        ]
    if roles & {Role.PAYROLL, Role.ADMIN}:
        links += [
            (reverse("web:periods"), _("Pay periods")),
            (reverse("web:policies"), _("Pay policies")),
        ]
    if Employee.objects.filter(user=request.user).exists():
        links += [
            (reverse("web:my-week"), _("My week")),
            (reverse("web:clock"), _("Clock")),
            (reverse("web:swaps"), _("Swaps")),
            (reverse("web:my-offers"), _("Offers")),
            (reverse("web:time-off"), _("Time off")),
            (reverse("web:my-availability"), _("Availability")),
            (reverse("web:timesheet"), _("Timesheet")),
            (reverse("web:my-adherence"), _("My adherence")),
            (reverse("web:payslips"), _("Payslips")),
            (reverse("web:calendar"), _("Calendar")),
            (reverse("web:my-training"), _("My training")),
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


@register.filter(expects_localtime=True)
def clock(value: datetime) -> str:
    """A time as the pages label it in the current zone: "02:00"; the autumn day's second
    02:00 "02:00 (2nd)"."""
    return time_label(value)


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as h:mm (420 -> 7:00)."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


@register.filter
def label(code: Any) -> Any:
    return LABELS.get(str(code), code)


@register.filter
def pack_name(pack: Any) -> Any:
    """A jurisdiction pack's name in the reader's language (a pack unknown here: its own)."""
    return PACK_NAMES.get(pack.code, pack.name)


@register.filter
def pay_reason(line: dict[str, Any]) -> str:
    """Why a pay line is there, in the reader's language."""
    return sentences.say(line.get("reason") or [], sentences.PAY) or line["rule"]


@register.filter
def pay_sentence(sentence: Any) -> str:
    """One pay sentence (a payslip's or review's warning), in the reader's language."""
    return sentences.say([sentence], sentences.PAY)


register.filter("violation_text", violation_text)


@register.filter
def working_time_text(issue: dict[str, Any]) -> str:
    """What a working-time warning (working_time.py) says, in the reader's language."""
    reason = issue.get("reason")
    return (reason and sentences.say([reason], sentences.WORKING_TIME)) or issue["message"]


@register.filter
def contradiction_text(found: dict[str, Any]) -> str:
    """What a roster build's contradiction (solver/precheck.py) says, in the reader's
    language where it has a sentence."""
    reason = found.get("reason")
    return (reason and sentences.say([reason], PRECHECK_SENTENCES)) or found["message"]


@register.filter
def shortfall_text(found: dict[str, Any]) -> str:
    """Training a roster could not give (roster.solver's training_shortfalls), in the
    reader's language; a shortfall stored before it had a sentence shows its English text."""
    reason = found.get("reason")
    return (reason and sentences.say([reason], TRAINING_SENTENCES)) or found.get("message", "")


@register.filter
def local_slots(starts: list[str]) -> list[str]:
    """The site's wall-clock starts of intervals (ISO, as a roster's shortfalls store them)
    as the reader's language writes a day and time."""
    return [date_format(datetime.fromisoformat(start), gettext("D j M H:i")) for start in starts]


@register.filter
def isodate(value: str | None) -> date | None:
    """An ISO date string (as the services' JSON carries it) as a date, for |date."""
    return date.fromisoformat(value) if value else None
