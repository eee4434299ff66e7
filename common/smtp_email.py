"""Sending one email over an SMTP connection we own, so the outbox can record it at the 250.

Django's SMTP backend returns from ``send()`` only after QUIT and its reply; a worker
killed while a slow server answers QUIT has had its message accepted but never marked
sent, and the email goes out again after the lease. Here the conversation is split:
open, send, call ``on_accepted`` (the outbox's one UPDATE) as soon as the server has
answered 250 to the message, then QUIT. The window for a duplicate is the time between
that 250 and the UPDATE.

Two more promises the outbox's lease relies on:

- The whole conversation up to the server's answer ends within ``EMAIL_TIMEOUT``: every
  command shares one deadline (smtplib alone applies the timeout to each read).
- A failure while waiting for the server's answer to the message is raised as
  :class:`AcceptanceUnknown`: the server may have taken the message all the same.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import sanitize_address

logger = logging.getLogger(__name__)

END_OF_DATA = b"\r\n.\r\n"


class AcceptanceUnknown(smtplib.SMTPException):
    """The message was handed over, but the server's answer to it never came."""


class _OneDeadline:
    """Every read and write of the conversation shares the deadline set when it opened."""

    def __init__(self, *args, timeout: float = socket._GLOBAL_DEFAULT_TIMEOUT, **kwargs) -> None:
        seconds = timeout if isinstance(timeout, int | float) else settings.EMAIL_TIMEOUT
        self.deadline = time.monotonic() + seconds
        self.handed_over = False
        super().__init__(*args, timeout=timeout, **kwargs)

    def _arm(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the SMTP conversation took longer than EMAIL_TIMEOUT")
        if self.sock is not None:
            self.sock.settimeout(remaining)

    def send(self, s) -> None:
        self._arm()
        super().send(s)
        if isinstance(s, bytes) and s.endswith(END_OF_DATA):
            self.handed_over = True

    def getreply(self):
        self._arm()
        return super().getreply()

    def data(self, msg):
        self.handed_over = False
        try:
            return super().data(msg)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            if self.handed_over:
                raise AcceptanceUnknown(f"no answer from the server to the message: {exc}") from exc
            raise


class DeadlineSMTP(_OneDeadline, smtplib.SMTP):
    pass


class DeadlineSMTPSSL(_OneDeadline, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoSMTPBackend):
    """Django's SMTP backend with one deadline per conversation and :meth:`send_confirmed`."""

    @property
    def connection_class(self):
        return DeadlineSMTPSSL if self.use_ssl else DeadlineSMTP

    def send_confirmed(self, message: EmailMessage, *, on_accepted: Callable[[], None]) -> None:
        """Open a connection, send ``message``, call ``on_accepted`` right after the server's
        250, then QUIT. Errors before the 250 propagate; errors while closing are only logged
        (the message is accepted by then)."""
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        if not recipients:
            raise smtplib.SMTPRecipientsRefused({})
        payload = message.message().as_bytes(linesep="\r\n")
        with self._lock:
            self.open()
            try:
                self.connection.sendmail(sender, recipients, payload)
                on_accepted()
            finally:
                self._close_quietly()

    def _close_quietly(self) -> None:
        try:
            self.close()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("closing the SMTP connection failed: %s", exc)
            if self.connection is not None:
                self.connection.close()
            self.connection = None


def send_confirmed(message: EmailMessage, *, on_accepted: Callable[[], None]) -> None:
    """Send ``message`` and call ``on_accepted`` as soon as the mail server has accepted it.

    Over SMTP (:class:`EmailBackend`) that is right after the 250, before QUIT; other
    backends (the console, the tests' in-memory outbox) hold no conversation after
    taking the message, so it is right after they return.
    """
    connection = message.get_connection()
    if isinstance(connection, EmailBackend):
        connection.send_confirmed(message, on_accepted=on_accepted)
        return
    connection.send_messages([message])
    on_accepted()
