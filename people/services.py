"""Writes of the organisation: people come and go only through these functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.csv_import import ImportResult, exclusive_import
from common.programme import programme_setting
from people import handover
from people.email_change import EmailChangeLinkError, send_email_change_messages
from people.employee_import import read_employee_file
from people.handover import Holding
from people.models import AccountEvent, Department, EmailChangeRequest, Employee, HandoverParking, Position
from people.roles import (
    ALL_ROLES,
    STAFF,
    email_change_needs_confirmation,
    grantable_roles,
    has_role,
    may_change_email,
)
from people.signals import employees_changed

User = get_user_model()


class AccountChangeRefusedError(PermissionDenied):
    """A role or email change the acting person may not make (see :mod:`servicecraft.roles`)."""


@dataclass(frozen=True)
class EmployeeUpdate:
    """What :func:`employee_update` did: the employee, and the address waiting for confirmation."""

    employee: Employee
    email_pending: str | None = None


@transaction.atomic
def employee_create(
    *,
    actor: User | None,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    department: Department | None = None,
    position: Position | None = None,
    new_position: str = "",
    hired_on: datetime.date | None = None,
    customer_facing: bool = True,
    roles: Iterable[str] = (),
    password: str | None = None,
    language: str | None = None,
) -> Employee:
    """Create a login and its employee profile in one step.

    ``actor`` is the person adding them (``None``: a command on the server); the roles
    must be ones they may grant (:func:`servicecraft.roles.grantable_roles`). Without a
    password the account gets an unusable one: the person sets it through the
    password-reset email. ``new_position`` names a position to use instead of ``position``
    (created if no position has that name yet).
    """
    _check_role_change(actor=actor, subject=None, current=frozenset(), wanted=frozenset(roles))
    position = position_for(position=position, new_position=new_position)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _set_roles(user, roles, actor=actor)
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
    _announce_changed([employee.pk])
    return employee


def _announce_changed(employee_ids: list[int]) -> None:
    """Tell the apps that keep figures per person (``people.signals``) who changed."""
    if employee_ids:
        employees_changed.send(sender=Employee, employee_ids=employee_ids)


@transaction.atomic
def employee_update(
    *,
    actor: User | None,
    employee: Employee,
    first_name: str,
    last_name: str,
    email: str,
    department: Department | None,
    position: Position | None,
    hired_on: datetime.date,
    left_on: datetime.date | None,
    customer_facing: bool,
    roles: Iterable[str],
    language: str | None = None,
    new_position: str = "",
) -> EmployeeUpdate:
    """Change a person's profile, roles and email as ``actor`` may.

    Roles outside what ``actor`` may grant must stay as they are, and the email only
    changes if ``actor`` may change it; otherwise :class:`AccountChangeRefusedError`.
    A new email of an account above Staff waits for confirmation from the new address.
    """
    user = employee.user
    if employee.is_active and left_on is not None and left_on <= timezone.localdate():
        # Leaving today or earlier deactivates: the same handover rule as the deactivation.
        _release_or_refuse(user, actor=actor, field="left_on")
    wanted = frozenset(roles) & set(ALL_ROLES)
    current = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    _check_role_change(actor=actor, subject=user, current=current, wanted=wanted)
    position = position_for(position=position, new_position=new_position)
    email_pending = None
    if email != user.email:
        if not may_change_email(actor, user):
            raise AccountChangeRefusedError(_("You may not change the email of this account."))
        if email_change_needs_confirmation(user):
            email_pending = email_change_request(user=user, new_email=email, actor=actor).new_email
        else:
            _audit(user, actor, AccountEvent.Action.EMAIL_CHANGED, f"{user.email or '—'} → {email or '—'}")
            user.email = email
    user.first_name, user.last_name = first_name, last_name
    user.is_active = left_on is None or left_on > timezone.localdate()
    user.save(update_fields=["first_name", "last_name", "email", "is_active"])
    _set_roles(user, wanted, actor=actor)
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
    _announce_changed([employee.pk])
    return EmployeeUpdate(employee=employee, email_pending=email_pending)


def employee_language_set(*, employee: Employee, language: str) -> Employee:
    """The one language of a person: their pages after sign-in and their emails."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    employee.language = language
    employee.save(update_fields=["language"])
    return employee


