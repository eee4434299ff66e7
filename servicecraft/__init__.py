"""servicecraft: the project package. Configuration only: settings, the root URLconf,
the Celery application, WSGI/ASGI entry points and date formats. The product lives in
the apps beside it (see docs/architecture.md)."""

from servicecraft.celery import app as celery_app

__all__ = ("celery_app",)
