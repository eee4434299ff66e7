"""A reminder provider for tests: yields whatever the test put in ``ITEMS``."""

from __future__ import annotations

from notifications.registry import ReminderItem, ReminderKind

KINDS = [ReminderKind("test_deadline", "Test deadlines"), ReminderKind("test_daily", "Test daily items")]
ITEMS: list[ReminderItem] = []


def reminder_items(today):
    return [item for item in ITEMS if not callable(item)] + [
        made for factory in ITEMS if callable(factory) for made in factory(today)
    ]
