"""Load the demo data of every app (idempotent) and print the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from common.discovery import app_modules


class Command(BaseCommand):
    help = "Create demo departments, people and data for every app; safe to run twice."

    def handle(self, *args, **options) -> None:
        """Each app's ``demo.seed()`` in INSTALLED_APPS order (an app's demo data builds on
        the apps before it); the organisation's returns the logins to print."""
        logins = []
        with transaction.atomic():
            for module in app_modules("demo"):
                logins += module.seed() or []
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Sign in at {site}/ with:"))
        for username, password, roles in logins:
            self.stdout.write(f"  {username:<10} {password:<20} {roles}")
