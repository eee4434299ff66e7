"""The messages of a complaint's conversation: one row per acknowledgement, note, reply or
customer reply, merged with the complaint's events into the page's timeline.

- An **acknowledgement** is emailed once when the complaint is logged (unique per complaint).
- A **note** is for staff only: never emailed, never shown outside the complaint's page.
- A **reply** is written on the complaint's page and emailed to the customer through the
  outbox (``notification`` is the email that carried it).
- A **customer** message is what the customer wrote back (plain text), recorded once per
  Message-ID by :func:`complaints.conversation.services.complaint_customer_reply_record`.

Imported by ``complaints.models`` so Django registers the model with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "ack", _("Acknowledgement")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Reply to the customer")
    CUSTOMER = "customer", _("Customer's message")


# What the customer may receive: the kinds that are emailed.
EMAILED_KINDS = (MessageKind.ACKNOWLEDGEMENT, MessageKind.REPLY)


class ComplaintMessage(models.Model):
    """One message of a complaint's conversation (see the module's docstring for the kinds)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    at = models.DateTimeField(_("at"))
    # Staff who wrote a note or a reply; empty for the acknowledgement and the customer's messages.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The customer's address: where an email went, or who a customer's message came from.
    address = models.CharField(_("address"), max_length=254, blank=True)
    body = models.TextField(_("text"), blank=True)
    # A customer's message: its Message-ID header, so the same mail read twice is one message.
    message_id = models.CharField(_("message ID"), max_length=255, blank=True)
    notification = models.OneToOneField(
        "notifications.Notification",
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaint_message",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(kind="ack"),
                name="complaint_acknowledged_once",
            ),
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="complaint_message_id_once",
            ),
        ]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_message_at")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
