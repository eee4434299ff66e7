"""The organisation: departments, positions, the employee profile of each user, and the
audit trail of who changed whose roles and email.

Every other app hangs its people off these: standards apply to departments and
positions, complaints belong to a department, trainings are owed by employees.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    customer_facing = models.BooleanField(
        _("customer-facing"),
        default=True,
        help_text=_("Whether the people of this department meet customers."),
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        help_text=_("The manager who receives this department's report."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


def display_name(first_name: str, last_name: str, username: str) -> str:
    """The name a list shows and sorts a person by: first and last name as Django's
    ``get_full_name`` joins them, or the username when both are blank. From plain values,
    so that a query reading ``values()`` names people as :attr:`Employee.full_name` does."""
    return f"{first_name} {last_name}".strip() or username


class EmployeeQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> EmployeeQuerySet:
        """Employees who have not left by ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=on))

    def customer_facing(self) -> EmployeeQuerySet:
        return self.filter(customer_facing=True)


class Employee(models.Model):
    """A person of the company: the profile that goes with each login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="employee",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    hired_on = models.DateField(_("hired on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    customer_facing = models.BooleanField(_("customer-facing"), default=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of emails sent to this person."),
    )

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["department", "left_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("hired_on")),
                name="employee_leaves_after_hire",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return display_name(self.user.first_name, self.user.last_name, self.user.username)

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()


# --- The account audit trail ----------------------------------------------------------
# Who may grant which role, and whose email may change how, is in servicecraft.roles;
# every change that passes those rules is written here with the person who made it.


class AccountEvent(models.Model):
    """One change to who a person is to the system: a role granted or removed, an email
    change asked for, confirmed or refused. Rows are only ever added."""

    class Action(models.TextChoices):
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REMOVED = "role_removed", _("Role removed")
        EMAIL_CHANGED = "email_changed", _("Email changed")
        EMAIL_CHANGE_REQUESTED = "email_change_requested", _("Email change waiting for confirmation")
        EMAIL_CHANGE_CONFIRMED = "email_change_confirmed", _("Email change confirmed")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_changes_made",
        help_text=_("Empty when the change came from a command on the server."),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.detail}"


class EmailChangeRequest(models.Model):
    """A new email address for an account above Staff, waiting for its owner to confirm it
    from the new address. Until then every email (password reset included) goes to the old one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="email_change_requests",
    )
    old_email = models.EmailField(_("old email"), blank=True)
    new_email = models.EmailField(_("new email"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("email change request")
        verbose_name_plural = _("email change requests")

    def __str__(self) -> str:
        return f"{self.user} → {self.new_email}"


class HandoverParking(models.Model):
    """An item a leaver held that someone chose, explicitly, to leave without an owner for
    now (see :mod:`people.handover`): it lets the deactivation complete, and the daily
    check keeps listing it in the managers' digest until it has an owner again."""

    provider = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("item"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.CASCADE,
        related_name="parked_holdings",
    )
    parked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parked_at = models.DateTimeField(_("parked at"), default=timezone.now)
    note = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("parked item")
        verbose_name_plural = _("parked items")
        constraints = [models.UniqueConstraint(fields=["provider", "object_id"], name="park_an_item_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.object_id}"
