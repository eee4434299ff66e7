"""An inbound mail into the intake (complaints.intake.services.mail_receive): a new complaint,
the customer's reply on its complaint, or a quarantine entry — each mail once."""

from __future__ import annotations

import logging

import pytest

from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.conversation.reply_address import reply_address
from complaints.intake import services
from complaints.intake.models import MailOutcome, ProcessedMail, QuarantinedMail, QuarantineReason
from complaints.intake.services import mail_receive
from complaints.models import Complaint
from tests.complaints.intake.mails import CUSTOMER, SUBJECT, a_bounce, raw_mail
from tests.factories import ComplaintFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def test_it_makes_an_email_complaint_from_a_new_mail():
    receipt = mail_receive(raw=raw_mail(), source="pipe")

    complaint = Complaint.objects.get()
    assert receipt.outcome == MailOutcome.COMPLAINT and receipt.complaint_id == complaint.pk
    assert complaint.channel == "email"
    assert (complaint.customer_name, complaint.customer_contact) == ("Анна Петрова", CUSTOMER)
    assert complaint.summary == SUBJECT
    assert complaint.details == "Заказ 4711 привезли в 21:00 вместо 19:00.\nКурьер не позвонил."
    assert complaint.customer is None
    assert ProcessedMail.objects.get().complaint == complaint


def test_it_links_the_complaint_to_the_customer_with_that_email():
    customer = CustomerFactory(email=CUSTOMER.upper())

    mail_receive(raw=raw_mail(), source="pipe")

    assert Complaint.objects.get().customer == customer


def test_it_acknowledges_the_complaint_to_the_sender_in_their_language():
    mail_receive(raw=raw_mail(), source="pipe")

    acknowledgement = ComplaintMessage.objects.get(kind=MessageKind.ACKNOWLEDGEMENT)
    assert acknowledgement.address == CUSTOMER
    assert acknowledgement.notification.language == "ru"


def test_it_takes_the_summary_from_the_first_line_without_a_subject():
    mail_receive(raw=raw_mail(subject=""), source="pipe")

    assert Complaint.objects.get().summary == "Заказ 4711 привезли в 21:00 вместо 19:00."


def test_it_threads_a_reply_to_the_signed_address_into_its_complaint():
    complaint = ComplaintFactory(customer_contact=CUSTOMER)

    receipt = mail_receive(
        raw=raw_mail(to=reply_address(complaint.pk), subject="Re: Your complaint", text="Still waiting.\n"),
        source="imap",
    )

    assert (receipt.outcome, receipt.complaint_id) == (MailOutcome.REPLY, complaint.pk)
    assert Complaint.objects.count() == 1
    message = complaint.messages.get(kind=MessageKind.CUSTOMER)
    assert (message.body, message.address, message.message_id) == (
        "Still waiting.",
        CUSTOMER,
        "<complaint-1@example.test>",
    )


def test_it_makes_a_new_complaint_of_a_reply_with_a_forged_reference():
    complaint = ComplaintFactory()
    local, _at, domain = reply_address(complaint.pk).rpartition("@")
    forged = f"{local[:-1]}{'A' if local[-1] != 'A' else 'B'}@{domain}"

    receipt = mail_receive(raw=raw_mail(to=forged), source="imap")

    assert receipt.outcome == MailOutcome.COMPLAINT
    assert not complaint.messages.filter(kind=MessageKind.CUSTOMER).exists()


def test_it_processes_the_same_mail_once():
    first = mail_receive(raw=raw_mail(), source="imap")
    second = mail_receive(raw=raw_mail(), source="pipe")

    assert Complaint.objects.count() == 1
    assert (first.duplicate, second.duplicate) == (False, True)


def test_it_processes_a_mail_without_message_id_once():
    mail_receive(raw=raw_mail(message_id=None), source="imap")
    mail_receive(raw=raw_mail(message_id=None), source="imap")

    assert Complaint.objects.count() == 1
    assert ProcessedMail.objects.get().key.startswith("sha256:")


