"""Writes of the organisation: people come and go only through these functions."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Department, Employee, Position
from .roles import ALL_ROLES

User = get_user_model()


@transaction.atomic
def employee_create(
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    department: Department | None = None,
    position: Position | None = None,
    hired_on: datetime.date | None = None,
    customer_facing: bool = True,
    roles: list[str] | tuple[str, ...] = (),
    password: str | None = None,
    language: str | None = None,
) -> Employee:
    """Create a login and its employee profile in one step.

    Without a password the account gets an unusable one: the person sets it through
    the password-reset email.
    """
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _set_roles(user, roles)
    employee = Employee(
        user=user,
        department=department,
        position=position,
        hired_on=hired_on or timezone.localdate(),
        customer_facing=customer_facing,
    )
    if language:
        employee.language = language
    employee.full_clean(exclude=["user"])
    employee.save()
    return employee


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    first_name: str,
    last_name: str,
    email: str,
    department: Department | None,
    position: Position | None,
    hired_on: datetime.date,
    left_on: datetime.date | None,
    customer_facing: bool,
    roles: list[str] | tuple[str, ...],
    language: str | None = None,
) -> Employee:
    user = employee.user
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_active = left_on is None or left_on > timezone.localdate()
    user.save(update_fields=["first_name", "last_name", "email", "is_active"])
    _set_roles(user, roles)
    employee.department = department
    employee.position = position
    employee.hired_on = hired_on
    employee.left_on = left_on
    employee.customer_facing = customer_facing
    fields = ["department", "position", "hired_on", "left_on", "customer_facing"]
    if language:
        employee.language = language
        fields.append("language")
    employee.save(update_fields=fields)
    return employee


@transaction.atomic
def employee_deactivate(*, employee: Employee, left_on: datetime.date | None = None) -> Employee:
    """Record that a person left: they can no longer sign in, and their history stays.

    People are never deleted: complaints, acknowledgements and trainings point at them.
    """
    employee.left_on = left_on or timezone.localdate()
    employee.save(update_fields=["left_on"])
    employee.user.is_active = False
    employee.user.save(update_fields=["is_active"])
    return employee


def _set_roles(user, roles) -> None:
    wanted = set(roles) & set(ALL_ROLES)
    current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    user.__dict__.pop("_servicecraft_roles", None)
