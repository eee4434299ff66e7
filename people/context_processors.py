"""Template context every page needs: which roles the viewer holds (for the navigation)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from people.roles import HR, MANAGER, STAFF, user_roles


def roles(request: HttpRequest) -> dict:
    held = user_roles(getattr(request, "user", None))
    return {
        "is_manager": MANAGER in held,
        "is_hr": HR in held,
        "is_staff_member": STAFF in held,
        "default_currency": settings.DEFAULT_CURRENCY,
    }
