"""The WSGI application ``manage.py bench --load`` serves with gunicorn: the site, plus the
one-query floor page (:mod:`common.bench_urls`), without DEBUG, on the bench database."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecraft.settings.local")
application = get_wsgi_application()

# Imported before the switch: it reads the site's own URLconf from ROOT_URLCONF.
import common.bench_urls  # noqa: E402, F401

settings.ROOT_URLCONF = "common.bench_urls"
settings.DEBUG = False
