"""Send today's reminder digests now, in this process (no worker or Redis needed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import notifications_deliver_now, reminders_prepare


class Command(BaseCommand):
    help = "Send today's reminder digests (one per person, each item once per period); safe to run twice."

    def handle(self, *args, **options) -> None:
        sent, failed = notifications_deliver_now(reminders_prepare(today=timezone.localdate()))
        self.stdout.write(f"Reminder digests sent: {sent}, not sent: {failed}")
