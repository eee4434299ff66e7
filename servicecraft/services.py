"""Writes of the organisation: people come and go only through these functions."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .lib.csv_import import ImportResult
from .models import Department, Employee, Position
from .roles import ALL_ROLES, STAFF

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


# --- the HR employee import (rules in servicecraft.employee_import) -------------------

IMPORT_BATCH_SIZE = 500


def employees_import(*, handle: TextIO) -> ImportResult:
    """Import HR's employee CSV: all rows, upserted by username, or nothing at all.

    Every row is checked first (:func:`servicecraft.employee_import.read_employee_file`);
    only a file without errors is written, in one transaction and in batches, so the
    number of queries does not grow with the number of people.
    """
    from .employee_import import read_employee_file

    checked = read_employee_file(handle)
    result = checked.result
    if not result.ok or not checked.rows:
        return result
    with transaction.atomic():
        departments = _names_to_objects(
            Department, checked.new_departments, [r.department for r in checked.rows]
        )
        positions = _names_to_objects(Position, checked.new_positions, [r.position for r in checked.rows])
        today = timezone.localdate()
        new_rows = [r for r in checked.rows if r.username.lower() not in checked.existing_user_ids]
        updated_rows = [r for r in checked.rows if r.username.lower() in checked.existing_user_ids]
        _employees_create_from_rows(new_rows, departments, positions, today)
        _employees_update_from_rows(updated_rows, checked.existing_user_ids, departments, positions, today)
    result.created, result.updated = len(new_rows), len(updated_rows)
    if checked.new_departments:
        result.notes.append(_("New departments: %(names)s.") % {"names": ", ".join(checked.new_departments)})
    if checked.new_positions:
        result.notes.append(_("New positions: %(names)s.") % {"names": ", ".join(checked.new_positions)})
    return result


def _names_to_objects(model, new_names: list[str], wanted: list[str]) -> dict[str, object]:
    """lower-cased name → object for every name the file uses, creating the new ones."""
    model.objects.bulk_create([model(name=name) for name in new_names])
    lowered = {name.lower() for name in wanted if name}
    return {obj.name.lower(): obj for obj in model.objects.all() if obj.name.lower() in lowered}


def _is_active_account(left_on: datetime.date | None, today: datetime.date) -> bool:
    return left_on is None or left_on > today


def _employees_create_from_rows(rows, departments, positions, today: datetime.date) -> None:
    users = []
    for row in rows:
        user = User(
            username=row.username,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
            is_active=_is_active_account(row.left_on, today),
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=IMPORT_BATCH_SIZE)
    ids = dict(User.objects.filter(username__in=[r.username for r in rows]).values_list("username", "pk"))
    Employee.objects.bulk_create(
        [
            Employee(
                user_id=ids[row.username],
                department=departments.get(row.department.lower()),
                position=positions.get(row.position.lower()),
                hired_on=row.hired_on,
                left_on=row.left_on,
                customer_facing=row.customer_facing,
            )
            for row in rows
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    staff, _created = Group.objects.get_or_create(name=STAFF)
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=ids[row.username], group_id=staff.pk) for row in rows],
        batch_size=IMPORT_BATCH_SIZE,
    )


def _employees_update_from_rows(rows, user_ids: dict[str, int], departments, positions, today) -> None:
    by_username = {row.username.lower(): row for row in rows}
    users = list(User.objects.filter(pk__in=[user_ids[key] for key in by_username]))
    employees = {e.user_id: e for e in Employee.objects.filter(user__in=users)}
    for user in users:
        row = by_username[user.username.lower()]
        user.first_name, user.last_name, user.email = row.first_name, row.last_name, row.email
        user.is_active = _is_active_account(row.left_on, today)
        employee = employees[user.pk]
        employee.department = departments.get(row.department.lower())
        employee.position = positions.get(row.position.lower())
        employee.hired_on, employee.left_on = row.hired_on, row.left_on
        employee.customer_facing = row.customer_facing
    User.objects.bulk_update(
        users, ["first_name", "last_name", "email", "is_active"], batch_size=IMPORT_BATCH_SIZE
    )
    Employee.objects.bulk_update(
        employees.values(),
        ["department", "position", "hired_on", "left_on", "customer_facing"],
        batch_size=IMPORT_BATCH_SIZE,
    )
