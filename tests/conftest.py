"""Fixtures every test can use: users per role, real-service guards, the browser."""

from __future__ import annotations

import os
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from people.roles import HR, MANAGER, STAFF
from tests.factories import EmployeeFactory

# The private Dovecot fixtures (imap_server, imap_mailbox) for tests of mailbox polling.
pytest_plugins = ["tests.imap_server"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _needs(what: str, available: bool) -> None:
    """Skip locally when a real service is missing; in CI, fail: CI must run it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available here")


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages cache figures between requests (the complaint analysis, the survey results, the
    dashboard's survey tiles): each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def require_postgres(db) -> None:
    _needs("PostgreSQL", connection.vendor == "postgresql")


def _redis_up() -> bool:
    from django.conf import settings

    if not settings.REDIS_URL:
        return False
    from urllib.parse import urlparse

    url = urlparse(settings.REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_redis() -> str:
    from django.conf import settings

    _needs("Redis (REDIS_URL)", _redis_up())
    return settings.REDIS_URL


@pytest.fixture
def staff_employee(db):
    return EmployeeFactory(roles=[STAFF])


@pytest.fixture
def hr_employee(db):
    return EmployeeFactory(roles=[HR], customer_facing=False)


@pytest.fixture
def manager_employee(db):
    return EmployeeFactory(roles=[MANAGER])


def _signed_in_client(employee) -> Client:
    """A client of its own per role, so a test using two roles never shares one session
    (with pytest-django's single ``client`` the second login silently replaced the first)."""
    signed_in = Client()
    signed_in.force_login(employee.user)
    return signed_in


@pytest.fixture
def staff_client(staff_employee):
    return _signed_in_client(staff_employee)


@pytest.fixture
def hr_client(hr_employee):
    return _signed_in_client(hr_employee)


@pytest.fixture
def manager_client(manager_employee):
    return _signed_in_client(manager_employee)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port; ``.handler.messages`` holds what it accepted."""
    from tests.smtp import LoopbackSMTPServer

    with LoopbackSMTPServer() as server:
        yield server
