"""The forms on a complaint's page that write to its conversation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.attachments.forms import AttachmentsField
from complaints.conversation.services import BODY_MAX_LENGTH


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by staff only; never emailed."),
    )
    attachments = AttachmentsField()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Emailed to the customer; their answer comes back to this page."),
    )
    attachments = AttachmentsField(help_text=_("Optional: photos or PDFs, emailed with the reply."))