class HandoverIncompleteError(ValidationError):
    """A person cannot leave yet: these holdings still need an active owner (see :mod:`people.handover`)."""

    def __init__(self, left: list[Holding], *, field: str | None = None) -> None:
        self.left = left
        message = ngettext(
            "%(count)s item still needs an active owner: hand it over or park it first.",
            "%(count)s items still need an active owner: hand them over or park them first.",
            len(left),
        ) % {"count": len(left)}
        super().__init__({field: message} if field else message)


def position_for(*, position: Position | None, new_position: str = "") -> Position | None:
    """``new_position`` (an existing position of that name, any case, or a new one), else ``position``.

    Called by the services only, inside their transaction: a form that is refused, or a
    change the actor may not make, leaves no new position behind.
    """
    name = " ".join(new_position.split())
    if not name:
        return position
    existing = Position.objects.filter(name__iexact=name).order_by("pk").first()
    return existing or Position.objects.create(name=name)


@transaction.atomic
def employee_deactivate(*, employee: Employee, left_on: datetime.date | None = None, actor=None) -> Employee:
    """Record that a person left: they can no longer sign in, and their history stays.

    People are never deleted: complaints, acknowledgements and trainings point at them.
    Nothing they hold may be left without an active owner (:class:`HandoverIncompleteError`)
    unless it was parked; what needs no owner (a review delegation, a report) is released.
    """
    _release_or_refuse(employee.user, actor=actor)
    employee.left_on = left_on or timezone.localdate()
    employee.save(update_fields=["left_on"])
    employee.user.is_active = False
    employee.user.save(update_fields=["is_active"])
    _announce_changed([employee.pk])
    return employee


def _release_or_refuse(user, *, actor, field: str | None = None) -> None:
    found = handover.holdings(handover.holder_is(user))
    left = handover.outstanding(found)
    if left:
        raise HandoverIncompleteError(left, field=field)
    for provider in handover.handover_providers():
        items = [holding.object_id for holding in found if holding.provider == provider.key]
        if items and provider.release is not None:
            provider.release(object_ids=items, actor=actor)


def is_active_person(user, *, today: datetime.date | None = None) -> bool:
    """Whether ``user`` can still act: an enabled account without a leaving date passed."""
    if not user.is_active:
        return False
    left_on = Employee.objects.filter(user=user).values_list("left_on", flat=True).first()
    return left_on is None or left_on > (today or timezone.localdate())


@dataclass(frozen=True)
class HandoverResult:
    moved: int
    parked: int
    deactivated: bool


