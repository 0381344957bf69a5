"""E-mail to the operators whose shifts a published version changed: each notice once, even
when two workers send them together."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from scheduling.models import Roster, RosterNotice


def roster_notices_send(*, roster_id: str) -> int:
    """E-mail every operator with an unsent notice of the version; each notice once, even
    when two workers run this together (rows are claimed under a lock)."""
    sent = 0
    with transaction.atomic():
        notices = list(
            RosterNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(roster_id=roster_id, sent_at__isnull=True)
            .select_related("employee__user", "roster__site", "roster__team")
            .order_by("pk")
        )
        for notice in notices:
            user = notice.employee.user
            if user.email:
                send_mail(
                    subject=roster_notice_subject(notice.roster),
                    message=_notice_body(notice.roster, notice.employee.full_name),
                    from_email=None,
                    recipient_list=[user.email],
                )
                sent += 1
        RosterNotice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=timezone.now())
    return sent


def roster_notice_subject(roster: Roster) -> str:
    """The e-mail's subject, also the app's notice when it cannot say it in the reader's
    language."""
    return f"Your schedule from {roster.start_date:%d %b %Y} (version {roster.version})"


def _notice_body(roster: Roster, name: str) -> str:
    scope = roster.team.name if roster.team else roster.site.name
    return (
        f"Hello {name},\n\nThe {scope} roster for {roster.days} days from "
        f"{roster.start_date:%A %d %B %Y} has been published (version {roster.version}) and "
        "changes your shifts. See your schedule or your calendar feed for the details.\n"
    )
