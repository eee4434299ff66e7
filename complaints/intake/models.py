"""The inbound mailbox's bookkeeping: which mails were processed, and the ones put aside.

- :class:`ProcessedMail` has one row per inbound mail, keyed by its Message-ID (a hash of
  the raw bytes when it has none). The row is written in the same transaction as the
  complaint, the customer's message or the quarantine entry the mail made, under a unique
  constraint: two pollers that fetched the same mail, or a poller that fetches it again
  after a worker died, cannot make a second one (the second insert waits for the first
  transaction and then fails).
- :class:`QuarantinedMail` is a mail that made nothing (an auto-reply, a bounce, our own
  mail come back, a mail too big or broken to read): why, from whom, and the raw message as
  a file under ``MEDIA_ROOT`` with a random name, so that nothing is lost.

Imported by ``complaints.models`` so Django registers the models with the app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailOutcome(models.TextChoices):
    COMPLAINT = "complaint", _("New complaint")
    REPLY = "reply", _("Customer's reply on a complaint")
    QUARANTINED = "quarantined", _("Quarantined")


class QuarantineReason(models.TextChoices):
    TOO_LARGE = "too_large", _("Over the size limit")
    BROKEN = "broken", _("Broken MIME structure")
    UNKNOWN_CHARSET = "charset", _("Unknown character set")
    NO_TEXT = "no_text", _("No text part")
    NO_SENDER = "no_sender", _("No sender address")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    BOUNCE = "bounce", _("Bounce or delivery report")
    LOOP = "loop", _("Our own mail came back (a mail loop)")
    FAILED = "failed", _("Processing failed")
    FLOOD = "flood", _("Too many mails from this sender, or from everyone, in an hour")


class ProcessedMail(models.Model):
    """One inbound mail, processed once (see the module's docstring)."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    processed_at = models.DateTimeField(_("processed at"))
    source = models.CharField(_("source"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=12, choices=MailOutcome.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("processed mail")
        verbose_name_plural = _("processed mails")

    def __str__(self) -> str:
        return self.key


class QuarantinedMail(models.Model):
    """An inbound mail that made no complaint and no reply, kept for a person to look at."""

    received_at = models.DateTimeField(_("received at"), db_index=True)
    reason = models.CharField(_("reason"), max_length=12, choices=QuarantineReason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    message_id = models.CharField(_("message ID"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # A random name under MEDIA_ROOT (see complaints.intake.mail.quarantine_file_name).
    raw = models.FileField(_("raw message"), max_length=200)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("quarantined mail")
        verbose_name_plural = _("quarantined mails")

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender} ({self.reason})"


class DepartmentMailAddress(models.Model):
    """The address customers write to about one department (``kitchen-complaints@…``: an alias
    the mail server delivers into the company's mailbox): a new mail to it, in To, Cc,
    Delivered-To or X-Original-To, becomes a complaint of that department. Stored in lower
    case, so unique case-insensitively (complaints.intake.services.department_mail_address_set)."""

    department = models.OneToOneField(
        "people.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    address = models.EmailField(_("complaint address"), unique=True)

    class Meta:
        ordering = ["address"]
        verbose_name = _("department's complaint address")
        verbose_name_plural = _("departments' complaint addresses")

    def __str__(self) -> str:
        return self.address