@transaction.atomic
def employee_handover(
    *,
    employee: Employee,
    actor,
    successors: dict[str, User],
    parked: Iterable[str] = (),
    note: str = "",
    deactivate_on: datetime.date | None = None,
) -> HandoverResult:
    """Hand over what ``employee`` holds, in bulk, and optionally deactivate them.

    ``successors`` maps a provider's key to the person who takes over its items;
    ``parked`` names holdings (``Holding.key``) left without an owner on purpose. A
    successor must be active, someone else, and hold the provider's roles. With
    ``deactivate_on`` the person is deactivated once nothing is left without an owner;
    otherwise :class:`HandoverIncompleteError` and nothing at all changes.
    """
    user = employee.user
    found = handover.holdings(handover.holder_is(user))
    parked = set(parked)
    today = timezone.localdate()
    moved = 0
    for provider in handover.handover_providers():
        successor = successors.get(provider.key)
        items = [h for h in found if h.provider == provider.key and h.key not in parked]
        if successor is None or not items:
            continue
        _check_successor(provider, successor, holder=user, today=today)
        ids = [holding.object_id for holding in items]
        moved += provider.reassign(object_ids=ids, successor=successor, actor=actor)
        HandoverParking.objects.filter(provider=provider.key, object_id__in=ids).delete()
    parking = [holding for holding in found if holding.key in parked]
    for holding in parking:
        HandoverParking.objects.update_or_create(
            provider=holding.provider,
            object_id=holding.object_id,
            defaults={"holder": user, "parked_by": actor, "note": note[:300]},
        )
    unparked = [holding for holding in found if holding.parked and holding.key not in parked]
    for holding in unparked:
        HandoverParking.objects.filter(provider=holding.provider, object_id=holding.object_id).delete()
    if deactivate_on is not None:
        employee_deactivate(employee=employee, left_on=deactivate_on, actor=actor)
    return HandoverResult(moved=moved, parked=len(parking), deactivated=deactivate_on is not None)


def _check_successor(provider: handover.HandoverProvider, successor, *, holder, today: datetime.date) -> None:
    field = f"to_{provider.key}"
    if successor.pk == holder.pk:
        raise ValidationError({field: _("Choose someone else than the person who leaves.")})
    if not is_active_person(successor, today=today):
        raise ValidationError(
            {field: _("%(name)s cannot take this over: they have left.") % {"name": _name(successor)}}
        )
    if provider.successor_roles and not has_role(successor, *provider.successor_roles):
        raise ValidationError(
            {
                field: _("%(name)s cannot take this over: it needs the role %(roles)s.")
                % {"name": _name(successor), "roles": ", ".join(sorted(provider.successor_roles))}
            }
        )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def department_save(*, department: Department) -> Department:
    """Create or change a department. Renamed, its people are announced as changed
    (``people.signals``): the lists that sort by the department's name keep a copy of it."""
    department.full_clean()
    previous_name = (
        Department.objects.filter(pk=department.pk).values_list("name", flat=True).first()
        if department.pk
        else None
    )
    department.save()
    if previous_name is not None and previous_name != department.name:
        _announce_changed(list(Employee.objects.filter(department=department).values_list("pk", flat=True)))
    return department


@transaction.atomic
def department_heads_reassign(*, department_ids: list[int], head) -> int:
    """Make ``head`` the head of these departments (a handover)."""
    return Department.objects.filter(pk__in=department_ids).update(head=head)


def _check_role_change(*, actor, subject, current: frozenset[str], wanted: frozenset[str]) -> None:
    changed = (current ^ wanted) & set(ALL_ROLES)
    refused = changed - grantable_roles(actor, subject)
    if refused:
        raise AccountChangeRefusedError(
            _("You may not grant or remove these roles: %(roles)s.") % {"roles": ", ".join(sorted(refused))}
        )


def _set_roles(user, roles: Iterable[str], *, actor) -> None:
    wanted = set(roles) & set(ALL_ROLES)
    current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    AccountEvent.objects.bulk_create(
        [
            AccountEvent(subject=user, actor=actor, action=AccountEvent.Action.ROLE_GRANTED, detail=role)
            for role in sorted(wanted - current)
        ]
        + [
            AccountEvent(subject=user, actor=actor, action=AccountEvent.Action.ROLE_REMOVED, detail=role)
            for role in sorted(current - wanted)
        ]
    )
    user.__dict__.pop("_servicecraft_roles", None)


def account_changes_record(
    *, actor: User | None, user: User, old_email: str, old_roles: frozenset[str]
) -> None:
    """Write to the audit trail what an administrator changed directly (the admin site)."""
    if user.email != old_email:
        _audit(user, actor, AccountEvent.Action.EMAIL_CHANGED, f"{old_email or '—'} → {user.email or '—'}")
    roles = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    for role in sorted(roles - old_roles):
        _audit(user, actor, AccountEvent.Action.ROLE_GRANTED, role)
    for role in sorted(old_roles - roles):
        _audit(user, actor, AccountEvent.Action.ROLE_REMOVED, role)


