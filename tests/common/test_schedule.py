"""The default beat schedule is installed by the apps' migrations and editable by admins."""

from __future__ import annotations

from django.apps import apps
from django_celery_beat.models import PeriodicTask

from common.schedule import periodic_task_install, periodic_task_install_every, periodic_tasks_rename
from servicecraft.celery import app


def test_it_installs_the_default_schedule(db):
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}

    reminders = tasks["Daily reminders"]
    assert (reminders.task, reminders.crontab.hour, reminders.crontab.minute) == (
        "notifications.send_daily_reminders",
        "8",
        "0",
    )
    weekly = tasks["Weekly report"]
    assert weekly.task == "reports.send_weekly_reports"
    assert (weekly.crontab.day_of_week, weekly.crontab.hour) == ("1", "8")
    assert str(weekly.crontab.timezone) == "Europe/Moscow"
    assert tasks["Nightly metrics recompute"].task == "metrics.recompute_snapshot"


def test_it_installs_the_outbox_sweep_every_email_sweep_minutes(db, settings):
    sweep = PeriodicTask.objects.select_related("interval").get(name="Emails whose task was lost")

    assert sweep.task == "notifications.sweep_outbox"
    assert (sweep.interval.every, sweep.interval.period) == (settings.EMAIL_SWEEP_MINUTES, "minutes")


def test_it_installs_an_interval_entry_with_the_configured_minutes(db):
    PeriodicTask.objects.filter(name="Emails whose task was lost").delete()

    periodic_task_install_every(
        apps, name="Emails whose task was lost", task="notifications.sweep_outbox", minutes=2
    )

    assert PeriodicTask.objects.get(name="Emails whose task was lost").interval.every == 2


def test_it_names_only_registered_tasks(db):
    app.loader.import_default_modules()
    scheduled = set(
        PeriodicTask.objects.exclude(task="celery.backend_cleanup").values_list("task", flat=True)
    )
    assert scheduled
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_it_keeps_an_admins_change_when_installed_again(db):
    PeriodicTask.objects.filter(name="Weekly report").update(enabled=False)

    periodic_task_install(
        apps, name="Weekly report", task="reports.send_weekly_reports", minute="0", hour="8", day_of_week="1"
    )

    assert PeriodicTask.objects.filter(name="Weekly report").count() == 1
    assert PeriodicTask.objects.get(name="Weekly report").enabled is False


def test_it_points_an_old_entry_at_the_tasks_new_name(db):
    PeriodicTask.objects.filter(name="Daily reminders").update(task="servicecraft.send_daily_reminders")

    periodic_tasks_rename(apps, {"servicecraft.send_daily_reminders": "notifications.send_daily_reminders"})

    assert PeriodicTask.objects.get(name="Daily reminders").task == "notifications.send_daily_reminders"


def test_it_installs_the_inbound_mailbox_poll_every_imap_poll_minutes(db, settings):
    poll = PeriodicTask.objects.select_related("interval").get(task="complaints.poll_inbound_mailbox")

    assert (poll.interval.every, poll.interval.period) == (settings.IMAP_POLL_MINUTES, "minutes")
    assert poll.task in app.tasks
