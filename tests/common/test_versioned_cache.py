"""Figures cached until their namespace is forgotten (common.versioned_cache)."""

from __future__ import annotations

from common.versioned_cache import cache_forget, cached_in


def test_it_computes_once_until_the_namespace_is_forgotten():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached_in("test:figures", ("a",), compute, timeout=60) == 1
    assert cached_in("test:figures", ("a",), compute, timeout=60) == 1
    assert cached_in("test:figures", ("b",), compute, timeout=60) == 2  # other parts, other figure
    cache_forget("test:figures")
    assert cached_in("test:figures", ("a",), compute, timeout=60) == 3
    cache_forget("test:other")  # another namespace leaves these alone
    assert cached_in("test:figures", ("a",), compute, timeout=60) == 3
