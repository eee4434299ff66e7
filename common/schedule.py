"""Periodic tasks installed by data migrations into django-celery-beat's tables.

Each app installs the entries of its own tasks from a migration (the default time is
company time); admins change them later under Admin → Periodic tasks. Installing twice
changes nothing, and an admin's later edits of an entry are kept. These helpers take
the migration's ``apps`` so that they use the historical models.
"""

from __future__ import annotations

from django.conf import settings


def periodic_task_install(
    apps, *, name: str, task: str, minute: str, hour: str = "*", day_of_week: str = "*"
) -> None:
    """Create the periodic task ``name`` running ``task`` on that crontab, unless it exists."""
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    if periodic_task.objects.filter(name=name).exists():
        return
    crontab, _created = apps.get_model("django_celery_beat", "CrontabSchedule").objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_week=day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone=settings.CELERY_TIMEZONE,
    )
    periodic_task.objects.create(name=name, task=task, crontab=crontab, enabled=True)


def periodic_tasks_rename(apps, renames: dict[str, str]) -> None:
    """Point the stored entries at a task's new name (a task moved to another app)."""
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in renames.items():
        periodic_task.objects.filter(task=old).update(task=new)


def periodic_task_install_every(apps, *, name: str, task: str, minutes: int) -> None:
    """Create the periodic task ``name`` running ``task`` every ``minutes``, unless it exists."""
    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    if periodic_task.objects.filter(name=name).exists():
        return
    interval, _created = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(
        every=max(1, minutes), period="minutes"
    )
    periodic_task.objects.create(name=name, task=task, interval=interval, enabled=True)
