"""servicecraft: the project package, home of the organisation (departments,
employees, roles) and of the helpers every app shares."""

from .celery import app as celery_app

__all__ = ("celery_app",)
