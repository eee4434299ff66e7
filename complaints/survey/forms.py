"""Forms of the satisfaction survey: the customer's comment, and the manager's switches."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Channel
from complaints.survey.models import SurveyAnswer
from complaints.survey.services import COMMENT_MAX_LENGTH


class SurveyCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Anything you would like to add? (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class SurveyAnswerForm(forms.Form):
    """The customer's answer, chosen by the link they clicked, and an optional comment."""

    answer = forms.ChoiceField(
        label=_("Are you satisfied with how we resolved your complaint?"),
        choices=[
            (SurveyAnswer.SATISFIED, _("Yes, satisfied")),
            (SurveyAnswer.NOT_SATISFIED, _("No, not satisfied")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Anything you would like to add? (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class SurveySettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Send customers the satisfaction survey after a complaint is resolved"), required=False
    )
    channels = forms.MultipleChoiceField(
        label=_("For complaints received by"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick a channel to send no survey for its complaints."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    @staticmethod
    def initial_for(settings_row) -> dict:
        return {
            "enabled": settings_row.enabled,
            "channels": [value for value in Channel.values if value not in settings_row.disabled_channels],
        }

    def disabled_channels(self) -> list[str]:
        return [value for value in Channel.values if value not in self.cleaned_data["channels"]]
