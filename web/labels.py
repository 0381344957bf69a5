"""The codes the services store, in the reader's language (the codes themselves stay
English)."""

from datetime import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    "moved_site": _("Paid across sites"),
    "in": _("In"),
    "out": _("Out"),
    "break_start": _("Break start"),
    "break_end": _("Break end"),
    "none": _("None"),
    "warning": _("Warning"),
    "final_warning": _("Final warning"),
    "dismissal_review": _("Dismissal review"),
    # Decisions on an attendance-points case (issue 25).
    "no_action": _("No action"),
    "warning_given": _("Warning given"),
    "final_warning_given": _("Final warning given"),
    "dismissed": _("Dismissed"),
    "other": _("Other"),
    "REGULAR": _("Regular hours"),
    "OVERTIME": _("Overtime"),
    "NIGHT_PREMIUM": _("Night premium"),
    "EVENING_PREMIUM": _("Evening premium"),
    "WEEKEND_PREMIUM": _("Weekend premium"),
    "SATURDAY_PREMIUM": _("Saturday premium"),
    "SUNDAY_PREMIUM": _("Sunday premium"),
    "HOLIDAY_PREMIUM": _("Holiday premium"),
    "LATENESS_PENALTY": _("Lateness penalty"),
    "ABSENCE_PENALTY": _("Absence penalty"),
    "ADJUSTMENT": _("Adjustment"),
    "TRAINING": _("Training hours"),
    "MENTORING_PREMIUM": _("Mentoring premium"),
    # A site's payroll account fields (the codes page, an export's refusal naming them).
    "adp_company_code": _("ADP company code"),
    "adp_batch_id": _("ADP batch id"),
    "datev_consultant_number": _("DATEV consultant number (BeraterNr)"),
    "datev_client_number": _("DATEV client number (MandantenNr)"),
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
    # Rostering rules (scheduling/rules.py) and working-time rules (working_time.py).
    "unknown_employee": _("Unknown employee"),
    "unknown_template": _("Unknown shift template"),
    "horizon": _("Outside the period"),
    "template_day": _("Day of the shift template"),
    "template_start": _("Start time"),
    "template_length": _("Shift length"),
    "template_not_allowed": _("Shift template not allowed"),
    "skill": _("Skill"),
    "unavailable": _("Availability"),
    "break_window": _("Break placement"),
    "break_overlap": _("Overlapping breaks"),
    "one_shift_per_day": _("One shift a day"),
    "overlap": _("Overlap"),
    "min_rest": _("Rest between shifts"),
    "forbidden_transition": _("Shift order"),
    "max_minutes_total": _("Maximum hours in the period"),
    "min_minutes_total": _("Minimum hours in the period"),
    "max_minutes_per_week": _("Maximum hours a week"),
    "min_minutes_per_week": _("Minimum hours a week"),
    "max_days_per_week": _("Days a week"),
    "max_per_template": _("Shifts of one template"),
    "max_weekends": _("Weekends worked"),
    "max_consecutive_days": _("Days in a row"),
    "min_consecutive_days": _("Minimum days in a row"),
    "min_consecutive_days_off": _("Minimum days off in a row"),
    "pin": _("Pinned shift"),
    "daily_rest": _("Daily rest"),
    "break_after_6h": _("Break after 6 hours"),
    "weekly_rest": _("Weekly rest"),
    "average_48h": _("48-hour average"),
    "night_worker_average": _("Night work average"),
    # Why the engine could not cover an interval (scheduling/solver/diagnose.py).
    "already_working_that_day": _("Already working that day"),
    "no_shift_template_covers_it": _("No shift template covers it"),
    # Training (issue 24): levels, plans, self-study modules.
    "trainee": _("Trainee"),
    "junior": _("Junior"),
    "proficient": _("Proficient"),
    "mentor": _("Mentor"),
    "active": _("Active"),
    "signed_off": _("Signed off"),
    "withdrawn": _("Withdrawn"),
    "video": _("Video"),
    "audio": _("Audio"),
    "document": _("Document"),
}


# A jurisdiction pack's name in the reader's language, by the pack's code (the packs'
# own names, timeclock/jurisdictions, stay English: the README and the API cite them).
PACK_NAMES = {
    "NL": _("Netherlands: Burgerlijk Wetboek art. 7:650"),
    "US": _("United States, federal: FLSA, 29 CFR 531.35 free and clear"),
    "US-NY": _("New York State: Labor Law s. 193, 12 NYCRR part 195"),
    "UNKNOWN": _("No rule pack for this country"),
}


def time_label(local: datetime) -> str:
    """A local time as the pages label an interval or a shift's start and end: "02:00"; the
    second of the autumn day's two 02:00s (fold=1, as astimezone gives it) "02:00 (2nd)"."""
    text = f"{local:%H:%M}"
    return gettext("%(time)s (2nd)") % {"time": text} if local.fold else text


def time_key(local: datetime) -> str:
    """The same time as a query string names an interval of a day: "02:00", "02:00-2"."""
    return f"{local:%H:%M}-2" if local.fold else f"{local:%H:%M}"