def _audit(subject, actor, action: str, detail: str = "") -> AccountEvent:
    return AccountEvent.objects.create(subject=subject, actor=actor, action=action, detail=detail[:500])


# --- email changes that wait for the new address ------------------------------------


def email_change_request(*, user: User, new_email: str, actor: User | None) -> EmailChangeRequest:
    """Ask ``user`` to confirm ``new_email``: the link goes to the new address, a notice to the old.

    The email itself does not change here; a newer request replaces an older one.
    """
    change = EmailChangeRequest.objects.create(
        user=user, old_email=user.email, new_email=new_email, requested_by=actor
    )
    _audit(user, actor, AccountEvent.Action.EMAIL_CHANGE_REQUESTED, f"{user.email or '—'} → {new_email}")
    transaction.on_commit(lambda: send_email_change_messages(change))
    return change


@transaction.atomic
def email_change_confirm(*, change: EmailChangeRequest, by: User) -> User:
    """Apply a confirmed email change: only its own account may confirm it, once, and only
    the newest request, while the account still has the email the request started from."""
    user = User.objects.select_for_update().get(pk=change.user_id)
    change = EmailChangeRequest.objects.select_for_update().get(pk=change.pk)
    if by.pk != user.pk:
        raise EmailChangeLinkError(
            _("This link is for another account: sign in as %(name)s to use it.")
            % {"name": user.get_username()}
        )
    newest = EmailChangeRequest.objects.filter(user=user).order_by("-requested_at", "-pk").first()
    if change.confirmed_at or newest.pk != change.pk or user.email != change.old_email:
        raise EmailChangeLinkError(_("This link has been used or replaced by a newer one."))
    user.email = change.new_email
    user.save(update_fields=["email"])
    change.confirmed_at = timezone.now()
    change.save(update_fields=["confirmed_at"])
    _audit(user, by, AccountEvent.Action.EMAIL_CHANGE_CONFIRMED, f"{change.old_email or '—'} → {user.email}")
    return user


def pending_email_change(user: User) -> EmailChangeRequest | None:
    """The newest unconfirmed, unexpired request of ``user``, if any."""
    since = timezone.now() - datetime.timedelta(hours=programme_setting("EMAIL_CHANGE_LINK_MAX_AGE_HOURS"))
    newest = EmailChangeRequest.objects.filter(user=user).order_by("-requested_at", "-pk").first()
    if (
        newest
        and newest.confirmed_at is None
        and newest.requested_at >= since
        and user.email == newest.old_email
    ):
        return newest
    return None


# --- the HR employee import (rules in servicecraft.employee_import) -------------------

IMPORT_BATCH_SIZE = 500


def employees_import(*, handle: TextIO, actor: User | None = None) -> ImportResult:
    """Import HR's employee CSV: all rows, upserted by username, or nothing at all.

    Every row is checked first (:func:`servicecraft.employee_import.read_employee_file`);
    only a file without errors is written, in one transaction and in batches, so the
    number of queries does not grow with the number of people. New people get the Staff
    role; an import never changes roles, nor the email of an account above Staff (that
    takes the person's page, where the new address confirms it): it says whose it left.
    """

    with exclusive_import("employees"):
        return _employees_import(handle, actor=actor)


