"""Files in a customer's mail: on the new complaint, or on the customer's message when the
mail answers one; a file the checks refuse is skipped and logged, the mail is not lost."""

from __future__ import annotations

import logging

import pytest

from complaints.attachments.models import Attachment
from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.conversation.reply_address import reply_address
from complaints.intake.mail import mail_parse
from complaints.intake.models import MailOutcome
from complaints.intake.services import mail_receive
from complaints.models import Complaint
from tests.complaints.attachments import files
from tests.complaints.intake.mails import a_mail
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def _with_files(*attached: tuple[str, bytes, str], **kwargs) -> bytes:
    message = a_mail(**kwargs)
    for name, data, content_type in attached:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_it_reads_the_files_of_a_mail_but_not_its_text():
    parsed = mail_parse(
        _with_files(("photo.jpg", files.JPEG, "image/jpeg"), ("x.pdf", files.PDF, "application/pdf"))
    )

    assert [(item.name, item.data) for item in parsed.attachments] == [
        ("photo.jpg", files.JPEG),
        ("x.pdf", files.PDF),
    ]
    assert "Заказ 4711" in parsed.body


def test_it_puts_a_new_mails_files_on_its_complaint():
    receipt = mail_receive(raw=_with_files(("photo.jpg", files.JPEG, "image/jpeg")), source="pipe")

    attachment = Attachment.objects.get()
    assert receipt.outcome == MailOutcome.COMPLAINT
    assert attachment.complaint_id == receipt.complaint_id and attachment.message is None
    assert (attachment.name, attachment.content_type, attachment.source) == (
        "photo.jpg",
        "image/jpeg",
        "email",
    )


def test_it_puts_a_replys_files_on_the_customers_message():
    complaint = ComplaintFactory(customer_contact="anna@example.test")
    raw = _with_files(
        ("scan.pdf", files.PDF, "application/pdf"), to=reply_address(complaint.pk), subject="Re: x"
    )

    receipt = mail_receive(raw=raw, source="imap")

    message = ComplaintMessage.objects.get(kind=MessageKind.CUSTOMER)
    assert receipt.outcome == MailOutcome.REPLY
    assert [a.name for a in message.attachments.all()] == ["scan.pdf"]
    assert Attachment.objects.get().complaint == complaint


def test_it_skips_a_refused_file_and_keeps_the_mail(caplog):
    raw = _with_files(
        ("invoice.pdf", files.EXE, "application/pdf"),
        ("page.jpg", files.HTML, "image/jpeg"),
        ("ok.png", files.PNG, "image/png"),
    )
    with caplog.at_level(logging.WARNING, logger="complaints.intake.services"):
        receipt = mail_receive(raw=raw, source="pipe")

    assert receipt.outcome == MailOutcome.COMPLAINT and Complaint.objects.count() == 1
    assert [a.name for a in Attachment.objects.all()] == ["ok.png"]
    assert "invoice.pdf is not a photo" in caplog.text and "page.jpg is not a photo" in caplog.text


def test_it_skips_the_files_past_the_limit(caplog, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "ATTACHMENT_MAX_FILES": 1}
    raw = _with_files(("a.png", files.PNG, "image/png"), ("b.png", files.PNG, "image/png"))
    with caplog.at_level(logging.WARNING, logger="complaints.intake.services"):
        mail_receive(raw=raw, source="pipe")

    assert [a.name for a in Attachment.objects.all()] == ["a.png"]
    assert "past the first 1 skipped" in caplog.text
