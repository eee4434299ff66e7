"""Load the demo data of every app (idempotent) and print the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app's demo seeder, in dependency order; each is idempotent on its own.
DEMO_SEEDERS = [
    "servicecraft.demo.seed",
    "servicecraft.workforce_demo.seed",
    "standards.demo.seed",
    "metrics.demo.seed",
    # After metrics' seeder when there is one: demo complaints link to its customers.
    "complaints.demo.seed",
    "complaints.survey_demo.seed",
    "training.demo.seed",
    # Last: the first metrics snapshot reads every other app's demo data.
    "metrics.demo.seed_snapshot",
]


class Command(BaseCommand):
    help = "Create demo departments, people and data for every app; safe to run twice."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            logins = import_string(DEMO_SEEDERS[0])()
            for path in DEMO_SEEDERS[1:]:
                import_string(path)()
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Sign in at {site}/ with:"))
        for username, password, roles in logins:
            self.stdout.write(f"  {username:<10} {password:<20} {roles}")
