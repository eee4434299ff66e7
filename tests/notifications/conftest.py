"""Fixtures of the notification tests: a controllable reminder provider."""

from __future__ import annotations

import pytest

from servicecraft.lib import notifications
from tests.notifications import fake_provider


@pytest.fixture
def provider(monkeypatch):
    """The only reminder provider during the test; append items (or ``f(today)``) to it."""
    monkeypatch.setattr(notifications, "REMINDER_PROVIDERS", ["tests.notifications.fake_provider"])
    fake_provider.ITEMS.clear()
    yield fake_provider.ITEMS
    fake_provider.ITEMS.clear()


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port; ``.handler.messages`` holds what it accepted."""
    from tests.notifications.smtp import LoopbackSMTPServer

    with LoopbackSMTPServer() as server:
        yield server
