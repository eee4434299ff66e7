"""The acknowledgement: once per complaint, to the complaint's contact, in the customer's language,
never to an address that opted out."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from complaints import services
from complaints.conversation import services as conversation
from complaints.conversation.emails import ACKNOWLEDGEMENT_EMAIL
from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.conversation.reply_address import complaint_id_from_headers
from customers.services import customer_email_opt_out
from notifications.models import Notification
from tests.factories import ComplaintFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _log(capture, **fields):
    fields = {"summary": "The parcel never came", "channel": "phone", **fields}
    with capture(execute=True):
        return services.complaint_create(logged_by=UserFactory(roles=["Staff"]), **fields)


def _acknowledgements():
    return [message for message in mail.outbox if message.subject.startswith("Your complaint")]


def test_it_acknowledges_a_complaint_to_the_contact_given_on_it(django_capture_on_commit_callbacks):
    kirill = CustomerFactory(name="Kirill Popov", email="kirill@example.com")
    complaint = _log(
        django_capture_on_commit_callbacks,
        customer=kirill,
        customer_name="Elena Petrova",
        customer_contact="elena.petrova@example.com",
    )

    [email] = _acknowledgements()
    assert email.to == ["elena.petrova@example.com"]
    assert email.subject == f"Your complaint #{complaint.pk}"
    assert "Dear Elena Petrova," in email.body
    assert f"Your reference number: {complaint.pk}" in email.body
    assert "writes to you at this address" in email.body
    ack = ComplaintMessage.objects.get(complaint=complaint, kind=MessageKind.ACKNOWLEDGEMENT)
    assert ack.address == "elena.petrova@example.com"
    assert Notification.objects.get(pk=ack.notification_id).status == "sent"


def test_it_uses_the_customer_records_email_when_the_contact_is_a_phone(django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="record@example.com")
    _log(django_capture_on_commit_callbacks, customer=customer, customer_contact="+7 900 000-00-00")
    assert [email.to for email in _acknowledgements()] == [["record@example.com"]]


def test_it_says_the_promised_date_when_one_is_set(django_capture_on_commit_callbacks):
    promised = timezone.localdate() + datetime.timedelta(days=5)
    _log(django_capture_on_commit_callbacks, customer_contact="a@example.com", promised_on=promised)
    [email] = _acknowledgements()
    assert "We will have an answer for you by" in email.body
    assert str(promised.year) in email.body


def test_it_promises_no_date_when_none_is_set(django_capture_on_commit_callbacks):
    _log(django_capture_on_commit_callbacks, customer_contact="a@example.com")
    [email] = _acknowledgements()
    assert "We will have an answer for you by" not in email.body


def test_it_writes_in_the_customers_language(django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="olga@example.com", language="ru")
    complaint = _log(django_capture_on_commit_callbacks, customer=customer, customer_contact="")
    [email] = mail.outbox
    assert email.subject == f"Ваша жалоба №{complaint.pk}"
    assert "Мы получили вашу жалобу" in email.body
    assert Notification.objects.get(kind=ACKNOWLEDGEMENT_EMAIL).language == "ru"


def test_it_writes_in_the_site_language_when_the_customers_is_unknown(
    django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "ru"
    _log(django_capture_on_commit_callbacks, customer_contact="nobody@example.com")
    [email] = mail.outbox
    assert email.subject.startswith("Ваша жалоба")


def test_it_acknowledges_once(django_capture_on_commit_callbacks):
    complaint = _log(django_capture_on_commit_callbacks, customer_contact="a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert conversation.complaint_acknowledge(complaint=complaint) is None
        assert conversation.complaint_acknowledge(complaint=complaint) is None
    assert len(_acknowledgements()) == 1
    assert Notification.objects.filter(kind=ACKNOWLEDGEMENT_EMAIL).count() == 1


def test_it_sends_nothing_to_an_address_that_opted_out(django_capture_on_commit_callbacks):
    customer_email_opt_out(email="Gone@Example.com", source="link")
    complaint = _log(django_capture_on_commit_callbacks, customer_contact="gone@example.com")
    assert _acknowledgements() == []
    assert not ComplaintMessage.objects.filter(complaint=complaint).exists()


def test_it_sends_nothing_without_an_email_address(django_capture_on_commit_callbacks):
    complaint = _log(django_capture_on_commit_callbacks, customer_contact="+7 900 000-00-00")
    assert _acknowledgements() == []
    assert conversation.complaint_acknowledge(complaint=complaint) is None


def test_it_gives_the_acknowledgement_a_signed_reply_address(django_capture_on_commit_callbacks):
    complaint = _log(django_capture_on_commit_callbacks, customer_contact="a@example.com")
    [email] = _acknowledgements()
    assert complaint_id_from_headers(*email.reply_to) == complaint.pk
    assert email.extra_headers["Message-ID"].startswith("<notification.")


def test_it_can_be_called_for_a_complaint_made_elsewhere(django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="web@example.com", channel="website")
    with django_capture_on_commit_callbacks(execute=True):
        message = conversation.complaint_acknowledge(complaint=complaint)
    assert message is not None
    assert [email.to for email in _acknowledgements()] == [["web@example.com"]]


def test_it_drops_an_unsent_acknowledgement_when_the_address_opts_out():
    complaint = ComplaintFactory(customer_contact="later@example.com")
    message = conversation.complaint_acknowledge(complaint=complaint)  # not delivered: no commit
    customer_email_opt_out(email="LATER@example.com", source="link")
    notification = Notification.objects.get(pk=message.notification_id)
    assert notification.status == "failed"
    assert notification.last_error == conversation.OPTED_OUT
