"""``manage.py receive_email < message.eml``: a mail server's pipe into the intake."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from complaints.conversation.models import MessageKind
from complaints.conversation.reply_address import reply_address
from complaints.intake import services
from complaints.intake.models import QuarantinedMail, QuarantineReason
from complaints.models import Complaint
from tests.complaints.intake.mails import a_bounce, raw_mail
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def receive(monkeypatch, raw: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue()


def test_it_makes_a_complaint_of_the_mail_on_stdin(monkeypatch):
    out = receive(monkeypatch, raw_mail())

    complaint = Complaint.objects.get()
    assert complaint.channel == "email"
    assert out.strip() == f"<complaint-1@example.test>: complaint (complaint {complaint.pk})"


def test_it_threads_a_reply_from_stdin(monkeypatch):
    complaint = ComplaintFactory()

    receive(monkeypatch, raw_mail(to=reply_address(complaint.pk), text="Thank you.\n"))

    assert complaint.messages.get(kind=MessageKind.CUSTOMER).body == "Thank you."


def test_it_says_a_mail_piped_twice_was_processed_before(monkeypatch):
    receive(monkeypatch, raw_mail())

    out = receive(monkeypatch, raw_mail())

    assert "processed before" in out
    assert Complaint.objects.count() == 1


def test_it_quarantines_bad_mail_from_stdin(monkeypatch):
    out = receive(monkeypatch, a_bounce())

    assert QuarantinedMail.objects.get().reason == QuarantineReason.BOUNCE
    assert "quarantined" in out


def test_it_asks_the_mail_server_to_try_again_when_nothing_could_be_stored(monkeypatch):
    def database_down(**kwargs):
        raise ConnectionError("no database")

    monkeypatch.setattr(services, "_receive_once", database_down)
    monkeypatch.setattr(services, "_quarantine", database_down)

    with pytest.raises(CommandError) as failed:
        receive(monkeypatch, raw_mail())

    assert failed.value.returncode == 75


def test_it_refuses_an_empty_stdin(monkeypatch):
    with pytest.raises(CommandError) as failed:
        receive(monkeypatch, b"")

    assert failed.value.returncode == 75
