"""A swap's decision reason in the reader's language. The swap services store the reasons the
system writes (a request cancelled with no reason, declined, approved, expired, cancelled
because its shift was traded) as stable English keys; rows written before these keys (the
manager's default 'rejected by a manager', no longer written: a rejection needs a reason) are
read the same way. A reason a person wrote is shown as they wrote it."""

from django.utils.translation import gettext_lazy as _

from scheduling.services import swaps

SYSTEM_REASONS = {
    swaps.DECLINED: _("Declined by the colleague."),
    swaps.CANCELLED: _("Withdrawn by the requester."),
    swaps.APPROVED: "",  # the status says it all
    swaps.AUTO_APPROVED: _("Approved automatically: every check passed."),
    swaps.TOO_SOON: _("The shift starts too soon."),
    "rejected by a manager": _("Rejected by a manager."),
}


def swap_reason_text(reason: str) -> str:
    """The sentence to show for a stored decision reason ('' for none)."""
    if reason in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[reason])
    if reason.startswith(swaps.TRADED):
        return str(_("Its shift was traded in another request."))
    return reason
