"""The one Celery application; its settings come from Django's ``CELERY_*``."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecraft.settings.local")

app = Celery("servicecraft")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
