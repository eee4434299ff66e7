"""Template context every page needs: which roles the viewer holds (for the navigation), and
whether the page speaks another language than the person's own (to offer to keep it)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from people.roles import HR, MANAGER, STAFF, user_roles

# The person's own language, kept in the session at sign-in (people.views.SignInView).
PROFILE_LANGUAGE_KEY = "profile_language"


def roles(request: HttpRequest) -> dict:
    held = user_roles(getattr(request, "user", None))
    session = getattr(request, "session", None)
    own = session.get(PROFILE_LANGUAGE_KEY) if session is not None else None
    return {
        # The page is in another language than the person's own: offer to keep it.
        "language_offer": bool(own) and own != translation.get_language(),
        "is_manager": MANAGER in held,
        "is_hr": HR in held,
        "is_staff_member": STAFF in held,
        "default_currency": settings.DEFAULT_CURRENCY,
    }
