"""Emails to customers are rendered in their language with ``translation.override``, and pages
switch language: each test here ends back in the default language, so one test in Russian
does not make the next speak Russian."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_after_the_test():
    yield
    translation.activate(settings.LANGUAGE_CODE)