def test_it_quarantines_bad_mail_with_its_raw_bytes_and_a_log_line(caplog):
    raw = a_bounce()

    with caplog.at_level(logging.WARNING, logger="complaints.intake.services"):
        receipt = mail_receive(raw=raw, source="imap")

    assert receipt.outcome == MailOutcome.QUARANTINED
    assert not Complaint.objects.exists()
    entry = QuarantinedMail.objects.get()
    assert (entry.reason, entry.sender, entry.size) == (
        QuarantineReason.BOUNCE,
        "MAILER-DAEMON@mx.example.test",
        len(raw),
    )
    assert entry.subject == "Undelivered Mail Returned to Sender"
    with entry.raw.open("rb") as stored:
        assert stored.read() == raw
    assert "quarantined (bounce)" in caplog.text and "MAILER-DAEMON@mx.example.test" in caplog.text


def test_it_stores_quarantined_mail_under_names_nobody_can_guess():
    mail_receive(
        raw=raw_mail(headers={"Auto-Submitted": "auto-replied"}, message_id="<a@x.test>"), source="imap"
    )
    mail_receive(
        raw=raw_mail(headers={"Auto-Submitted": "auto-replied"}, message_id="<b@x.test>"), source="imap"
    )

    names = [entry.raw.name for entry in QuarantinedMail.objects.all()]
    assert all(name.startswith(f"{services.QUARANTINE_FOLDER}/") and name.endswith(".eml") for name in names)
    assert len({name.rsplit("/", 1)[1] for name in names}) == 2
    assert all(len(name.rsplit("/", 1)[1]) >= 32 for name in names)


def test_it_quarantines_a_mail_once():
    mail_receive(raw=a_bounce(), source="imap")
    mail_receive(raw=a_bounce(), source="imap")

    assert QuarantinedMail.objects.count() == 1


def test_it_quarantines_a_mail_whose_processing_fails(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("the database said no")

    monkeypatch.setattr(services.complaints, "complaint_create", broken)

    with caplog.at_level(logging.ERROR, logger="complaints.intake.services"):
        receipt = mail_receive(raw=raw_mail(), source="imap")

    assert receipt.outcome == MailOutcome.QUARANTINED
    entry = QuarantinedMail.objects.get()
    assert entry.reason == QuarantineReason.FAILED
    assert "RuntimeError: the database said no" in entry.detail
    assert not Complaint.objects.exists()
    assert "processing failed" in caplog.text


def test_it_keeps_the_announced_size_of_a_mail_fetched_by_its_header(settings):
    settings.INBOUND_MAIL_MAX_BYTES = 1000
    header = raw_mail().split(b"\n\n", 1)[0] + b"\n\n"

    mail_receive(raw=header, size=30_000_000, source="imap")

    entry = QuarantinedMail.objects.get()
    assert (entry.reason, entry.size) == (QuarantineReason.TOO_LARGE, 30_000_000)


def test_it_puts_aside_a_flood_from_one_sender_without_losing_it(settings):
    from complaints.intake import flood

    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "INTAKE_MAIL_PER_SENDER_PER_HOUR": 2}
    receipts = [
        mail_receive(raw=raw_mail(message_id=f"<flood-{n}@example.test>"), source="pipe") for n in range(4)
    ]

    assert [receipt.outcome for receipt in receipts] == [
        MailOutcome.COMPLAINT,
        MailOutcome.COMPLAINT,
        MailOutcome.QUARANTINED,
        MailOutcome.QUARANTINED,
    ]
    assert Complaint.objects.count() == 2
    assert list(QuarantinedMail.objects.values_list("reason", flat=True)) == [QuarantineReason.FLOOD] * 2
    counts = {row["reason"]: row["today"] for row in flood.refusal_counts()}
    assert counts[flood.Refusal.MAIL_SENDER] == 2
    # Another sender is not held back by the first one's flood.
    other = raw_mail(sender="Boris <boris@example.test>", message_id="<other@example.test>")
    assert mail_receive(raw=other, source="pipe").outcome == MailOutcome.COMPLAINT
