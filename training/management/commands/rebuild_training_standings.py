"""``manage.py rebuild_training_standings``: compute every stored training standing again
from the facts (after a restore, a changed policy, or rows changed behind the services)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from training import services


class Command(BaseCommand):
    help = "Rebuild the stored training standings (the twice-a-year rule) of every employee from scratch."

    def handle(self, *args, **options) -> None:
        count = services.training_standings_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} training standings rebuilt."))
