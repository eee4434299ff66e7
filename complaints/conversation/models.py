"""The messages of a complaint's conversation: one row per acknowledgement, note, reply or
customer reply, merged with the complaint's events into the page's timeline.

- An **acknowledgement** is emailed once when the complaint is logged (unique per complaint).
- A **note** is for staff only: never emailed, never shown outside the complaint's page.
- A **reply** is written on the complaint's page and emailed to the customer through the
  outbox (``notification`` is the email that carried it).
- A **customer** message is what the customer wrote back (plain text), recorded once per
  Message-ID by :func:`complaints.conversation.services.complaint_customer_reply_record`.

A **canned reply** is a text managers prepare for a kind of complaint (a root cause, or
any), in one language or any; staff start a reply from it on the complaint's page
(:mod:`complaints.conversation.placeholders` fills in the customer's name and the like).

Imported by ``complaints.models`` so Django registers the models with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import RootCause


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


class CannedReply(models.Model):
    """A prepared reply text for the complaints of one root cause (blank: any complaint), in
    one language (blank: any). Only active ones are offered on the complaint's page."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    root_cause = models.CharField(
        _("root cause"),
        max_length=12,
        choices=RootCause.choices,
        blank=True,
        help_text=_("The complaints it fits; empty: any complaint."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The customer's language it is written in; empty: any language."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active replies are offered on the complaint's page.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    class Meta:
        ordering = ["root_cause", "language", "title", "id"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        constraints = [
            # One title per root cause and language, whatever its capitals: two "Apology"
            # replies for the same complaints could not be told apart in the choice.
            models.UniqueConstraint(Lower("title"), "root_cause", "language", name="canned_reply_title_once"),
        ]

    def __str__(self) -> str:
        return self.title
