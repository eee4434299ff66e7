"""The form of the archive's "send again"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField
from people.selectors import manager_users


class ReportResendForm(forms.Form):
    recipient = ModelChoiceField(label=_("Send to"), queryset=manager_users().exclude(email=""))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            manager_users().exclude(email="").order_by("last_name", "username")
        )
        self.fields["recipient"].label_from_instance = lambda user: user.get_full_name() or user.username
