"""The default beat schedule: what runs when, in company time.

Installed by a data migration into django-celery-beat's tables, where admins can
change it (Admin → Periodic tasks). Installing twice changes nothing, and an
admin's later edits of a task are kept.
"""

from __future__ import annotations

from django.conf import settings

# name, task, crontab (minute, hour, day of week)
DEFAULT_SCHEDULE = [
    ("Daily reminders", "servicecraft.send_daily_reminders", ("0", "8", "*")),
    ("Weekly report", "servicecraft.send_weekly_reports", ("0", "8", "1")),
    ("Nightly metrics recompute", "metrics.recompute_snapshot", ("30", "2", "*")),
    ("Satisfaction surveys not sent yet", "complaints.send_outstanding_surveys", ("40", "*", "*")),
]


def install_default_schedule(crontab_model, task_model) -> None:
    """Create the default periodic tasks that do not exist yet (models passed in for migrations)."""
    for name, task, (minute, hour, day_of_week) in DEFAULT_SCHEDULE:
        if task_model.objects.filter(name=name).exists():
            continue
        crontab, _created = crontab_model.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=settings.CELERY_TIMEZONE,
        )
        task_model.objects.create(name=name, task=task, crontab=crontab, enabled=True)
