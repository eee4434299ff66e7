"""The forms on a complaint's page that write to its conversation, and the managers' form of a
canned reply."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.forms import SingleLineCharField
from complaints.attachments.forms import AttachmentsField
from complaints.conversation.services import BODY_MAX_LENGTH, CANNED_TITLE_MAX_LENGTH
from complaints.models import RootCause


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


class CannedReplyForm(forms.Form):
    title = SingleLineCharField(
        label=_("Title"),
        max_length=CANNED_TITLE_MAX_LENGTH,
        help_text=_("What staff choose from on the complaint's page, e.g. “Apology for the delay”."),
    )
    root_cause = forms.ChoiceField(
        label=_("For complaints with the root cause"),
        choices=[("", _("any root cause"))] + RootCause.choices,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("any language"))] + list(settings.LANGUAGES),
        required=False,
        help_text=_("Offered for customers writing in this language."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The email greets the customer by name itself: start with what follows the greeting. "
            "Staff can change it before sending. The placeholders below are filled in."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Active: offered on the complaint's page"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "canned-reply-form"
        self.helper.add_input(Submit("save", _("Save")))

    @classmethod
    def initial_for(cls, canned_reply) -> dict:
        return {
            "title": canned_reply.title,
            "root_cause": canned_reply.root_cause,
            "language": canned_reply.language,
            "body": canned_reply.body,
            "is_active": canned_reply.is_active,
        }
