"""The SMTP conversation the outbox owns: accepted → recorded → QUIT, within one deadline."""

from __future__ import annotations

import smtplib
import threading
import time

import pytest
from django.core.mail import EmailMessage

from common.smtp_email import AcceptanceUnknown, send_confirmed


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.EMAIL_BACKEND = "common.smtp_email.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    return settings


def _message(to: str = "ann@example.com") -> EmailMessage:
    return EmailMessage("Hello", "Body", to=[to], headers={"Message-ID": "<notification.7@example.com>"})


def test_it_records_the_message_before_the_server_answers_quit(smtp_settings, smtp_server):
    smtp_server.handler.slow_quit(1)
    accepted = threading.Event()
    sender = threading.Thread(target=send_confirmed, args=(_message(),), kwargs={"on_accepted": accepted.set})

    sender.start()
    assert smtp_server.handler.quitting.wait(timeout=10)
    assert accepted.is_set()  # the server's QUIT is still hanging
    smtp_server.handler.release.set()
    sender.join(timeout=10)

    assert smtp_server.handler.count_by_message_id() == {"<notification.7@example.com>": 1}


def test_it_keeps_the_message_id_it_was_given(smtp_settings, smtp_server):
    send_confirmed(_message(), on_accepted=lambda: None)

    assert smtp_server.handler.messages[0]["Message-ID"] == "<notification.7@example.com>"


def test_it_ignores_a_server_that_hangs_up_instead_of_answering_quit(smtp_settings, smtp_server):
    smtp_server.handler.slow_quit(1)
    accepted = []

    send_confirmed(_message(), on_accepted=lambda: accepted.append(True))  # QUIT times out: logged only

    assert accepted == [True]


def test_it_says_acceptance_is_unknown_when_the_answer_to_the_message_never_comes(smtp_settings, smtp_server):
    smtp_server.handler.hold_message(1)
    accepted = []
    started = time.monotonic()

    with pytest.raises(AcceptanceUnknown):
        send_confirmed(_message(), on_accepted=lambda: accepted.append(True))

    assert time.monotonic() - started < 3  # EMAIL_TIMEOUT (1 s) bounds the conversation
    assert accepted == []


def test_it_keeps_a_refusal_a_plain_error(smtp_settings, smtp_server):
    smtp_server.handler.hold_message(1)
    smtp_server.handler.release.set()  # the held message is refused (451) at once
    accepted = []

    with pytest.raises(smtplib.SMTPDataError):
        send_confirmed(_message(), on_accepted=lambda: accepted.append(True))

    assert accepted == []


def test_it_bounds_the_whole_conversation_not_each_command(smtp_settings, smtp_server):
    smtp_server.handler.answer_delay = 0.6  # each answer within EMAIL_TIMEOUT (1 s), both not
    started = time.monotonic()

    with pytest.raises(AcceptanceUnknown):
        send_confirmed(_message(), on_accepted=lambda: None)

    assert time.monotonic() - started < 1.5


def test_it_records_at_once_on_a_backend_without_a_conversation(settings, mailoutbox):
    accepted = []

    send_confirmed(_message(), on_accepted=lambda: accepted.append(len(mailoutbox)))

    assert accepted == [1]
