"""Forms of the pulse survey: the customer's answer, and the managers' switch."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.survey.pulse.models import ProblemAbout, PulseInvitation, ToldUs
from complaints.survey.pulse.services import COMMENT_MAX_LENGTH, PulseAnswer

YES, NO = "yes", "no"


class PulseAnswerForm(forms.Form):
    """The customer's answer: the questions of the email, in the order a customer thinks them."""

    satisfaction = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with us?"),
        choices=[(str(score), str(score)) for score in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a score from 1 to 5.")},
    )
    problem = forms.ChoiceField(
        label=_("Did anything go wrong?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")},
    )
    told = forms.ChoiceField(
        label=_("Did you tell us about it?"),
        choices=ToldUs.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    about = forms.ChoiceField(
        label=_("What was it about?"),
        choices=ProblemAbout.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything you would like to add? (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend? (optional)"),
        choices=[(str(score), str(score)) for score in range(0, 11)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, window_days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].label = ngettext(
            "In the last %(days)s day, did anything go wrong?",
            "In the last %(days)s days, did anything go wrong?",
            window_days,
        ) % {"days": window_days}

    @staticmethod
    def initial_for(invitation: PulseInvitation, *, satisfaction: str | None = None) -> dict:
        """The recorded answer; before one, the score chosen in the email (``?satisfaction=``)."""
        if invitation.answered_at is None:
            return {"satisfaction": satisfaction} if satisfaction in {"1", "2", "3", "4", "5"} else {}
        return {
            "satisfaction": str(invitation.satisfaction),
            "problem": YES if invitation.problem else NO,
            "told": invitation.told,
            "about": invitation.about,
            "comment": invitation.comment,
            "recommend": "" if invitation.recommend is None else str(invitation.recommend),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("problem") == YES and not cleaned.get("told"):
            self.add_error("told", _("Please say whether you told us (“No” is a fine answer)."))
        return cleaned

    def answer(self) -> PulseAnswer:
        data = self.cleaned_data
        problem = data["problem"] == YES
        return PulseAnswer(
            satisfaction=data["satisfaction"],
            problem=problem,
            told=data["told"] if problem else "",
            about=data["about"] if problem else "",
            comment=data["comment"],
            recommend=data["recommend"],
        )


class PulseSwitchForm(forms.Form):
    enabled = forms.BooleanField(required=False)


class PreviewForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
