"""Notices to people about their requests: written in the event's own transaction (once per
recipient and event, whatever retries), e-mailed by a task after commit, each once."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from organisation.jobs import task_enqueue_on_commit
from organisation.models import Notice
from organisation.sentences import Sentence


@dataclass(frozen=True)
class Message:
    subject: str  # English, for the e-mail (and the app when there is no sentence)
    body: str
    sentence: Sentence | None = None  # the subject as a code with values, for the app


def notice_many(
    *,
    recipients: Iterable[AbstractBaseUser | None],
    event_key: str,
    message: Message,
    email: bool = True,
) -> int:
    """Queue one notice per recipient for the event; the e-mails go out after commit
    (`email=False`: in the app only, for events another service e-mails already)."""
    sentence = message.sentence.as_json() if message.sentence else None
    rows = [
        Notice(
            recipient=user,
            event_key=event_key,
            subject=message.subject,
            body=message.body,
            sentence=sentence,
            sent_at=None if email else timezone.now(),
        )
        for user in {u.pk: u for u in recipients if u is not None}.values()
    ]
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    if email:
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


def notices_mark_read(
    *, user: AbstractBaseUser, notice_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Mark the user's unread notices (all, or those of `notice_ids`) as read; others' are
    never touched. Returns how many changed."""
    rows = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        rows = rows.filter(pk__in=list(notice_ids))
    return rows.update(read_at=now or timezone.now())


def notices_withdraw(*, event_key: str) -> int:
    """Take back every notice of an event that no longer stands (a withdrawn offer): gone
    from the app, and not e-mailed if not sent yet. Returns how many."""
    deleted, _ = Notice.objects.filter(event_key=event_key).delete()
    return deleted
