"""The default beat schedule is installed by a migration and editable by admins."""

from __future__ import annotations

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from servicecraft.celery import app
from servicecraft.schedule import install_default_schedule


def test_it_installs_the_default_schedule(db):
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}

    reminders = tasks["Daily reminders"]
    assert (reminders.task, reminders.crontab.hour, reminders.crontab.minute) == (
        "servicecraft.send_daily_reminders",
        "8",
        "0",
    )
    weekly = tasks["Weekly report"]
    assert (weekly.crontab.day_of_week, weekly.crontab.hour) == ("1", "8")
    assert str(weekly.crontab.timezone) == "Europe/Moscow"
    assert tasks["Nightly metrics recompute"].task == "metrics.recompute_snapshot"


def test_it_names_only_registered_tasks(db):
    app.loader.import_default_modules()
    for task in PeriodicTask.objects.exclude(task="celery.backend_cleanup"):
        assert task.task in app.tasks, task.task


def test_it_keeps_an_admins_change_when_installed_again(db):
    PeriodicTask.objects.filter(name="Weekly report").update(enabled=False)

    install_default_schedule(CrontabSchedule, PeriodicTask)

    assert PeriodicTask.objects.filter(name__in=["Daily reminders", "Weekly report"]).count() == 2
    assert PeriodicTask.objects.get(name="Weekly report").enabled is False
