"""Domain errors in the reader's language: the services speak English with a stable code;
the pages show a translated sentence for the codes a form can meet, else the service's text."""

from django.utils.translation import gettext_lazy as _

from wfm.errors import DomainError

BY_CODE = {
    "roster_period_in_past": _("The period starts in the past."),
    "roster_period_too_long": _("The period is too long."),
    "roster_period_overlaps": _("Another roster of this team or site overlaps the period."),
    "roster_no_operators": _("Nobody in this team is employed in the period."),
    "roster_no_templates": _("The site has no shift templates."),
    "roster_no_staffing": _("There is no staffing requirement for the period."),
    "templates_cannot_cover": _("Some demand cannot be covered by any shift template."),
    "roster_edit_breaks_rules": _(
        "The change breaks rostering rules: give a reason and tick override to keep it."
    ),
    "shift_overlap": _("The shift overlaps another shift of the same person."),
    "roster_superseded": _("A newer version of this roster is already published."),
    "working_time_violations": _("The roster breaks working-time rules."),
    "period_not_open": _("The period is not open."),
    "period_not_closed": _("Close the period before exporting it."),
    "period_has_exceptions": _(
        "Missing punches remain: resolve them, or give a reason to close anyway."
    ),
    "adjustments_need_approval": _("Approve the adjustments for earlier periods to close."),
    "pay_period_overlaps": _("The period overlaps an existing one."),
    "roster_not_draft": _("Only a draft can be changed this way."),
    "shift_outside_period": _("The shift lies outside the roster's period."),
    "roster_rules_contradict": _("The rules contradict each other for some people."),
    "roster_not_found_in_time": _("No roster was found in the time limit: allow more time."),
    "reauthentication_required": _("Log in again to clock in or out."),
    "remote_clock_not_allowed": _("Clocking in from home is not allowed for you."),
    "invalid_input": _("Invalid input."),
}


def error_text(exc: DomainError) -> str:
    return str(BY_CODE.get(exc.code, exc.message))


def code_text(code: str, fallback: str) -> str:
    return str(BY_CODE.get(code, fallback))
