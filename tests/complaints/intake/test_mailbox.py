"""The IMAP poller (complaints.intake.mailbox) against a real Dovecot on loopback
(tests/imap_server.py): new complaints, threaded replies, bad mail, and each mail once —
with two pollers at the same moment and with a worker that dies after fetching."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from imap_tools import MailMessageFlags

from complaints.conversation.models import MessageKind
from complaints.conversation.reply_address import reply_address
from complaints.intake import mailbox, services
from complaints.intake.models import ProcessedMail, QuarantinedMail, QuarantineReason
from complaints.intake.services import department_mail_address_set
from complaints.intake.tasks import poll_inbound_mailbox
from complaints.models import Complaint
from customers.models import Customer
from tests.complaints.intake.mails import a_bounce, a_mail, raw_headers_and_body, raw_mail
from tests.factories import ComplaintFactory, DepartmentFactory
from tests.imap_server import ImapServer

SEEN = MailMessageFlags.SEEN


class WorkerKilled(BaseException):
    """A worker process ending mid-way (SIGKILL, an out-of-memory kill): nothing catches it."""


@pytest.fixture
def inbox(imap_mailbox: ImapServer, settings) -> ImapServer:
    """The test Dovecot's emptied mailbox, configured as the company's inbound mailbox."""
    settings.IMAP_HOST = imap_mailbox.host
    settings.IMAP_PORT = imap_mailbox.port
    settings.IMAP_USER = imap_mailbox.username
    settings.IMAP_PASSWORD = imap_mailbox.password
    settings.IMAP_SSL = False
    settings.IMAP_FOLDER = "INBOX"
    settings.IMAP_FOLDERS = []
    settings.IMAP_DONE_FOLDER = ""
    settings.DEFAULT_FROM_EMAIL = "Servicecraft <servicecraft@servicecraft.test>"
    return imap_mailbox


def flags(server: ImapServer, folder: str = "INBOX") -> list[frozenset[str]]:
    return [message.flags for message in server.messages(folder)]


@pytest.mark.django_db
def test_it_makes_a_complaint_of_a_new_mail_and_marks_it_read(inbox):
    inbox.append(raw_mail())

    result = mailbox.mailbox_poll()

    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.customer_contact) == ("email", "anna@example.test")
    assert result.processed == 1
    assert flags(inbox) == [{SEEN}]


@pytest.mark.django_db
def test_it_threads_a_reply_into_its_complaint(inbox):
    complaint = ComplaintFactory(customer_contact="anna@example.test")
    inbox.append(raw_mail(to=f"Servicecraft <{reply_address(complaint.pk)}>", text="Any news?\n"))

    mailbox.mailbox_poll()

    assert Complaint.objects.count() == 1
    assert complaint.messages.get(kind=MessageKind.CUSTOMER).body == "Any news?"


@pytest.mark.django_db
def test_it_reads_only_unread_mail_oldest_first(inbox):
    inbox.append(raw_mail(message_id="<old@x.test>", subject="Read by a person"), flags=[SEEN])
    inbox.append(raw_mail(message_id="<first@x.test>", subject="First"))
    inbox.append(raw_mail(message_id="<second@x.test>", subject="Second"))

    mailbox.mailbox_poll()

    assert list(Complaint.objects.order_by("pk").values_list("summary", flat=True)) == ["First", "Second"]


@pytest.mark.django_db
def test_it_moves_handled_mail_to_the_done_folder(inbox, settings):
    settings.IMAP_DONE_FOLDER = "Обработано"
    inbox.append(raw_mail())
    inbox.append(a_bounce())

    mailbox.mailbox_poll()

    assert inbox.messages() == []
    assert flags(inbox, "Обработано") == [{SEEN}, {SEEN}]
    assert (Complaint.objects.count(), QuarantinedMail.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_it_polls_nothing_without_an_imap_host(inbox, settings):
    settings.IMAP_HOST = ""
    inbox.append(raw_mail())

    assert mailbox.mailbox_poll() is None
    assert poll_inbound_mailbox() == 0
    assert not Complaint.objects.exists()
    assert flags(inbox) == [frozenset()]


@pytest.mark.django_db
def test_its_beat_task_polls_the_mailbox(inbox):
    inbox.append(raw_mail())

    assert poll_inbound_mailbox() == 1
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_it_leaves_a_mail_unread_when_it_cannot_be_processed_at_all(inbox, monkeypatch):
    def database_down(**kwargs):
        raise ConnectionError("no database")

    monkeypatch.setattr(mailbox, "mail_receive", database_down)
    inbox.append(raw_mail())

    result = mailbox.mailbox_poll()

    assert result.failed == 1
    assert flags(inbox) == [frozenset()]


# --- bad mail ------------------------------------------------------------------------------


def _no_text_part() -> bytes:
    message = a_mail(text=None)
    message.set_content(b"\x89PNG\r\n", maintype="image", subtype="png", filename="photo.png")
    return message.as_bytes()


BAD_MAIL = {
    "no text part": (_no_text_part, QuarantineReason.NO_TEXT),
    "broken MIME": (
        lambda: raw_headers_and_body(
            "From: anna@example.test\nSubject: x\nMessage-ID: <broken@x.test>\n"
            "Content-Type: multipart/mixed; boundary=zzz",
            "no part starts here\n",
        ),
        QuarantineReason.BROKEN,
    ),
    "unknown charset": (
        lambda: raw_headers_and_body(
            "From: anna@example.test\nSubject: x\nMessage-ID: <charset@x.test>\n"
            "Content-Type: text/plain; charset=x-klingon",
            "Qapla'\n",
        ),
        QuarantineReason.UNKNOWN_CHARSET,
    ),
    "auto-reply": (lambda: raw_mail(headers={"Auto-Submitted": "auto-replied"}), QuarantineReason.AUTO_REPLY),
    "vacation notice": (lambda: raw_mail(headers={"X-Autoreply": "yes"}), QuarantineReason.AUTO_REPLY),
    "bulk mail": (lambda: raw_mail(headers={"Precedence": "bulk"}), QuarantineReason.AUTO_REPLY),
    "bounce": (a_bounce, QuarantineReason.BOUNCE),
    "mailer-daemon": (lambda: raw_mail(sender="MAILER-DAEMON@mx.example.test"), QuarantineReason.BOUNCE),
    "our own address": (lambda: raw_mail(sender="servicecraft@servicecraft.test"), QuarantineReason.LOOP),
    "our outbox header": (
        lambda: raw_mail(headers={"X-Servicecraft-Notification": "7"}),
        QuarantineReason.LOOP,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_MAIL))
def test_it_quarantines_bad_mail_and_marks_it_read(inbox, case):
    build, reason = BAD_MAIL[case]
    raw = build()
    inbox.append(raw)

    result = mailbox.mailbox_poll()

    assert result.processed == 1
    assert not Complaint.objects.exists()
    entry = QuarantinedMail.objects.get()
    assert entry.reason == reason
    with entry.raw.open("rb") as stored:
        assert stored.read().replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
    assert flags(inbox) == [{SEEN}]


@pytest.mark.django_db
def test_it_quarantines_an_oversized_mail_from_its_header_and_leaves_it_whole_on_the_server(inbox, settings):
    settings.INBOUND_MAIL_MAX_BYTES = 20_000
    raw = raw_mail(text="Фото заказа во вложении.\n" + "x" * 40_000 + "\n")
    inbox.append(raw)

    mailbox.mailbox_poll()

    entry = QuarantinedMail.objects.get()
    [stored] = inbox.messages()
    assert entry.reason == QuarantineReason.TOO_LARGE
    assert entry.size == len(stored.raw) > 40_000
    assert entry.subject == "Жалоба: курьер опоздал на два часа"
    with entry.raw.open("rb") as kept:
        assert len(kept.read()) < 2_000
    assert len(stored.raw) > 40_000 and stored.flags == {SEEN}


# --- each mail once --------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_makes_one_complaint_when_the_worker_died_after_committing(inbox, monkeypatch):
    inbox.append(raw_mail())

    def killed(mailbox_, uid):
        raise WorkerKilled

    with monkeypatch.context() as patched:
        patched.setattr(mailbox, "mail_mark_done", killed)
        with pytest.raises(WorkerKilled):
            mailbox.mailbox_poll()
    assert Complaint.objects.count() == 1
    assert flags(inbox) == [frozenset()]  # fetched, processed, never marked

    result = mailbox.mailbox_poll()

    assert Complaint.objects.count() == 1
    assert (result.processed, result.duplicates) == (0, 1)
    assert flags(inbox) == [{SEEN}]


@pytest.mark.django_db
def test_it_makes_one_complaint_when_the_worker_died_before_committing(inbox, monkeypatch):
    inbox.append(raw_mail())

    def killed(parsed):
        raise WorkerKilled

    with monkeypatch.context() as patched:
        patched.setattr(services, "_route", killed)
        with pytest.raises(WorkerKilled):
            mailbox.mailbox_poll()
    assert not ProcessedMail.objects.exists()
    assert flags(inbox) == [frozenset()]

    mailbox.mailbox_poll()

    assert Complaint.objects.count() == 1
    assert flags(inbox) == [{SEEN}]


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_complaint_when_two_pollers_fetch_the_same_mail_at_once(
    inbox, monkeypatch, require_postgres
):
    complaint = ComplaintFactory(customer_contact="anna@example.test")
    inbox.append(raw_mail(message_id="<new@x.test>"))
    inbox.append(raw_mail(message_id="<reply@x.test>", to=reply_address(complaint.pk), text="Any news?\n"))
    real_receive = mailbox.mail_receive
    # Both pollers hold each mail, fetched, before either hands it to the intake.
    barrier = threading.Barrier(2, timeout=20)

    def together(**kwargs):
        barrier.wait()
        return real_receive(**kwargs)

    monkeypatch.setattr(mailbox, "mail_receive", together)
    results: list = []
    errors: list = []

    def poller() -> None:
        try:
            results.append(mailbox.mailbox_poll())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Complaint.objects.count() == 2  # the one before, and the new mail's
    assert complaint.messages.filter(kind=MessageKind.CUSTOMER).count() == 1
    assert sorted((result.processed, result.duplicates) for result in results) in (
        [(0, 2), (2, 0)],
        [(1, 1), (1, 1)],
    )
    assert ProcessedMail.objects.count() == 2
    assert flags(inbox) == [{SEEN}, {SEEN}]


# --- the department and the customer of a new mail ---------------------------------------------


@pytest.mark.django_db
def test_a_mail_to_a_departments_alias_makes_its_complaint_for_a_new_customer(inbox):
    kitchen = DepartmentFactory(name="Kitchen")
    department_mail_address_set(department=kitchen, address="kitchen-complaints@company.example")
    inbox.append(
        raw_mail(
            sender="Boris Orlov <boris@example.test>",
            to="Company <complaints@company.example>",
            headers={"Cc": "Kitchen <Kitchen-Complaints@company.example>"},
        )
    )
    inbox.append(raw_mail(sender="Boris Orlov <boris@example.test>", message_id="<second@x.test>"))

    mailbox.mailbox_poll()

    first, second = Complaint.objects.order_by("pk")
    customer = Customer.objects.get()
    assert (first.department, second.department) == (kitchen, None)
    assert (first.customer, second.customer) == (customer, customer)
    assert (customer.name, customer.email, customer.created_here) == (
        "Boris Orlov",
        "boris@example.test",
        True,
    )


@pytest.mark.django_db
def test_a_reply_and_bad_mail_make_no_customer(inbox):
    complaint = ComplaintFactory(customer_contact="boris@example.test")
    inbox.append(raw_mail(sender="boris@example.test", to=reply_address(complaint.pk), text="Any news?\n"))
    inbox.append(
        raw_mail(sender="boris@example.test", message_id="<away@x.test>", headers={"X-Autoreply": "yes"})
    )

    mailbox.mailbox_poll()

    assert complaint.messages.filter(kind=MessageKind.CUSTOMER).count() == 1
    assert QuarantinedMail.objects.count() == 1
    assert not Customer.objects.exists()


# --- several folders ---------------------------------------------------------------------------


@pytest.fixture
def kitchen_folder(inbox, settings) -> str:
    inbox.create_folder("Kitchen")
    settings.IMAP_FOLDERS = ["INBOX", "Kitchen"]
    return "Kitchen"


@pytest.mark.django_db
def test_it_reads_every_folder_of_imap_folders(inbox, kitchen_folder):
    inbox.append(raw_mail(message_id="<inbox@x.test>", subject="In the inbox"))
    inbox.append(
        raw_mail(message_id="<kitchen@x.test>", subject="In the kitchen folder"), folder=kitchen_folder
    )

    result = mailbox.mailbox_poll()

    assert result.processed == 2
    assert set(Complaint.objects.values_list("summary", flat=True)) == {
        "In the inbox",
        "In the kitchen folder",
    }
    assert flags(inbox) == [{SEEN}] and flags(inbox, kitchen_folder) == [{SEEN}]


@pytest.mark.django_db
def test_a_mail_filed_into_two_folders_makes_one_complaint(inbox, kitchen_folder):
    inbox.append(raw_mail())
    inbox.append(raw_mail(), folder=kitchen_folder)

    result = mailbox.mailbox_poll()

    assert Complaint.objects.count() == 1
    assert (result.processed, result.duplicates) == (1, 1)
    assert flags(inbox) == [{SEEN}] and flags(inbox, kitchen_folder) == [{SEEN}]


@pytest.mark.django_db
def test_it_skips_a_folder_that_does_not_exist_and_reads_the_others(inbox, settings, caplog):
    settings.IMAP_FOLDERS = ["Typo", "INBOX"]
    inbox.append(raw_mail())

    result = mailbox.mailbox_poll()

    assert result.processed == 1 and Complaint.objects.count() == 1
    assert "cannot open folder 'Typo'" in caplog.text


@pytest.mark.django_db
def test_its_batch_limit_counts_every_folder(inbox, kitchen_folder):
    inbox.append(raw_mail(message_id="<a@x.test>"))
    inbox.append(raw_mail(message_id="<b@x.test>"), folder=kitchen_folder)
    inbox.append(raw_mail(message_id="<c@x.test>"), folder=kitchen_folder)

    result = mailbox.mailbox_poll(limit=2)

    assert result.processed == 2
    assert flags(inbox, kitchen_folder) == [{SEEN}, frozenset()]


def test_it_reads_imap_folder_alone_by_default_and_never_the_done_folder(settings):
    settings.IMAP_FOLDERS = []
    settings.IMAP_FOLDER = "Жалобы"
    assert mailbox.mailbox_folders() == ["Жалобы"]

    settings.IMAP_FOLDERS = ["INBOX", " Kitchen ", "INBOX", "Done"]
    settings.IMAP_DONE_FOLDER = "Done"
    assert mailbox.mailbox_folders() == ["INBOX", "Kitchen"]
