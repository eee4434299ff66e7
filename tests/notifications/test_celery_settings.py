"""The Celery settings that make "nothing lost, nothing twice" possible, pinned."""

from __future__ import annotations

from django.conf import settings

from common.outbox import lease
from common.programme import programme_setting
from servicecraft.celery import app


def test_it_acknowledges_tasks_only_when_they_finish():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_it_prefetches_one_task_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1


def test_it_stops_tasks_before_redis_would_deliver_them_again():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility


def test_it_speaks_only_json():
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert list(app.conf.accept_content) == ["json"]


def test_it_runs_the_schedule_in_company_time():
    assert app.conf.timezone == settings.TIME_ZONE == "Europe/Moscow"
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_it_keeps_the_delivery_lease_longer_than_an_smtp_timeout_and_a_build():
    assert lease().total_seconds() == settings.EMAIL_TIMEOUT + programme_setting("EMAIL_RENDER_SECONDS")
    assert lease().total_seconds() > settings.EMAIL_TIMEOUT


def test_it_stops_running_tasks_when_the_broker_connection_drops():
    # They could not be acknowledged any more and will be delivered again.
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
