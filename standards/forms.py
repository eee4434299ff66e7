"""Forms of the standards library. They validate input; the services decide."""

from __future__ import annotations

import random

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import (
    ListSelect,
    ModelChoiceField,
    ModelMultipleChoiceField,
    PlausibleDateField,
    SingleLineCharField,
)
from common.programme import programme_setting
from common.throttle import attempt_allowed
from people.models import Department, Employee
from people.roles import MANAGER
from standards import rules
from standards.models import Category, Standard, StandardStatus, StandardVersion, StepResult, VersionKind
from standards.services import QuestionInput, StepInput, StepObservation


def _manager_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=MANAGER) | Q(is_superuser=True))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class StandardForm(forms.ModelForm):
    class Meta:
        model = Standard
        fields = [
            "code",
            "title",
            "category",
            "applies_to_all_customer_facing",
            "departments",
            "positions",
            "owner",
            "review_delegate",
            "review_interval_months",
        ]
        field_classes = {
            "code": SingleLineCharField,
            "title": SingleLineCharField,
            "departments": ModelMultipleChoiceField,
            "positions": ModelMultipleChoiceField,
            "owner": ModelChoiceField,
            "review_delegate": ModelChoiceField,
        }
        widgets = {
            "departments": forms.CheckboxSelectMultiple,
            "positions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _manager_users()
        self.fields["review_delegate"].queryset = _manager_users()
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["review_delegate"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_review_interval_months(self) -> int:
        months = self.cleaned_data["review_interval_months"]
        if not 1 <= months <= 60:
            raise forms.ValidationError(_("Choose between 1 and 60 months."))
        return months


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    customer_benefit = forms.CharField(
        label=_("Why it helps the customer"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, can_order=True)

KNOWLEDGE_CHECK_HELP = _(
    "One question per block: a line starting with “?” is the question, “*” marks a correct answer "
    "and “-” a wrong one. Leave empty for no knowledge check."
)


# The size of a knowledge check: more would not be read by anyone, and the columns hold
# no more (an answer is at most 300 characters, positions are small integers).
MAX_QUESTIONS = 50
MAX_ANSWERS = 10
MAX_ANSWER_LENGTH = 300
MAX_QUESTION_LENGTH = 2000


def parse_knowledge_check(text: str) -> list[QuestionInput]:
    """Read the knowledge-check editor's text format into questions (see KNOWLEDGE_CHECK_HELP)."""
    questions: list[QuestionInput] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        marker, content = line[0], line[1:].strip()
        if marker == "?":
            questions.append(QuestionInput(content, []))
        elif marker in "*-" and questions:
            questions[-1].choices.append((content, marker == "*"))
        else:
            raise forms.ValidationError(_("Cannot read this line: %(line)s") % {"line": line})
    if len(questions) > MAX_QUESTIONS:
        raise forms.ValidationError(_("At most %(n)d questions.") % {"n": MAX_QUESTIONS})
    for question in questions:
        if len(question.text) > MAX_QUESTION_LENGTH:
            raise forms.ValidationError(
                _("A question is at most %(n)d characters: “%(question)s…”.")
                % {"n": MAX_QUESTION_LENGTH, "question": question.text[:60]}
            )
        if len(question.choices) > MAX_ANSWERS:
            raise forms.ValidationError(
                _("“%(question)s” has more than %(n)d answers.")
                % {"question": question.text[:60], "n": MAX_ANSWERS}
            )
        for answer, _correct in question.choices:
            if len(answer) > MAX_ANSWER_LENGTH:
                raise forms.ValidationError(
                    _("An answer is at most %(n)d characters: “%(answer)s…”.")
                    % {"n": MAX_ANSWER_LENGTH, "answer": answer[:60]}
                )
        if len(question.choices) < 2 or not any(correct for _t, correct in question.choices):
            raise forms.ValidationError(
                _("“%(question)s” needs at least two answers, one of them marked “*”.")
                % {"question": question.text}
            )
    return questions


def format_knowledge_check(version: StandardVersion) -> str:
    blocks = []
    for question in version.questions.prefetch_related("choices"):
        lines = [f"? {question.text}"] + [
            f"{'*' if c.is_correct else '-'} {c.text}" for c in question.choices.all()
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class DraftForm(forms.Form):
    body = forms.CharField(
        label=_("Body (Markdown)"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    change_summary = forms.CharField(
        label=_("What changed and why"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    knowledge_check = forms.CharField(
        label=_("Knowledge check"),
        help_text=KNOWLEDGE_CHECK_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    pass_mark_percent = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80)

    def clean_knowledge_check(self) -> list[QuestionInput]:
        return parse_knowledge_check(self.cleaned_data["knowledge_check"])


def steps_from_formset(formset) -> list[StepInput]:
    """The steps in the order the author gave ("Order" field); empty and deleted ones left out."""
    ordered = formset.ordered_forms
    unordered = [form for form in formset.forms if form not in ordered and form not in formset.deleted_forms]
    return [
        StepInput(form.cleaned_data.get("text", ""), form.cleaned_data.get("customer_benefit", ""))
        for form in ordered + unordered
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("text", "").strip()
    ]


class ChecklistForm(forms.Form):
    """The reviewer's checklist, including the anti-standard question; every item must be ticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in rules.CHECKLIST_ITEMS:
            self.fields[key] = forms.BooleanField(label=label, required=True)

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key, _label in rules.CHECKLIST_ITEMS}


class PublishForm(ChecklistForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "kind": forms.ChoiceField(
                label=_("Kind of change"),
                choices=VersionKind.choices,
                initial=VersionKind.MAJOR,
                widget=forms.RadioSelect,
            ),
            **self.fields,
        }


class ReviewForm(ChecklistForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "note": forms.CharField(
                label=_("What you checked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
            ),
            **self.fields,
        }


class FlagForm(forms.Form):
    note = forms.CharField(
        label=_("Why may this step protect the company rather than delight the customer?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ResolveFlagForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=2000)


class KnowledgeCheckForm(forms.Form):
    """The questions in random order, answers shuffled; which answer is right is never sent."""

    def __init__(self, *args, version: StandardVersion, shuffle: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        questions = list(version.questions.prefetch_related("choices"))
        if shuffle:
            random.shuffle(questions)
        for question in questions:
            choices = [(c.pk, c.text) for c in question.choices.all()]
            if shuffle:
                random.shuffle(choices)
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text, choices=choices, coerce=int, widget=forms.RadioSelect
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class AcknowledgeForm(forms.Form):
    printed_name = SingleLineCharField(label=_("Your full name"), max_length=200)
    confirm = forms.BooleanField(required=True)
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Your signature: the password you sign in with."),
    )

    def __init__(self, *args, request, statement: str, full_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.full_name = full_name
        self.fields["confirm"].label = statement
        self.fields["printed_name"].help_text = _("Type it as it is on your account: %(name)s.") % {
            "name": full_name
        }

    def clean_printed_name(self) -> str:
        printed = self.cleaned_data["printed_name"]
        if not rules.printed_name_matches(printed, self.full_name):
            raise forms.ValidationError(
                _("The name must be yours, as on your account: %(name)s.") % {"name": self.full_name}
            )
        return printed.strip()

    def clean_password(self) -> str:
        """Check the password as the sign-in page does, through django-axes: a wrong one
        counts as a failed sign-in, and too many lock signing and signing in alike."""
        password = self.cleaned_data.get("password", "")
        # Per account too, whatever the address: a stolen session must not guess from many.
        limit = programme_setting("SIGNATURE_PASSWORD_PER_ACCOUNT_PER_HOUR")
        if not attempt_allowed("signature-password-account", str(self.user.pk), limit=limit):
            raise forms.ValidationError(
                _("Too many password attempts for this account: try again in an hour.")
            )
        signer = authenticate(self.request, username=self.user.get_username(), password=password)
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(
                _("Too many wrong passwords: signing and signing in are locked for a while. Try again later.")
            )
        if signer is None or signer.pk != self.user.pk:
            raise forms.ValidationError(_("The password is not right."))
        return password


class ComplianceCheckForm(forms.Form):
    """One result (done / not done / not applicable) and a note per step of the current version."""

    employee = ModelChoiceField(label=_("Employee observed"), queryset=Employee.objects.none())
    observed_on = PlausibleDateField(
        label=_("Observed on"), widget=forms.DateInput(attrs={"type": "date"}), event=True
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, employees, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.steps = list(steps)
        for step in self.steps:
            self.fields[f"step_{step.pk}"] = forms.ChoiceField(
                label=f"{step.order}. {step.text}",
                choices=StepResult.choices,
                initial=StepResult.DONE,
                widget=forms.RadioSelect,
            )
            self.fields[f"step_{step.pk}_note"] = forms.CharField(
                label=_("Note"), max_length=300, required=False
            )

    def step_rows(self):
        """(step, result field, note field) for each step, for the template."""
        return [(step, self[f"step_{step.pk}"], self[f"step_{step.pk}_note"]) for step in self.steps]

    def observations(self):

        return [
            StepObservation(
                step, self.cleaned_data[f"step_{step.pk}"], self.cleaned_data[f"step_{step.pk}_note"]
            )
            for step in self.steps
        ]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
        # One option per department: printed without a template per option.
        widget=ListSelect,
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *StandardStatus.choices], required=False
    )
    stale = forms.BooleanField(label=_("Review overdue"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("relevance", _("Best match (with a search)")),
            ("code", _("Code")),
            ("title", _("Title")),
            ("review", _("Next review")),
            ("published", _("Last published")),
        ],
        required=False,
    )
