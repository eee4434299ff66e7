"""Counting attempts per client address or per account, for the pages an attacker would hammer.

Sign-in has django-axes; the password-reset form and other public forms count here, in
the shared cache (Redis in production, so every gunicorn worker sees the same counts).
"""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address exactly as the sign-in throttle (django-axes, through django-ipware
    and the ``AXES_IPWARE_*`` settings) sees it: behind the trusted proxy, the address the
    proxy forwarded; a forged header gives the proxy's address, never someone else's."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or ""


def attempt_allowed(scope: str, key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt of ``key`` in ``scope``; False once more than ``limit`` fall in the window.

    The window starts with the first attempt (a fixed window): simple, and enough to
    turn a flood into a trickle.
    """
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
