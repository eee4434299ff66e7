"""Playwright driving Debian's chromium against pytest-django's live server.

Use ``page`` for a fresh browser tab and ``login(page, user)`` to sign in through
the real login form. Tests here are marked ``browser``; in CI a missing chromium
fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import _needs

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "password"  # what tests.factories.UserFactory sets


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent.name == "browser":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium_browser():
    """One chromium per test module.

    Playwright's sync API keeps an event loop running in the test thread while it
    is open, which Django's async-safety guard mistakes for async code; the guard is
    lifted only while the browser lives, and the browser closes with the module so
    that other tests run with the guard in place.
    """
    _needs("chromium at /usr/bin/chromium", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium_browser, live_server, transactional_db):
    """A fresh browser tab whose relative URLs go to the live server.

    Every request leaving for another host is recorded in ``page.external_requests``
    (and aborted): the app must work with no internet.
    """
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    tab.external_requests = []

    def guard(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            tab.external_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    tab.console_errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    yield tab
    context.close()


def login(page, user, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()
