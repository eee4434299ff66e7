"""Figures cached until the facts behind them change: a namespace's version, bumped by the
services that change those facts, is part of every key, so a figure computed before a change
is never read after it; the timeout only bounds how long an unread figure is kept.

Used by the complaint analysis (bumped by every complaint or survey write) and the training
compliance trend (bumped by every refresh of the stored standings).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def _version_key(namespace: str) -> str:
    return f"{namespace}:version"


def cache_version(namespace: str) -> int:
    """The namespace's current version (0 until the first change)."""
    return cache.get_or_set(_version_key(namespace), 0, None)


def cache_forget(namespace: str) -> None:
    """Every figure cached in ``namespace`` so far is stale from now on."""
    try:
        cache.incr(_version_key(namespace))
    except ValueError:  # no version yet (or evicted): any new one differs from the old keys'
        cache.set(_version_key(namespace), 1, None)


def cached_in(namespace: str, parts: tuple, compute: Callable[[], T], *, timeout: int) -> T:
    """``compute()``, kept under ``namespace``'s current version and ``parts`` (whatever else
    the figure depends on: dates, language, scope) for at most ``timeout`` seconds."""
    payload = "|".join(str(part) for part in (cache_version(namespace), *parts))
    key = f"{namespace}:{hashlib.sha256(payload.encode()).hexdigest()}"
    return cache.get_or_set(key, compute, timeout)
