"""Absolute links for emails, which are read outside the site."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on the site's address (``SITE_URL``); a full URL is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path
