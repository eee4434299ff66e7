"""An attachment: a photo or a PDF kept with a complaint (sent with it by the customer) or
with one message of its conversation (a note, a reply, the customer's emailed answer).

The file lives under ``MEDIA_ROOT/complaint-attachments/YYYY/MM/`` with a random name that
owes nothing to the one its sender gave (that one is kept for display only), so it cannot be
guessed; it is served only through the complaint's permission check, as a download.

Imported by ``complaints.models`` so Django registers the model with the app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    FORM = "form", _("Public form")
    EMAIL = "email", _("Email")


class Attachment(models.Model):
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # Empty: sent with the complaint itself (the public form, the mail that opened it).
    message = models.ForeignKey(
        "complaints.ComplaintMessage",
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    source = models.CharField(_("source"), max_length=10, choices=AttachmentSource.choices)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.name}"