def _employees_import(handle: TextIO, *, actor: User | None) -> ImportResult:
    checked = read_employee_file(handle)
    result = checked.result
    if not result.ok or not checked.rows:
        return result
    try:
        kept_emails = _employees_write(checked, actor=actor)
    except IntegrityError:
        result.add_error(
            0, "username", _("These people were being imported at the same time: import the file again.")
        )
        return result
    result.created = len([r for r in checked.rows if r.username.lower() not in checked.existing_user_ids])
    result.updated = len(checked.rows) - result.created
    if checked.new_departments:
        result.notes.append(_("New departments: %(names)s.") % {"names": ", ".join(checked.new_departments)})
    if checked.new_positions:
        result.notes.append(_("New positions: %(names)s.") % {"names": ", ".join(checked.new_positions)})
    if kept_emails:
        result.notes.append(
            _(
                "The emails of %(names)s were not changed: they hold roles above Staff, so their new "
                "address must be confirmed from the person's page."
            )
            % {"names": ", ".join(kept_emails)}
        )
    return result


@transaction.atomic
def _employees_write(checked, *, actor: User | None) -> list[str]:
    """Write a checked file in one transaction; the usernames whose new email was kept back."""
    departments = _names_to_objects(Department, checked.new_departments, [r.department for r in checked.rows])
    positions = _names_to_objects(Position, checked.new_positions, [r.position for r in checked.rows])
    today = timezone.localdate()
    new_rows = [r for r in checked.rows if r.username.lower() not in checked.existing_user_ids]
    updated_rows = [r for r in checked.rows if r.username.lower() in checked.existing_user_ids]
    _employees_create_from_rows(new_rows, departments, positions, today, actor=actor)
    kept_emails = _employees_update_from_rows(
        updated_rows, checked.existing_user_ids, departments, positions, today, actor=actor
    )
    imported = Employee.objects.filter(
        Q(user_id__in=[checked.existing_user_ids[row.username.lower()] for row in updated_rows])
        | Q(user__username__in=[row.username for row in new_rows])
    )
    _announce_changed(list(imported.values_list("pk", flat=True)))
    return kept_emails


def _names_to_objects(model, new_names: list[str], wanted: list[str]) -> dict[str, object]:
    """lower-cased name → object for every name the file uses, creating the new ones."""
    model.objects.bulk_create([model(name=name) for name in new_names])
    lowered = {name.lower() for name in wanted if name}
    return {obj.name.lower(): obj for obj in model.objects.all() if obj.name.lower() in lowered}


def _is_active_account(left_on: datetime.date | None, today: datetime.date) -> bool:
    return left_on is None or left_on > today


def _employees_create_from_rows(rows, departments, positions, today: datetime.date, *, actor) -> None:
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
    AccountEvent.objects.bulk_create(
        [
            AccountEvent(
                subject_id=ids[row.username],
                actor=actor,
                action=AccountEvent.Action.ROLE_GRANTED,
                detail=STAFF,
            )
            for row in rows
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )


def _employees_update_from_rows(
    rows, user_ids: dict[str, int], departments, positions, today, *, actor
) -> list[str]:
    """Update the people of ``rows``; returns the usernames whose new email was not applied."""
    by_username = {row.username.lower(): row for row in rows}
    users = list(
        User.objects.filter(pk__in=[user_ids[key] for key in by_username]).prefetch_related(
            Prefetch("groups", queryset=Group.objects.filter(name__in=ALL_ROLES), to_attr="role_groups")
        )
    )
    employees = {e.user_id: e for e in Employee.objects.filter(user__in=users)}
    kept_emails, events = [], []
    for user in users:
        row = by_username[user.username.lower()]
        user._servicecraft_roles = frozenset(group.name for group in user.role_groups)
        if row.email != user.email:
            if email_change_needs_confirmation(user):
                kept_emails.append(user.username)
            else:
                detail = f"{user.email or '—'} → {row.email or '—'}"
                events.append(
                    AccountEvent(
                        subject=user, actor=actor, action=AccountEvent.Action.EMAIL_CHANGED, detail=detail
                    )
                )
                user.email = row.email
        user.first_name, user.last_name = row.first_name, row.last_name
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
    AccountEvent.objects.bulk_create(events, batch_size=IMPORT_BATCH_SIZE)
    return sorted(kept_emails)
