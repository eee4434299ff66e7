"""Forms of the organisation pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from common.forms import CsvUploadForm, ModelChoiceField, PlausibleDateField, SingleLineCharField
from common.programme import programme_setting
from common.throttle import attempt_allowed
from people.models import Department, Position
from people.roles import (
    ALL_ROLES,
    HR,
    MANAGER,
    STAFF,
    email_change_needs_confirmation,
    grantable_roles,
    may_change_email,
)
from people.rules import leaving_date_error

User = get_user_model()

ROLE_CHOICES = [(MANAGER, _("Manager")), (HR, _("HR")), (STAFF, _("Staff"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EmployeeForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = SingleLineCharField(label=_("First name"), max_length=150, required=False)
    last_name = SingleLineCharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    department = ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    position = ModelChoiceField(label=_("Position"), queryset=Position.objects.all(), required=False)
    new_position = SingleLineCharField(
        label=_("…or a new position"),
        max_length=120,
        required=False,
        help_text=_("Type a position that is not in the list yet."),
    )
    hired_on = PlausibleDateField(label=_("Hired on"), widget=DateInput())
    left_on = PlausibleDateField(label=_("Left on"), widget=DateInput(), required=False)
    customer_facing = forms.BooleanField(label=_("Meets customers"), required=False, initial=True)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    language = forms.ChoiceField(label=_("Email language"), choices=settings.LANGUAGES)

    def __init__(self, *args, actor, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        subject = editing.user if editing is not None else None
        self.grantable = grantable_roles(actor, subject)
        self.current_roles = (
            frozenset(subject.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
            if subject is not None
            else frozenset()
        )
        self.kept_roles = self.current_roles - self.grantable
        if editing is not None:
            self.fields["username"].disabled = True
            if not may_change_email(actor, subject):
                self.fields["email"].disabled = True
                self.fields["email"].help_text = _(
                    "Only a manager or an administrator can change this address."
                )
            elif email_change_needs_confirmation(subject):
                self.fields["email"].help_text = _(
                    "A new address takes effect only when the account's owner confirms it from that address."
                )
        else:
            del self.fields["left_on"]
        roles = self.fields["roles"]
        roles.choices = [(code, label) for code, label in ROLE_CHOICES if code in self.grantable]
        held = ", ".join(str(label) for code, label in ROLE_CHOICES if code in self.current_roles) or "—"
        if not roles.choices:
            roles.disabled = True
            self.initial["roles"] = []
            roles.help_text = (
                _("Holds: %(roles)s. Nobody changes their own roles.")
                if subject is not None and actor is not None and subject.pk == actor.pk
                else _("Holds: %(roles)s. You may not change this person's roles.")
            ) % {"roles": held}
        elif self.kept_roles:
            roles.help_text = _("Also holds %(roles)s, which only a manager can grant or remove.") % {
                "roles": ", ".join(str(label) for code, label in ROLE_CHOICES if code in self.kept_roles)
            }

    def clean_roles(self) -> frozenset[str]:
        """The whole set of roles to keep: the ticked ones the actor may grant, plus the
        ones they may not touch, as they were."""
        if self.fields["roles"].disabled:
            return self.current_roles
        return self.kept_roles | (frozenset(self.cleaned_data["roles"]) & self.grantable)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.editing is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self):
        """Checks only: a new position is created by the service, once the whole form is valid."""
        cleaned = super().clean()
        hired_on, left_on = cleaned.get("hired_on"), cleaned.get("left_on")
        if hired_on and left_on and (problem := leaving_date_error(hired_on=hired_on, left_on=left_on)):
            self.add_error("left_on", problem)
        return cleaned


class HandoverForm(forms.Form):
    """Hand over, in bulk, what one person holds (see :mod:`people.handover`).

    One successor per kind of holding (proposed: the head of their department), one
    "give everything else to" for the kinds left empty, and a "park" box per item for what
    is left without an owner on purpose. With ``with_left_on`` it is the deactivation form.
    """

    everything_to = forms.TypedChoiceField(
        label=_("Give everything to"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For each kind below with nobody chosen, if they may take it over."),
    )
    note = forms.CharField(
        label=_("Why items are parked"),
        required=False,
        max_length=300,
        help_text=_("Parked items keep no active owner for now; managers see them in their digest."),
    )

    def __init__(self, *args, holdings, providers, candidates, proposed=None, with_left_on=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.user.pk: candidate for candidate in candidates}
        self.fields["everything_to"].choices = [("", "—")] + [(c.user.pk, c.name) for c in candidates]
        self.groups = []
        for provider in providers:
            items = [holding for holding in holdings if holding.provider == provider.key]
            if not items:
                continue
            eligible = [
                c for c in candidates if not provider.successor_roles or c.roles & provider.successor_roles
            ]
            name = f"to_{provider.key}"
            self.fields[name] = forms.TypedChoiceField(
                label=provider.title,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("— not yet —"))] + [(c.user.pk, c.name) for c in eligible],
                initial=proposed.user.pk if proposed is not None and proposed in eligible else None,
            )
            for holding in items:
                self.fields[f"park_{holding.key}"] = forms.BooleanField(
                    label=_("park"), required=False, initial=holding.parked
                )
            self.groups.append(
                {
                    "provider": provider,
                    "field": self[name],
                    "items": [(holding, self[f"park_{holding.key}"]) for holding in items],
                    "eligible": {c.user.pk for c in eligible},
                }
            )
        if with_left_on:
            self.fields["left_on"] = PlausibleDateField(label=_("Last working day"), widget=DateInput())

    def clean(self) -> dict:
        data = super().clean()
        everyone = data.get("everything_to")
        successors = {}
        for group in self.groups:
            key = group["provider"].key
            chosen = data.get(f"to_{key}")
            if chosen is None and everyone is not None and everyone in group["eligible"]:
                chosen = everyone
            if chosen is not None:
                successors[key] = self.candidates[chosen].user
        data["successors"] = successors
        data["parked"] = {
            holding.key
            for group in self.groups
            for holding, _field in group["items"]
            if data.get(f"park_{holding.key}")
        }
        return data


class EmployeeImportForm(CsvUploadForm):
    """The employee CSV (``servicecraft.employee_import``)."""


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's length checked on the server too.

    Django sets the field's ``max_length`` after creating it, which adds no validator: a
    6,000-character username reached django-axes, whose attempt record holds 255, and
    PostgreSQL answered a 500.
    """

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends nothing to an account that asked more than the hourly limit (quietly)."""

    def get_users(self, email):
        limit = programme_setting("PASSWORD_RESET_PER_ACCOUNT_PER_HOUR")
        for user in super().get_users(email):
            if attempt_allowed("password-reset-account", str(user.pk), limit=limit):
                yield user
