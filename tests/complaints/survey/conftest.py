"""The survey pages switch to the customer's language (``translation.activate``) and leave it
active in the test's thread: each test here ends back in the default language, so a Russian
page does not make the next test's selectors speak Russian."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_after_the_test():
    yield
    translation.activate(settings.LANGUAGE_CODE)
