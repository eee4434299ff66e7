"""Settings for the test suite: PostgreSQL when DATABASE_URL is set, SQLite otherwise."""

from __future__ import annotations

from servicecraft.settings.base import *  # noqa: F403
from servicecraft.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run tasks in-process unless a test starts a real worker on purpose.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = True
# Each test process keeps its own cache, so tests never see each other's figures.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Moscow"
CELERY_TIMEZONE = TIME_ZONE

# The permission tests open every URL; security.txt exists only with a contact.
SECURITY_CONTACT = "security@example.com"
