"""Notices: a message to one person about one event, kept in the app and e-mailed once."""

from django.conf import settings
from django.db import models


class Notice(models.Model):
    """A message to one person about one event, created once per (recipient, event) however
    often the event's transaction is retried, and e-mailed once after commit."""

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    event_key = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text="Seen in the app")
    # The subject as a sentence code with its values ({code, values}), for the app to say it
    # in the reader's language; empty for notices written before, which show `subject`.
    sentence = models.JSONField(null=True, blank=True)

    class Meta:
        # Made by the scheduling app before notices served every app; the table stays.
        db_table = "scheduling_notice"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notice_once"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return f"{self.event_key} -> {self.recipient_id}"
