"""Forms of the training pages; they validate input, the services decide."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import (
    ModelChoiceField,
    ModelMultipleChoiceField,
    PlausibleDateTimeField,
    SingleLineCharField,
)
from people.models import Department, Employee, Position
from standards.selectors import published_standards
from training import selectors
from training.models import Course, Enrolment, Session, SessionStatus
from training.services import ATTENDANCE_OUTCOMES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class CourseForm(forms.Form):
    title = SingleLineCharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    standards = ModelMultipleChoiceField(
        label=_("Standards covered"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The planner suggests the course that covers the standards most changed."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=60 * 24, initial=120
    )
    counts_toward_rule = forms.BooleanField(
        label=_("Counts toward the twice-a-year rule"), required=False, initial=True
    )
    departments = ModelMultipleChoiceField(
        label=_("For departments"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Leave empty for every department."),
    )
    positions = ModelMultipleChoiceField(
        label=_("For positions"),
        queryset=Position.objects.all(),
        required=False,
        help_text=_("Leave empty for every position."),
    )
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args, course: Course | None = None, **kwargs):

        if course is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": course.title,
                "description": course.description,
                "standards": list(course.standards.all()),
                "duration_minutes": course.duration_minutes,
                "counts_toward_rule": course.counts_toward_rule,
                "departments": list(course.departments.all()),
                "positions": list(course.positions.all()),
                "is_active": course.is_active,
            }
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["standards"].queryset = published_standards().order_by("code")
        self.helper = _helper(_("Save"))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        clash = Course.objects.filter(title__iexact=title)
        if self.course is not None:
            clash = clash.exclude(pk=self.course.pk)
        if clash.exists():
            raise forms.ValidationError(_("A course with this title exists."))
        return title


class SessionForm(forms.Form):
    course = ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(is_active=True))
    starts_at = PlausibleDateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = PlausibleDateTimeField(
        label=_("Ends at"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Empty: start + the course duration."),
    )
    place = SingleLineCharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    trainer = ModelChoiceField(
        label=_("Trainer (employee)"),
        queryset=Employee.objects.active().select_related("user"),
        required=False,
    )
    trainer_name = SingleLineCharField(label=_("…or an external trainer"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1000, initial=12)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    already_held = forms.BooleanField(
        label=_("This session already took place (to record its attendance)"),
        required=False,
        help_text=_("Otherwise a session starts in the future."),
    )
    # The people picked in the planner, enrolled right after the session is created.
    employees = ModelMultipleChoiceField(
        queryset=Employee.objects.active(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, session: Session | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "course": session.course,
                "starts_at": timezone.localtime(session.starts_at),
                "ends_at": timezone.localtime(session.ends_at),
                "place": session.place,
                "online_link": session.online_link,
                "trainer": session.trainer,
                "trainer_name": session.trainer_name,
                "capacity": session.capacity,
                "notes": session.notes,
            }
        super().__init__(*args, **kwargs)
        self.session = session
        if session is not None:
            self.fields["course"].disabled = True
            self.fields["course"].queryset = Course.objects.all()
            del self.fields["employees"]
        self.helper = _helper(_("Save") if session else _("Create the session"))

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at, course = data.get("starts_at"), data.get("ends_at"), data.get("course")
        if starts_at and not ends_at and course:
            data["ends_at"] = starts_at + datetime.timedelta(minutes=course.duration_minutes)
        elif starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session ends after it starts."))
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place or an online link."))
        moved = self.session is None or (starts_at and starts_at != self.session.starts_at)
        if starts_at and moved and starts_at < timezone.now() and not data.get("already_held"):
            self.add_error(
                "starts_at",
                _(
                    "This time has passed. Pick a future time, or tick “already took place” "
                    "to record a past session."
                ),
            )
        return data


class EnrolForm(forms.Form):
    """HR's invitation picker: only people who can attend (see
    ``training.selectors.invitable_employees``); the page shows the matches of a search."""

    employees = ModelMultipleChoiceField(
        label=_("People to invite"),
        queryset=Employee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one person to invite.")},
    )

    def __init__(self, *args, session, shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["employees"]
        field.queryset = selectors.invitable_employees(session)
        if shown is not None:
            # Render only the search's matches; validation still accepts anyone invitable.
            field.widget.choices = [(e.pk, f"{e.full_name} · {e.department or '—'}") for e in shown]


class PlannerActionForm(forms.Form):
    """The planner's selection: enrol into an existing session or create a new one."""

    employees = ModelMultipleChoiceField(queryset=Employee.objects.active())
    session = ModelChoiceField(
        label=_("Existing session"),
        queryset=Session.objects.filter(status=SessionStatus.PLANNED),
        required=False,
        empty_label=_("— a new session —"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    course = ModelChoiceField(
        label=_("Course for a new session"),
        queryset=Course.objects.filter(is_active=True),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            self.fields["session"].queryset.filter(starts_at__gte=timezone.now()).select_related("course")
        )


class RespondForm(forms.Form):
    """An employee's answer to an invitation: only their own bookings can be answered."""

    enrolment = ModelChoiceField(queryset=Enrolment.objects.none())
    answer = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("excuse", _("Excuse me"))])

    def __init__(self, *args, employee: Employee | None, **kwargs):
        super().__init__(*args, **kwargs)
        if employee is not None:
            self.fields["enrolment"].queryset = Enrolment.objects.filter(employee=employee).select_related(
                "session"
            )


class AttendanceForm(forms.Form):
    """One radio group per enrolment of a session: attended / no-show / excused."""

    def __init__(self, *args, enrolments: list[Enrolment], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(status.value, status.label) for status in ATTENDANCE_OUTCOMES]
        self.rows = []
        for enrolment in enrolments:
            name = f"enrolment_{enrolment.pk}"
            # Nothing is ticked in advance: each outcome is a deliberate choice.
            initial = enrolment.status if enrolment.status in ATTENDANCE_OUTCOMES else None
            self.fields[name] = forms.ChoiceField(
                label=enrolment.employee.full_name,
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose attended, no-show or excused.")},
            )
            self.rows.append((enrolment, name))

    def bound_rows(self) -> list[tuple[Enrolment, forms.BoundField]]:
        return [(enrolment, self[name]) for enrolment, name in self.rows]

    def outcomes(self) -> dict[int, str]:
        return {enrolment.pk: self.cleaned_data[name] for enrolment, name in self.rows}


class CancelForm(forms.Form):
    confirm = forms.BooleanField(initial=True, widget=forms.HiddenInput)
