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
