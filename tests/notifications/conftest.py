"""Fixtures of the notification tests: a controllable reminder provider."""

from __future__ import annotations

import pytest

from notifications import registry
from tests.notifications import fake_provider


@pytest.fixture
def provider(monkeypatch):
    """The only reminder provider during the test; append items (or ``f(today)``) to it."""
    monkeypatch.setattr(registry, "reminder_providers", lambda: [fake_provider])
    fake_provider.ITEMS.clear()
    yield fake_provider.ITEMS
    fake_provider.ITEMS.clear()
