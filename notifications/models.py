"""Every email servicecraft sends, and every item a reminder digest carried, is a
:class:`Notification` row. Its unique key (recipient, kind, key, period) makes each email
one row: a second beat tick, a re-delivered task or a re-run of the command finds the row
and does nothing; the row's delivery state (:mod:`common.outbox`) makes it go out at least
once, a second time only after a crash within milliseconds of the server's acceptance.
People's choices are :class:`NotificationSettings`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.outbox import OutboxMessage


class NotificationSettings(models.Model):
    """A person's choices about the emails they receive (the preferences page)."""

    class ReportScope(models.TextChoices):
        AUTO = "auto", _("My department if I head one, otherwise the whole company")
        DEPARTMENT = "department", _("The department I head")
        COMPANY = "company", _("The whole company")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    disabled_kinds = models.JSONField(
        _("reminders switched off"), default=list, blank=True, help_text=_("Codes of reminder kinds.")
    )
    weekly_report = models.BooleanField(_("receive the weekly report"), default=True)
    report_scope = models.CharField(
        _("weekly report covers"), max_length=16, choices=ReportScope.choices, default=ReportScope.AUTO
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)


class Notification(OutboxMessage):
    """An email to a person or to an address (a customer), or an item a digest carried.

    Staff emails have a ``recipient`` (its address and language are read when sending);
    customer emails have ``to_email`` and ``language`` instead. Emails move PENDING →
    SENDING (claimed) → SENT, or FAILED after the last retry (``common.outbox``);
    items share their digest's status.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to_email = models.EmailField(
        _("to address"), blank=True, help_text=_("For an email to someone without an account (a customer).")
    )
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("For an email to an address: its language.")
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("subject key"), max_length=200, blank=True)
    period = models.CharField(
        _("period"), max_length=16, help_text=_("A day, a week (2026-W48) or a window.")
    )
    text = models.CharField(_("text"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("digest"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key", "period"], name="notification_once_per_period"
            ),
            # NULLs are distinct in a unique index: emails to an address need their own.
            models.UniqueConstraint(
                fields=["kind", "key", "period"],
                condition=models.Q(recipient__isnull=True),
                name="address_email_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_email=""),
                name="notification_has_a_recipient",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.period} → {self.recipient or self.to_email}"

    @property
    def address(self) -> str:
        """Where the email goes: the recipient's address, or the one given for a customer."""
        return self.recipient.email if self.recipient_id else self.to_email
