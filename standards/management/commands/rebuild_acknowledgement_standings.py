"""``manage.py rebuild_acknowledgement_standings``: count the stored acknowledgement
coverage again from the facts (after a restore, or rows changed behind the services)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from standards import services


class Command(BaseCommand):
    help = "Rebuild the stored acknowledgement coverage (per standard, department and position) from scratch."

    def handle(self, *args, **options) -> None:
        count = services.acknowledgement_standings_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{count} acknowledgement standings rebuilt."))
