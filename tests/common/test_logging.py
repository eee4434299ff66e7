"""A refused request logs one line; a server error keeps its traceback."""

from __future__ import annotations

import io
import logging

from django.urls import reverse

from common.log_filters import ClientErrorsOnOneLine


def _console_output(run) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ClientErrorsOnOneLine())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        run()
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_it_logs_a_403_on_one_line(staff_client):
    output = _console_output(lambda: staff_client.get(reverse("people:employee_list")))
    assert "Forbidden" in output
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_it_keeps_the_traceback_of_a_server_error():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    record.status_code = 500
    ClientErrorsOnOneLine().filter(record)
    assert record.exc_info is not None


def test_it_puts_the_filter_on_the_console_handler(settings):
    assert "client_errors_on_one_line" in settings.LOGGING["handlers"]["console"]["filters"]
