"""Forms of the programme pages. Values are entered as people read them (85 for 85 %) and
handed to the services as they are stored (0.85)."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Hidden, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ListSelect, ModelChoiceField, PlausibleDateField
from common.programme import programme_setting
from complaints.models import ActionKind
from complaints.selectors import assignable_users
from people.forms import DateInput
from people.models import Department
from people.selectors import manager_users
from programme import rules
from programme.figures import BY_KEY, HIGHER, LOWER, figure_choices
from programme.models import EntryKind, GoldenRule, Outcome
from standards.models import Standard, StandardStatus


def _helper(label, *, form_id: str = "", hidden: str = "") -> FormHelper:
    helper = FormHelper()
    if form_id:
        helper.form_id = form_id
    helper.add_input(Submit("save", label))
    if hidden:
        helper.add_input(Hidden("form", hidden))
    return helper


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


# --- the charter ---------------------------------------------------------------------------


class EntryProposeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I want to add"),
        choices=[
            (EntryKind.BENEFIT, _("A benefit for our company")),
            (EntryKind.FEAR, _("A fear or a doubt")),
        ],
        widget=forms.RadioSelect,
        initial=EntryKind.BENEFIT,
    )
    text = forms.CharField(
        label=_("In your own words"),
        min_length=10,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you have seen yourself convinces more than any article."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add to the brainstorm"), form_id="propose-form")


class EntryManageForm(forms.Form):
    in_charter = forms.BooleanField(label=_("Put it in the next charter"), required=False)
    answer = forms.CharField(
        label=_("Our answer to this fear"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer_figure = forms.ChoiceField(
        label=_("The figure that will show it"),
        required=False,
        help_text=_("Measure the difference: which of the programme's figures proves or disproves the fear?"),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_figure"].choices = [("", "—"), *figure_choices()]
        if kind != EntryKind.FEAR:
            del self.fields["answer"]
            del self.fields["answer_figure"]
        self.helper = _helper(_("Save"), form_id="entry-form", hidden="manage")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("in_charter") and "answer" in self.fields and not data.get("answer"):
            self.add_error("answer", _("A fear goes into the charter with its answer."))
        return data


class EntryMergeForm(forms.Form):
    target = ModelChoiceField(label=_("Merge this entry into"), queryset=None)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda entry: entry.text[:90]
        self.helper = _helper(_("Merge"), form_id="merge-form", hidden="merge")


class CharterPublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed, in a sentence"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Publish the charter"), form_id="publish-form")


# --- targets ---------------------------------------------------------------------------------


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    figure = forms.ChoiceField(label=_("Figure"))
    direction = forms.ChoiceField(
        label=_("Better when"),
        choices=[("", _("As usual for the figure")), (HIGHER, _("Higher")), (LOWER, _("Lower"))],
        required=False,
        help_text=_("Promises kept: higher; complaints, churn, time to resolve: lower."),
    )
    value = forms.FloatField(
        label=_("Target for the whole company"),
        min_value=0,
        help_text=_("As the figure reads: 85 for 85 %, days for times, your currency for money."),
    )
    owner = ModelChoiceField(label=_("Owner"), queryset=None)
    note = forms.CharField(
        label=_("Why this value"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = figure_choices()
        self.fields["owner"].queryset = manager_users().order_by("first_name", "last_name", "username")
        self.fields["owner"].label_from_instance = _person
        self.departments = list(departments)
        for department in self.departments:
            self.fields[f"department_{department.pk}"] = forms.FloatField(
                label=department.name, required=False, min_value=0
            )
        self.helper = _helper(_("Save the target"), form_id="target-form")
        self.helper.layout = Layout(
            Fieldset("", "year", "figure", "direction", "value", "owner", "note"),
            Fieldset(
                _("Department targets (optional, for figures kept per department)"),
                *(f"department_{department.pk}" for department in self.departments),
            ),
        )

    @property
    def department_fields(self) -> list:
        return [self[f"department_{department.pk}"] for department in self.departments]

    def clean(self) -> dict:
        data = super().clean()
        figure = BY_KEY.get(data.get("figure", ""))
        if figure is None:
            return data
        scale = figure.scale
        data["direction"] = data.get("direction") or figure.better
        if data.get("value") is not None:
            data["value"] = data["value"] / scale
        values = {}
        for department in self.departments:
            value = data.get(f"department_{department.pk}")
            if value is None:
                continue
            if not figure.per_department:
                self.add_error(
                    f"department_{department.pk}", _("This figure exists for the whole company only.")
                )
            values[department] = value / scale
        data["department_values"] = values
        return data

    @staticmethod
    def initial_for(target) -> dict:
        scale = BY_KEY[target.figure].scale
        initial = {
            "year": target.year,
            "figure": target.figure,
            "direction": target.direction,
            "value": round(target.value * scale, 4),
            "owner": target.owner_id,
            "note": target.note,
        }
        for item in target.department_values.all():
            initial[f"department_{item.department_id}"] = round(item.value * scale, 4)
        return initial


class LeadForm(forms.Form):
    user = ModelChoiceField(label=_("New programme lead"), queryset=None)
    started_on = PlausibleDateField(label=_("From"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = manager_users().order_by("first_name", "last_name", "username")
        self.fields["user"].label_from_instance = _person
        self.helper = _helper(_("Appoint"), form_id="lead-form")


# --- the golden rules -------------------------------------------------------------------------

SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]


def _scores() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "form-check-input"})


class GoldenRulesReviewForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))
    department = ModelChoiceField(
        label=_("Scope"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("The whole company"),
    )
    product_quality = forms.TypedChoiceField(
        label=GoldenRule.PRODUCT_QUALITY.label, choices=SCORE_CHOICES, coerce=int, widget=_scores()
    )
    current_standards = forms.TypedChoiceField(
        label=GoldenRule.CURRENT_STANDARDS.label, choices=SCORE_CHOICES, coerce=int, widget=_scores()
    )
    timeliness = forms.TypedChoiceField(
        label=GoldenRule.TIMELINESS.label, choices=SCORE_CHOICES, coerce=int, widget=_scores()
    )
    complaint_system = forms.TypedChoiceField(
        label=GoldenRule.COMPLAINT_SYSTEM.label, choices=SCORE_CHOICES, coerce=int, widget=_scores()
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, quarters: list[rules.Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(quarter.label, quarter.label) for quarter in quarters]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_quarter(self) -> rules.Quarter:
        quarter = rules.Quarter.parse(self.cleaned_data["quarter"])
        if quarter is None:
            raise forms.ValidationError(_("Choose a quarter."))
        return quarter

    @property
    def score_fields(self) -> list:
        return [self[rule.value] for rule in GoldenRule]


class ReviewScopeForm(forms.Form):
    """The quarter and scope whose evidence the review page shows (GET)."""

    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    department = ModelChoiceField(
        label=_("Scope"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("The whole company"),
    )

    def __init__(self, *args, quarters: list[rules.Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(quarter.label, quarter.label) for quarter in quarters]


# --- did the action work? -----------------------------------------------------------------------


class CheckConfirmForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Did it work?"), choices=Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("How do you know?"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_description = forms.CharField(
        label=_("What the new action will change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The action is reopened as a new one, with the same complaints."),
    )
    follow_up_owner = ModelChoiceField(label=_("Owner of the new action"), queryset=None, required=False)
    follow_up_due_on = PlausibleDateField(label=_("New action due on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_owner"].queryset = assignable_users()
        self.fields["follow_up_owner"].label_from_instance = _person
        self.helper = _helper(_("Record the verdict"), form_id="confirm-form")
        self.helper.layout = Layout(
            Fieldset("", "outcome", "comment"),
            Fieldset(
                _("If it did not work: the new action"),
                "follow_up_description",
                "follow_up_owner",
                "follow_up_due_on",
            ),
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == Outcome.NOT_EFFECTIVE:
            if not data.get("follow_up_owner"):
                self.add_error("follow_up_owner", _("Who owns the new action?"))
            if not data.get("follow_up_due_on"):
                self.add_error("follow_up_due_on", _("When is the new action due?"))
            elif data["follow_up_due_on"] < timezone.localdate():
                self.add_error("follow_up_due_on", _("The due date cannot be in the past."))
        return data

    @staticmethod
    def initial_for(action) -> dict:
        days = int(programme_setting("PROGRAMME_FOLLOW_UP_DAYS"))
        return {
            "follow_up_owner": action.owner_id,
            "follow_up_due_on": timezone.localdate() + datetime.timedelta(days=days),
            "follow_up_description": action.description,
        }


# --- the management review --------------------------------------------------------------------


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    make_action = forms.BooleanField(label=_("Make it a corrective action"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of action"), choices=[("", "—"), *ActionKind.choices], required=False
    )
    # Everyone who may own an action, and every standard: printed in Python, not a template each.
    owner = ModelChoiceField(label=_("Owner"), queryset=None, required=False, widget=ListSelect)
    due_on = PlausibleDateField(label=_("Due on"), required=False, widget=DateInput())
    standard = ModelChoiceField(
        label=_("Standard to revise"),
        queryset=Standard.objects.exclude(status=StandardStatus.RETIRED),
        required=False,
        widget=ListSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_users()
        self.fields["owner"].label_from_instance = _person
        self.helper = _helper(_("Record the decision"), form_id="decision-form")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("make_action"):
            for name, message in (
                ("kind", _("Choose the kind of action.")),
                ("owner", _("Who owns the action?")),
                ("due_on", _("When is it due?")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
            if data.get("kind") == ActionKind.REVISE_STANDARD and not data.get("standard"):
                self.add_error("standard", _("Choose the standard to revise."))
        return data
