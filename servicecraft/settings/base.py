"""Settings shared by every environment, read from environment variables.

Every value a deployment may change comes from the environment (django-environ);
the README lists each variable with its default.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from common.programme import from_environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "csp",
    # servicecraft's own apps, in layer order: each may import the ones above it in
    # this list, never one below (import-linter checks it; docs/architecture.md).
    "common",
    "people",
    "notifications",
    "customers",
    "standards",
    "training",
    "complaints",
    "metrics",
    "programme",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicecraft.urls"
WSGI_APPLICATION = "servicecraft.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The complaint list's covering index carries extra columns on PostgreSQL; SQLite keeps
    # the index without them, which is all the embedded default needs (no warning at start-up).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Authentication -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock the username+address pair for an hour.
# The client's address: behind TRUSTED_PROXY_COUNT proxies (the README's TLS proxy: 1 in
# production, 0 here) it is the last address the proxies put in X-Forwarded-For, else
# the TCP peer. django-axes reads it through django-ipware, and so does common.throttle.
# python-ipware counts the proxies *listed* in X-Forwarded-For, which never holds the last
# proxy's own address (that one is REMOTE_ADDR): hence the count minus one. Strict chain
# checking (ipware's default) makes a header the client forged (one entry too many) fall
# back to REMOTE_ADDR, the proxy, so a forger neither borrows a victim's address nor
# escapes the count. docs/security.md explains the deployment side.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = max(TRUSTED_PROXY_COUNT - 1, 0)
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["servicecraft.formats"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

# The currency every amount (purchases, compensation, lifetime value) is kept in.
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", default="USD")

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and htmx come from the npm registry (package.json) and are served from
# node_modules: the site never asks a CDN for anything.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# On the console, emails print as they read (text part, names of the inline
# images), not as base64.
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    EMAIL_CONFIG["EMAIL_BACKEND"] = "common.console_email.EmailBackend"
# Over SMTP the outbox marks an email sent at the server's 250, before QUIT.
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    EMAIL_CONFIG["EMAIL_BACKEND"] = "common.smtp_email.EmailBackend"
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="servicecraft <servicecraft@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mailbox customers' answers to complaint emails go to: each email's Reply-To is this
# address with a signed plus-extension naming the complaint (complaints.conversation.reply_address).
COMPLAINTS_REPLY_ADDRESS = env("COMPLAINTS_REPLY_ADDRESS", default="")
# The whole SMTP conversation of one email, up to the server's answer, must end within
# this (common.smtp_email); a delivery claim's lease is this plus EMAIL_RENDER_SECONDS.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The outbox sweep re-queues emails whose task was lost (a Redis restart, a killed worker)
# every this many minutes: every email is out within a lease plus this after a crash. The
# beat entry is installed with this interval (`migrate`); Admin → Periodic tasks changes it.
EMAIL_SWEEP_MINUTES = env.int("EMAIL_SWEEP_MINUTES", default=5)
# The inbound mailbox (complaints.intake.mailbox; docs/complaints.md): polled over IMAP
# every IMAP_POLL_MINUTES by a beat task (installed by `migrate`) — no polling while
# IMAP_HOST is empty. A new mail makes a complaint, a reply to one of our emails lands on
# its complaint; handled mail is marked \Seen and, with IMAP_DONE_FOLDER, moved there.
IMAP_HOST = env("IMAP_HOST", default="")
IMAP_PORT = env.int("IMAP_PORT", default=993)
IMAP_USER = env("IMAP_USER", default="")
IMAP_PASSWORD = env("IMAP_PASSWORD", default="")
IMAP_FOLDER = env("IMAP_FOLDER", default="INBOX")
# Several folders to read, in order (e.g. INBOX,Kitchen, where the mail server files a
# department's alias); empty: IMAP_FOLDER alone. Each mail is processed once across them.
IMAP_FOLDERS = env.list("IMAP_FOLDERS", default=[])
IMAP_DONE_FOLDER = env("IMAP_DONE_FOLDER", default="")
IMAP_SSL = env.bool("IMAP_SSL", default=True)
IMAP_TIMEOUT = env.int("IMAP_TIMEOUT", default=60)
IMAP_POLL_MINUTES = env.int("IMAP_POLL_MINUTES", default=1)
# A bigger inbound mail is quarantined unread (the raw message is kept).
INBOUND_MAIL_MAX_BYTES = env.int("INBOUND_MAIL_MAX_BYTES", default=20 * 1024 * 1024)
# Where to report a vulnerability (an email address or an https URL), published as
# /.well-known/security.txt (docs/security.md); unset, that file is a 404.
SECURITY_CONTACT = env("SECURITY_CONTACT", default="")
# Absolute links in emails (password reset, reminders, reports) start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------------
# Without REDIS_URL the embedded default runs every task in-process (eager), so a
# newcomer needs no Redis; production sets REDIS_URL and runs a worker and beat.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or env("CELERY_BROKER_URL", default=""))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
# A task is acknowledged only when it has finished, and re-queued when its worker
# dies, so that a crash never loses work; tasks are idempotent to make the
# resulting re-run harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis re-delivers an unacknowledged task after the visibility timeout; the time
# limits stay well below it so a running task is never delivered twice.
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=2 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_TASK_TIME_LIMIT = min(60 * 60, BROKER_VISIBILITY_TIMEOUT // 2)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 5 // 6
# When the broker connection drops (Redis restarts), a running acks-late task could
# no longer be acknowledged and will be delivered again: stop it rather than let two
# copies run. Its work is idempotent, so the redelivered copy finishes the job.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# One queue name per deployment (or per test worker) so workers never steal each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Cache ----------------------------------------------------------------------
# Cached figures (complaint analysis, charts) must be shared by every web process in
# production, so the cache lives in Redis whenever Redis is configured.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "sc"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors_on_one_line": {"()": "common.log_filters.ClientErrorsOnOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_on_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # matplotlib says at INFO, for every chart with labels like "2026-W47", that it
        # plots them as categories, which is what the charts want.
        "matplotlib": {"level": "WARNING"},
    },
}

# --- servicecraft ---------------------------------------------------------------
# The programme's figures (training periods, promise buffer, complaint rate…): each is
# declared once in common/programme.py with its default, unit and source; any of them
# can be set here through an environment variable of the same name.
SERVICECRAFT = from_environment(lambda name: os.environ.get(name))
