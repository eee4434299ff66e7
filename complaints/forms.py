"""Forms of the complaint pages: the quick entry, the work on a complaint, actions, filters."""

from __future__ import annotations

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Hidden, Layout, Row, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ListSelect, ModelChoiceField, PlausibleDateField, SingleLineCharField
from common.query_params import MAX_TEXT, parse_int
from complaints import rules, selectors
from complaints.models import (
    ActionKind,
    ActionStatus,
    Channel,
    Complaint,
    RootCause,
    Satisfaction,
    Severity,
    Status,
)
from customers.selectors import customer_by_number as customer_with_number
from people.forms import DateInput
from people.models import Department
from standards.models import Standard, StandardStatus
from training.models import Course


def _helper(submit_label, *, form_id: str = "") -> FormHelper:
    helper = FormHelper()
    if form_id:
        helper.form_id = form_id
    helper.add_input(Submit("save", submit_label))
    return helper


def promise_widget() -> DateInput:
    return DateInput(attrs={"id": "id_promised_on"})


def customer_number_widget() -> forms.TextInput:
    """The customer number input; the picker (htmx) swaps in a filled one, found by its id."""
    return forms.TextInput(attrs={"id": "id_customer", "class": "textinput form-control", "maxlength": "64"})


class CustomerCheckMixin:
    """The customer number checked against the name and contact given on the complaint.

    A number of someone else (the caller gave their own name and email but a relative's
    number, or a typo) is not saved silently: the form says whose number it is and asks
    to tick "Yes, this is the right customer" before saving. Mails about the complaint
    go to the contact given on it either way (``complaints.survey.services.survey_email_for``).
    """

    # Where the confirmation box goes in the layout when it is needed (after the number).
    confirmation_after = "customer"

    def _add_confirmation_field(self) -> None:
        self.fields["customer_confirmed"] = forms.BooleanField(
            label=_("Yes, this is the right customer"), required=False
        )

    def clean_customer(self):
        return customer_by_number(self.cleaned_data.get("customer", ""))

    def _check_customer(self, data: dict) -> None:
        customer = data.get("customer")
        if customer is None:
            return
        mismatches = rules.contact_mismatches(
            customer_name=data.get("customer_name", ""),
            customer_contact=data.get("customer_contact", ""),
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
        )
        if not mismatches or data.get("customer_confirmed"):
            return
        record = ", ".join(part for part in (customer.name, customer.email, customer.phone) if part)
        self.add_error(
            "customer",
            _(
                "Customer number %(number)s is %(record)s, not the name or contact given above. "
                "Check the number, or confirm that this is the right customer: mails about the "
                "complaint still go to the contact given above."
            )
            % {"number": customer.external_id, "record": record},
        )
        self._show_confirmation()

    def _show_confirmation(self) -> None:
        layout = self.helper.layout
        for index, item in enumerate(layout.fields):
            if self._holds_field(item, self.confirmation_after):
                layout.fields.insert(
                    index + 1, Field("customer_confirmed", wrapper_class="customer-confirmation")
                )
                return
        layout.fields.append(Field("customer_confirmed"))

    @staticmethod
    def _holds_field(item, name: str) -> bool:
        if item == name:
            return True
        return any(CustomerCheckMixin._holds_field(inner, name) for inner in getattr(item, "fields", []))


