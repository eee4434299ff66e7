"""List the rows whose dates break the plausibility rule; see ``common/data_checks.py``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from common.data_checks import implausible_values


class Command(BaseCommand):
    help = (
        "List rows whose dates are implausible (before 1900, more than a year ahead, or an event "
        "in the future); exits with an error when there are any."
    )

    def handle(self, *args, **options) -> None:
        found = implausible_values()
        for column in found:
            kind = "an event date (not in the future)" if column.event else "a date"
            self.stdout.write(f"{column.model}.{column.field} ({kind}): {column.count} implausible")
            for pk, raw in column.rows:
                self.stdout.write(f"  id {pk}: {raw}")
            if column.count > len(column.rows):
                self.stdout.write(f"  … and {column.count - len(column.rows)} more")
        if found:
            raise CommandError(
                f"{sum(column.count for column in found)} implausible dates: correct them in the "
                "admin or the application, or re-import the rows."
            )
        self.stdout.write(self.style.SUCCESS("Every date is plausible."))
