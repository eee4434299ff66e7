"""An inbound mail into the intake (complaints.intake.services.mail_receive): a new complaint,
the customer's reply on its complaint, or a quarantine entry — each mail once."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import connection

from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.conversation.reply_address import reply_address
from complaints.intake import services
from complaints.intake.models import MailOutcome, ProcessedMail, QuarantinedMail, QuarantineReason
from complaints.intake.services import department_mail_address_set, mail_receive
from complaints.models import Complaint
from customers.models import NEW_CUSTOMER_PREFIX, Customer
from tests.complaints.intake.mails import CUSTOMER, SUBJECT, a_bounce, raw_mail
from tests.factories import ComplaintFactory, CustomerFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def test_it_makes_an_email_complaint_from_a_new_mail():
    receipt = mail_receive(raw=raw_mail(), source="pipe")

    complaint = Complaint.objects.get()
    assert receipt.outcome == MailOutcome.COMPLAINT and receipt.complaint_id == complaint.pk
    assert complaint.channel == "email"
    assert (complaint.customer_name, complaint.customer_contact) == ("Анна Петрова", CUSTOMER)
    assert complaint.summary == SUBJECT
    assert complaint.details == "Заказ 4711 привезли в 21:00 вместо 19:00.\nКурьер не позвонил."
    assert complaint.department is None
    assert ProcessedMail.objects.get().complaint == complaint


def test_it_links_the_complaint_to_the_customer_with_that_email():
    customer = CustomerFactory(email=CUSTOMER.upper())

    mail_receive(raw=raw_mail(), source="pipe")

    assert Complaint.objects.get().customer == customer
    assert Customer.objects.count() == 1


def test_it_makes_a_new_customer_of_a_sender_nobody_has_and_links_the_complaint():
    mail_receive(raw=raw_mail(), source="pipe")

    customer = Customer.objects.get()
    assert Complaint.objects.get().customer == customer
    assert (customer.name, customer.email) == ("Анна Петрова", CUSTOMER)
    assert customer.external_id.startswith(NEW_CUSTOMER_PREFIX) and customer.created_here


def test_it_names_a_new_customer_by_the_address_without_a_display_name():
    mail_receive(raw=raw_mail(sender=CUSTOMER), source="pipe")

    assert Customer.objects.get().name == "anna"


def test_it_makes_one_customer_of_two_mails_from_a_new_sender():
    mail_receive(raw=raw_mail(message_id="<one@example.test>"), source="pipe")
    mail_receive(raw=raw_mail(message_id="<two@example.test>"), source="pipe")

    customer = Customer.objects.get()
    assert list(Complaint.objects.values_list("customer", flat=True)) == [customer.pk, customer.pk]


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_customer_of_two_mails_from_a_new_sender_processed_at_once(
    monkeypatch, require_postgres
):
    real_customer_for_email = services.customer_services.customer_for_email
    # Both mails look for their sender's customer at the same moment.
    barrier = threading.Barrier(2, timeout=20)

    def together(**kwargs):
        barrier.wait()
        return real_customer_for_email(**kwargs)

    monkeypatch.setattr(services.customer_services, "customer_for_email", together)
    errors: list = []

    def receive(number: int) -> None:
        try:
            mail_receive(raw=raw_mail(message_id=f"<at-once-{number}@example.test>"), source="imap")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    customer = Customer.objects.get()
    assert list(Complaint.objects.values_list("customer", flat=True)) == [customer.pk, customer.pk]


def test_it_does_not_guess_between_two_customers_with_the_senders_address():
    CustomerFactory(email=CUSTOMER)
    CustomerFactory(email=CUSTOMER.upper())

    mail_receive(raw=raw_mail(), source="pipe")

    assert Complaint.objects.get().customer is None
    assert Customer.objects.count() == 2


def test_a_threaded_reply_makes_no_customer():
    complaint = ComplaintFactory(customer_contact="stranger@example.test")

    mail_receive(raw=raw_mail(sender="stranger@example.test", to=reply_address(complaint.pk)), source="imap")

    assert complaint.messages.filter(kind=MessageKind.CUSTOMER).exists()
    assert not Customer.objects.filter(email="stranger@example.test").exists()


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(lambda: raw_mail(headers={"Auto-Submitted": "auto-replied"}), id="auto-reply"),
        pytest.param(lambda: raw_mail(headers={"Precedence": "bulk"}), id="bulk"),
        pytest.param(a_bounce, id="bounce"),
        pytest.param(lambda: raw_mail(text=None, html=None, subject=""), id="no-text"),
    ],
)
def test_a_quarantined_mail_makes_no_customer(raw):
    receipt = mail_receive(raw=raw(), source="pipe")

    assert receipt.outcome == MailOutcome.QUARANTINED
    assert not Customer.objects.exists()


# --- the department a mail is about -----------------------------------------------------------


@pytest.fixture
def kitchen(db):
    department = DepartmentFactory(name="Kitchen")
    department_mail_address_set(department=department, address="Kitchen-Complaints@Company.example")
    return department


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"to": "kitchen-complaints@company.example"}, id="to"),
        pytest.param({"to": "Kitchen <KITCHEN-COMPLAINTS@company.EXAMPLE>"}, id="to-display-name-case"),
        pytest.param(
            {
                "to": "complaints@company.example",
                "headers": {"Cc": "Kitchen <kitchen-complaints@company.example>"},
            },
            id="cc",
        ),
        pytest.param(
            {
                "to": "complaints@company.example",
                "headers": {"X-Original-To": "kitchen-complaints@company.example"},
            },
            id="alias-hidden-from-to",
        ),
    ],
)
def test_a_mail_to_a_departments_address_is_a_complaint_of_that_department(kitchen, headers):
    mail_receive(raw=raw_mail(**headers), source="pipe")

    assert Complaint.objects.get().department == kitchen


def test_a_mail_to_no_departments_address_is_a_complaint_of_none(kitchen):
    mail_receive(raw=raw_mail(to="Bar <bar-complaints@company.example>"), source="pipe")

    assert Complaint.objects.get().department is None


def test_the_first_department_among_the_recipients_takes_the_mail(kitchen):
    bar = DepartmentFactory(name="Bar")
    department_mail_address_set(department=bar, address="bar@company.example")

    mail_receive(
        raw=raw_mail(to="bar@company.example", headers={"Cc": "kitchen-complaints@company.example"}),
        source="pipe",
    )

    assert Complaint.objects.get().department == bar


def test_a_reply_to_a_complaint_stays_on_it_even_copied_to_a_department(kitchen):
    complaint = ComplaintFactory(customer_contact=CUSTOMER)

    receipt = mail_receive(
        raw=raw_mail(to=reply_address(complaint.pk), headers={"Cc": "kitchen-complaints@company.example"}),
        source="pipe",
    )

    assert (receipt.outcome, receipt.complaint_id) == (MailOutcome.REPLY, complaint.pk)
    assert Complaint.objects.count() == 1


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


def test_a_flood_makes_no_customer(settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "INTAKE_MAIL_PER_SENDER_PER_HOUR": 0}

    receipt = mail_receive(raw=raw_mail(), source="pipe")

    assert receipt.outcome == MailOutcome.QUARANTINED
    assert not Customer.objects.exists()


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