class ComplaintQuickForm(CustomerCheckMixin, forms.Form):
    """What a phone or in-person complaint needs, in the order the caller says it (under a minute)."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE, widget=forms.RadioSelect
    )
    customer_name = SingleLineCharField(label=_("Customer name"), max_length=200, required=False)
    customer_contact = SingleLineCharField(
        label=_("Phone or email"), max_length=200, required=False, help_text=_("To call the customer back.")
    )
    customer_search = SingleLineCharField(
        label=_("Find the customer"),
        max_length=100,
        required=False,
        help_text=_("The start of a name, an email, a phone or a customer number; pick from the matches."),
    )
    customer = SingleLineCharField(
        label=_("Customer number"),
        max_length=64,
        required=False,
        widget=customer_number_widget(),
        help_text=_("Their id in the company's systems, if known: links the complaint to the customer."),
    )
    new_customer = forms.BooleanField(
        label=_("New customer: create a customer record from the name and contact above"), required=False
    )
    summary = SingleLineCharField(label=_("What happened"), max_length=200)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    department = ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    product = SingleLineCharField(label=_("Product or service"), max_length=200, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    expected_effort_days = forms.IntegerField(
        label=_("Expected effort (days)"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("The promise below is suggested from it."),
    )
    promised_on = PlausibleDateField(
        label=_("Promise to the customer"),
        required=False,
        widget=promise_widget(),
        help_text=_("Left empty, the suggestion from the expected effort is used."),
    )

    # What the form holds that the service does not take: the picker's search, the confirmation.
    NOT_COMPLAINT_FIELDS = ("customer_search", "customer_confirmed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_confirmation_field()
        self.fields["expected_effort_days"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("complaints:promise_suggestion"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#id_promised_on",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["customer_search"].widget.input_type = "search"
        self.fields["customer_search"].widget.attrs.update(
            {
                "autocomplete": "off",
                # Enter searches instead of logging the complaint (static/js/servicecraft.js).
                "data-search-on-enter": "",
                "hx-get": reverse_lazy("complaints:customer_picker"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#customer-matches",
            }
        )
        self.fields["customer_name"].widget.attrs["autofocus"] = True
        self.helper = _helper(_("Log complaint"), form_id="complaint-quick-form")
        self.helper.layout = Layout(
            Field("channel", wrapper_class="channel-choices"),
            Row(Column("customer_name"), Column("customer_contact")),
            Row(
                Column(
                    "customer_search",
                    # Without JavaScript the search is a round trip; with it, the matches
                    # follow the typing and this button is not there to catch an Enter.
                    HTML('{% include "complaints/snippets/customer_find_button.html" %}'),
                ),
                Column("customer"),
            ),
            HTML(
                '<div id="customer-matches" class="mb-3" aria-live="polite">'
                '{% include "complaints/snippets/customer_matches.html" %}</div>'
            ),
            "new_customer",
            "summary",
            "details",
            Row(Column("department"), Column("product"), Column("severity")),
            Row(Column("expected_effort_days"), Column("promised_on")),
        )

    def clean_promised_on(self):
        return promise_not_in_the_past(self.cleaned_data.get("promised_on"))

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("customer_name") and not data.get("customer"):
            self.add_error("customer_name", _("Give the customer's name (or their customer number)."))
        if data.get("new_customer"):
            if data.get("customer"):
                self.add_error(
                    "new_customer", _("Either give a customer number or create a new customer, not both.")
                )
            elif not data.get("customer_name"):
                self.add_error("new_customer", _("A new customer needs a name."))
        self._check_customer(data)
        return data

    def complaint_fields(self) -> dict:
        """The cleaned data the complaint is created from (without the picker's fields)."""
        return {
            name: value for name, value in self.cleaned_data.items() if name not in self.NOT_COMPLAINT_FIELDS
        }


def promise_not_in_the_past(promised_on: datetime.date | None) -> datetime.date | None:
    """A promise made now cannot be for a day that has passed: the customer would read it as
    already broken."""
    today = timezone.localdate()
    if promised_on is not None and promised_on < today:
        raise forms.ValidationError(
            _("A promise cannot be for a day that has passed: choose today (%(today)s) or later."),
            params={"today": formats.date_format(today, "DATE_FORMAT")},
        )
    return promised_on


def customer_by_number(number: str):
    """The customer with this number (external id), None for an empty number, else a form error."""
    number = (number or "").strip()
    if not number:
        return None
    customer = customer_with_number(number)
    if customer is None:
        raise forms.ValidationError(_("No customer with this number."))
    return customer


class ComplaintEditForm(CustomerCheckMixin, forms.Form):
    summary = SingleLineCharField(label=_("Summary"), max_length=200)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    customer_name = SingleLineCharField(label=_("Customer name"), max_length=200, required=False)
    customer_contact = SingleLineCharField(label=_("Phone or email"), max_length=200, required=False)
    customer = SingleLineCharField(label=_("Customer number"), max_length=64, required=False)
    department = ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    product = SingleLineCharField(label=_("Product or service"), max_length=200, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    expected_effort_days = forms.IntegerField(
        label=_("Expected effort (days)"), min_value=0, max_value=365, required=False
    )
    promised_on = PlausibleDateField(
        label=_("Promised to the customer for"),
        required=False,
        widget=promise_widget(),
        help_text=_("Every change of an existing promise is counted."),
    )
    internal_target_on = PlausibleDateField(label=_("Internal target"), required=False, widget=DateInput())
    lesson_learned = forms.CharField(
        label=_("Lesson learned"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_confirmation_field()
        self.helper = _helper(_("Save"))
        self.helper.layout = Layout(
            "summary",
            "details",
            Row(Column("channel"), Column("severity"), Column("department")),
            Row(Column("customer_name"), Column("customer_contact"), Column("customer")),
            "product",
            Row(Column("expected_effort_days"), Column("promised_on"), Column("internal_target_on")),
            "lesson_learned",
        )

    @staticmethod
    def initial_for(complaint: Complaint) -> dict:
        names = [name for name in rules.EDITABLE_FIELDS if name != "customer"]
        initial = {name: getattr(complaint, name) for name in [*names, "promised_on"]}
        initial["customer"] = complaint.customer.external_id if complaint.customer else ""
        return initial

    def clean(self) -> dict:
        data = super().clean()
        self._check_customer(data)
        return data

    def complaint_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "customer_confirmed"}

    def clean_promised_on(self):
        promised_on = self.cleaned_data.get("promised_on")
        # An earlier promise that has passed may stay as it is (it is counted as broken);
        # a new or changed one must lie ahead.
        if promised_on == self.initial.get("promised_on"):
            return promised_on
        return promise_not_in_the_past(promised_on)


class AssignForm(forms.Form):
    handler = ModelChoiceField(
        label=_("Handler"),
        queryset=selectors.assignable_users(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].label_from_instance = lambda user: user.get_full_name() or user.username


# The most complaints one bulk action may name: a page of the list, with room to spare.
BULK_MAX = 200


class BulkActionForm(forms.Form):
    """A manager's action on the complaints ticked in the list: assign them, or close them."""

    ASSIGN, CLOSE = "assign", "close"

    action = forms.ChoiceField(
        label=_("Action"), choices=[(ASSIGN, _("Assign to")), (CLOSE, _("Close"))], widget=ListSelect
    )
    handler = ModelChoiceField(
        label=_("Handler"),
        queryset=selectors.assignable_users(),
        required=False,
        widget=ListSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["action"].widget.attrs.update({"class": "form-select", "aria-label": _("Action")})
        self.fields["handler"].widget.attrs["aria-label"] = _("Handler")

    def clean(self):
        data = super().clean()
        ids = []
        for raw in self.data.getlist("complaint") if hasattr(self.data, "getlist") else []:
            number = parse_int(raw, minimum=1)
            if number is None:
                raise forms.ValidationError(_("The selection names a complaint that does not exist."))
            ids.append(number)
        if not ids:
            raise forms.ValidationError(_("Tick at least one complaint."))
        if len(ids) > BULK_MAX:
            raise forms.ValidationError(_("Choose at most %(n)s complaints at a time.") % {"n": BULK_MAX})
        if data.get("action") == self.ASSIGN and not data.get("handler"):
            self.add_error("handler", _("Choose whom to assign them to."))
        data["complaint_ids"] = sorted(set(ids))
        return data


class ResolveForm(forms.Form):
    root_cause = forms.ChoiceField(
        label=_("Root cause"),
        choices=[("", "---------"), *RootCause.choices],
        required=False,  # checked in clean_root_cause with a message that says why
        help_text=_("Which of the five causes led to the problem?"),
    )
    cause_note = forms.CharField(
        label=_("Cause note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    five_whys = forms.CharField(
        label=_("5 whys (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ask “why?” until you reach the cause; one answer per line."),
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))
    compensation = forms.DecimalField(
        label=_("Compensation"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    customer_satisfied = forms.ChoiceField(
        label=_("Customer satisfied with the resolution"),
        choices=Satisfaction.choices,
        initial=Satisfaction.NOT_ASKED,
    )
    lesson_learned = forms.CharField(
        label=_("Lesson learned"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Resolve"), form_id="resolve-form")

    def clean_root_cause(self) -> str:
        value = self.cleaned_data["root_cause"]
        if not value:
            raise forms.ValidationError(
                _("Choose the root cause before resolving the complaint: without it nothing is learnt.")
            )
        return value


class SatisfactionForm(forms.Form):
    customer_satisfied = forms.ChoiceField(
        label=_("Customer satisfied"),
        choices=Satisfaction.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


# No complaint number can be larger (a bigint primary key); larger ones are not looked up.
MAX_COMPLAINT_NUMBER = 2**63 - 1


def parse_complaint_numbers(text: str) -> list[int]:
    return sorted({int(number) for number in re.findall(r"[0-9]+", text or "")})


class CorrectiveActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    description = forms.CharField(label=_("What will change"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = ModelChoiceField(label=_("Owner"), queryset=selectors.assignable_users())
    due_on = PlausibleDateField(label=_("Due on"), widget=DateInput())
    standard = ModelChoiceField(
        label=_("Standard to revise"),
        queryset=Standard.objects.exclude(status=StandardStatus.RETIRED),
        required=False,
        help_text=_("A new draft version is opened for the standard's owner."),
    )
    course = ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.filter(is_active=True),
        required=False,
        help_text=_("For “train staff”: the course that teaches the lesson."),
    )
    complaint_numbers = forms.CharField(
        label=_("Complaints"),
        required=False,
        help_text=_("Numbers of the complaints that led to it, separated by commas."),
    )

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        if editing:
            for name in ("kind", "complaint_numbers", "standard", "course"):
                del self.fields[name]
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=[(s.value, s.label) for s in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)],
            )
        self.helper = _helper(_("Save"), form_id="action-form")
        if editing:
            self.helper.add_input(Hidden("form", "edit"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == ActionKind.REVISE_STANDARD and not data.get("standard"):
            self.add_error("standard", _("Choose the standard to revise."))
        return data

    def clean_complaint_numbers(self) -> list[Complaint]:
        numbers = parse_complaint_numbers(self.cleaned_data.get("complaint_numbers", ""))
        possible = [number for number in numbers if number <= MAX_COMPLAINT_NUMBER]
        found = list(selectors.complaints_visible_to(self.user).filter(pk__in=possible))
        missing = sorted(set(numbers) - {c.pk for c in found})
        if missing:
            raise forms.ValidationError(
                _("No complaint with number(s) %(numbers)s.") % {"numbers": ", ".join(map(str, missing))}
            )
        return found


class ActionCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(ActionStatus.DONE, _("Done")), (ActionStatus.CANCELLED, _("Cancelled"))],
        initial=ActionStatus.DONE,
        widget=forms.RadioSelect,
    )
    effectiveness_note = forms.CharField(
        label=_("Effectiveness"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Did it work? How do you know (fewer complaints of this kind, a check, feedback)?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Close action"), form_id="action-close-form")
        self.helper.add_input(Hidden("form", "close"))


class ComplaintFilterForm(forms.Form):
    """The list filters; invalid values are ignored rather than shown as errors."""

    q = forms.CharField(required=False, label=_("Search"), max_length=MAX_TEXT)
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("Any status")), ("open", _("Open")), *Status.choices],
        widget=ListSelect,
    )
    department = ModelChoiceField(
        required=False,
        label=_("Department"),
        queryset=Department.objects.all(),
        empty_label=_("All departments"),
        widget=ListSelect,
    )
    channel = forms.ChoiceField(
        required=False,
        label=_("Channel"),
        choices=[("", _("Any channel")), *Channel.choices],
        widget=ListSelect,
    )
    root_cause = forms.ChoiceField(
        required=False,
        label=_("Root cause"),
        choices=[("", _("Any root cause")), *RootCause.choices],
        widget=ListSelect,
    )
    mine = forms.BooleanField(required=False, label=_("Mine"))
    overdue = forms.BooleanField(required=False, label=_("Overdue"))
    unsatisfied = forms.BooleanField(required=False, label=_("Unsatisfied"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select"
            field.widget.attrs["class"] = "form-control" if name == "q" else css
            field.widget.attrs.setdefault("aria-label", field.label)

    def filters(self, user) -> selectors.ComplaintFilters:
        """The valid filters; a bad value (NUL, a department that does not exist…) is ignored."""
        data = {}
        if self.is_bound:
            self.is_valid()  # runs the checks; cleaned_data keeps only the fields that passed
            data = self.cleaned_data
        department = data.get("department")
        return selectors.ComplaintFilters(
            status=data.get("status", ""),
            department_id=department.pk if department else None,
            channel=data.get("channel", ""),
            root_cause=data.get("root_cause", ""),
            handler_id=user.pk if data.get("mine") else None,
            overdue=bool(data.get("overdue")),
            unsatisfied=bool(data.get("unsatisfied")),
            search=(data.get("q") or "").strip(),
        )


class AnalysisForm(forms.Form):
    """A period and a department; a date outside the plausible bounds (typed into the URL)
    is invalid, and the page falls back to the default period."""

    start = PlausibleDateField(label=_("From"), required=False, widget=DateInput())
    end = PlausibleDateField(label=_("To"), required=False, widget=DateInput())
    department = ModelChoiceField(
        required=False,
        label=_("Department"),
        queryset=Department.objects.all(),
        empty_label=_("All departments"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ModelChoiceField) else "form-control"
            )

    @staticmethod
    def default_period() -> dict:
        """The last twelve months: from the first day of the month a year ago up to today."""
        end = timezone.localdate()
        return {"start": (end.replace(day=1) - datetime.timedelta(days=335)).replace(day=1), "end": end}

    def period(self) -> tuple[datetime.date, datetime.date, Department | None]:
        """The chosen period (the default one where a date is missing) and department."""
        data = self.cleaned_data if self.is_valid() else {}
        default = self.default_period()
        start, end = data.get("start") or default["start"], data.get("end") or default["end"]
        if start > end:
            start, end = end, start
        return start, end, data.get("department")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, with a header row. Nothing is imported if any row is wrong."),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Import"), form_id="import-form")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB; use the import_complaints command.")
            )
        return upload
