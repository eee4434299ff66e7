"""Forms of the metrics pages: the upload, the dashboard filters, the LTV calculator."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ListSelect
from metrics import analysis


class DashboardFilterForm(forms.Form):
    PERIODS = [("month", _("Last month")), ("quarter", _("Last 3 months")), ("year", _("Last 12 months"))]

    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    # A row per department: printed without a template per option (common.forms.ListSelect).
    department = forms.TypedChoiceField(
        label=_("Department"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=ListSelect(attrs={"class": "form-select", "data-testid": "department-filter"}),
    )

    def __init__(self, *args, departments: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (str(d["id"]), d["name"]) for d in departments
        ]


class LtvCalculatorForm(forms.Form):
    """The articles' calculator; its defaults are the articles' example ($100, 10 years, 5 friends)."""

    monthly_revenue = forms.DecimalField(
        label=_("Revenue a month"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=analysis.DEFAULT_MONTHLY_REVENUE,
    )
    years = forms.DecimalField(
        label=_("Years"), min_value=0, max_value=100, decimal_places=1, initial=analysis.DEFAULT_YEARS
    )
    referred_friends = forms.DecimalField(
        label=_("Friends brought"),
        min_value=0,
        max_value=1000,
        decimal_places=1,
        initial=analysis.DEFAULT_REFERRED_FRIENDS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.field_class = ""
        self.helper.add_input(Submit("calculate", _("Calculate"), css_class="btn-outline-primary"))
