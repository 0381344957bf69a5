"""What the time clock's notices say in the app, by sentence code (organisation.sentences).
Pure."""

from organisation.sentences import gettext_noop

NOTICE_SENTENCES = {
    "correction_to_decide": gettext_noop("Punch correction to decide: {name}"),
    "correction_decided": gettext_noop("Your punch correction: {status}"),
    "points_case_opened": gettext_noop("Attendance points case to decide: {name}"),
}
