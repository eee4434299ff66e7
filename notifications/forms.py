"""Forms of the notification pages."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationSettings
from notifications.registry import ReminderKind


class NotificationPreferencesForm(forms.Form):
    enabled_kinds = forms.MultipleChoiceField(
        label=_("Reminders I receive"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At most one reminder email a day; each item at most once per period."),
    )
    weekly_report = forms.BooleanField(label=_("Send me the weekly report"), required=False)
    report_scope = forms.ChoiceField(
        label=_("The weekly report covers"), choices=NotificationSettings.ReportScope.choices
    )

    def __init__(
        self,
        *args,
        preference: NotificationSettings,
        is_manager: bool,
        kinds: list[ReminderKind],
        **kwargs,
    ):
        disabled = set(preference.disabled_kinds)
        kwargs.setdefault(
            "initial",
            {
                "enabled_kinds": [kind.code for kind in kinds if kind.code not in disabled],
                "weekly_report": preference.weekly_report,
                "report_scope": preference.report_scope,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["enabled_kinds"].choices = [(kind.code, kind.label) for kind in kinds]
        if not is_manager:
            del self.fields["weekly_report"]
            del self.fields["report_scope"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
