"""Notices to people about their requests: written in the event's own transaction (once per
recipient and event, whatever retries), e-mailed by a task after commit, each once."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from organisation.jobs import task_enqueue_on_commit
from organisation.models import Notice


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def notice_many(
    *, recipients: Iterable[AbstractBaseUser | None], event_key: str, message: Message
) -> int:
    """Queue one notice per recipient for the event; the e-mails go out after commit."""
    rows = [
        Notice(recipient=user, event_key=event_key, subject=message.subject, body=message.body)
        for user in {u.pk: u for u in recipients if u is not None}.values()
    ]
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    task_enqueue_on_commit("organisation.notices_send")
    return len(rows)


def notices_send_pending() -> int:
    """E-mail every unsent notice; two workers running this together send each once (rows
    are claimed under a lock, skipping those another worker holds)."""
    sent = 0
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .select_related("recipient")
            .order_by("pk")[:500]
        )
        for notice in notices:
            email = getattr(notice.recipient, "email", "")
            if email:
                send_mail(
                    subject=notice.subject,
                    message=notice.body,
                    from_email=None,
                    recipient_list=[email],
                )
                sent += 1
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=timezone.now())
    return sent
