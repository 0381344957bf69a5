"""What scheduling's notices say in the app, by sentence code (organisation.sentences): the
shift's local day and times, the person, the outcome. The e-mail keeps its English subject;
the web shows these in the reader's language. Pure."""

from organisation.sentences import gettext_noop

NOTICE_SENTENCES = {
    "roster_published": gettext_noop("Your schedule from {day} has changed (version {version})"),
    "swap_offered": gettext_noop("{name} offers you a swap of their shift on {day} {start}-{end}"),
    "give_away_offered": gettext_noop("{name} offers you their shift on {day} {start}-{end}"),
    "open_shift_posted": gettext_noop("Open shift on {day} {start}-{end}, offered by {name}"),
    "swap_to_approve": gettext_noop("To approve: {name} takes the shift on {day} {start}-{end}"),
    "swap_decided": gettext_noop("The trade of the shift on {day} {start}-{end}: {status}"),
    "time_off_to_decide": gettext_noop("Time off to decide: {name}, {day} to {last}"),
    "time_off_decided": gettext_noop("Your time off from {day} to {last}: {status}"),
    "cover_needed": gettext_noop("{name} is on leave: {count} shifts to cover"),
    "vto_offered": gettext_noop(
        "Voluntary time off offered on {queue} from {day} {start}: first come, first served"
    ),
    "vto_window_offered": gettext_noop(
        "Voluntary time off offered on {queue} on {day} {start}-{end}: first come, first served"
    ),
    "overtime_offered": gettext_noop(
        "Overtime offered on {queue} on {day} {start}-{end}: first come, first served"
    ),
}
