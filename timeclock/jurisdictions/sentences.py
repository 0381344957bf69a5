"""The reasons a pack gives on a payslip line it capped (English; translated where shown)."""

from organisation.sentences import gettext_noop

JURISDICTION_SENTENCES = {
    "fine_not_allowed": gettext_noop("{amount} not deducted: {article} does not allow this fine"),
    "fine_no_pack": gettext_noop(
        "{amount} not deducted: no rule pack for the country {country}, so fines are off"
    ),
    "fine_no_acknowledgement": gettext_noop(
        "{amount} not deducted: the employee had not received the written fine rules by {date} "
        "({article})"
    ),
    "fine_no_destination": gettext_noop(
        "{amount} not deducted: the policy names no destination for fines ({article})"
    ),
    "fine_weekly_cap": gettext_noop(
        "reduced to {amount}: fines in the week from {week} are at most half a day's wage, "
        "{cap} ({article})"
    ),
    "fine_weekly_cap_taken": gettext_noop(
        "reduced to {amount}: fines in the week from {week} are at most half a day's wage, "
        "{cap}, and {taken} of it was taken in another pay period ({article})"
    ),
    "fine_amount_not_fixed": gettext_noop(
        "{amount} not deducted: {article} allows only fines of a set amount (lid 4), not per "
        "minute or a multiple of the shift's pay"
    ),
    "fine_workweek_floor": gettext_noop(
        "reduced to {amount}: the week from {week} keeps the minimum wage free and clear "
        "({article})"
    ),
    "fine_workweek_floor_given_back": gettext_noop(
        "{amount} of a fine taken in another pay period given back: the week from {week} "
        "keeps the minimum wage free and clear over both periods ({article})"
    ),
}
