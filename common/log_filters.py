"""Logging filters: a refused request is one line, a server error keeps its traceback.

Django logs a 403 (a person opened a page of another role) and a 404 with the exception
attached, so every expected refusal printed a traceback; those lines say what happened in
one line. Errors (status 500 and above) keep their traceback.
"""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
