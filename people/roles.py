"""The three roles of servicecraft and the one way views ask for them.

Roles are Django groups created by a data migration (``0002_roles``). Every view
declares the roles it serves with :func:`role_required`; anyone else gets a 403
page, never a crash or a redirect loop. Superusers hold every role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

MANAGER = "Manager"
HR = "HR"
STAFF = "Staff"
ALL_ROLES = (MANAGER, HR, STAFF)


def user_roles(user: Any) -> frozenset[str]:
    """The role names ``user`` holds, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return frozenset(ALL_ROLES)
    cached = getattr(user, "_servicecraft_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._servicecraft_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def role_required(*roles: str) -> Callable:
    """Let in signed-in users holding one of ``roles`` (any signed-in user if none)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


# --- Who may change whose roles and email ------------------------------------------
# An adversarial pass found HR making itself Manager and taking over a manager's account
# by changing its email and asking for a password reset. These three rules close that;
# services enforce them and forms only offer what they allow.


def grantable_roles(actor: Any, subject: Any | None) -> frozenset[str]:
    """The roles ``actor`` may grant to or remove from ``subject`` (``None``: a new account).

    - nobody changes their own roles;
    - only a superuser changes a superuser's roles;
    - Manager is granted and removed only by a Manager (or a superuser);
    - HR manages Staff and HR membership only;
    - ``actor=None`` is the server itself (a management command, the demo data): anything.
    """
    if actor is None:
        return frozenset(ALL_ROLES)
    if subject is not None and subject.pk == actor.pk:
        return frozenset()
    if subject is not None and subject.is_superuser and not actor.is_superuser:
        return frozenset()
    held = user_roles(actor)
    if MANAGER in held:
        return frozenset(ALL_ROLES)
    if HR in held:
        return frozenset({HR, STAFF})
    return frozenset()


def is_above_staff(user: Any) -> bool:
    """Whether ``user`` holds more than the Staff role (HR, Manager, admin rights)."""
    return bool(user.is_superuser or user.is_staff or user_roles(user) & {HR, MANAGER})


def may_change_email(actor: Any, subject: Any) -> bool:
    """Whether ``actor`` may change ``subject``'s email (a password reset goes there).

    HR and managers change the emails of the people they manage; a manager's email only a
    manager (or a superuser), a superuser's only a superuser; everyone their own.
    """
    if actor is None or actor.pk == subject.pk or actor.is_superuser:
        return True
    if subject.is_superuser or subject.is_staff:
        return False
    actor_roles = user_roles(actor)
    if MANAGER in user_roles(subject):
        return MANAGER in actor_roles
    return bool(actor_roles & {HR, MANAGER})


def email_change_needs_confirmation(subject: Any) -> bool:
    """An account above Staff keeps its email until the owner confirms the new address
    (signed in, from a link sent there); the old address is told."""
    return is_above_staff(subject)
