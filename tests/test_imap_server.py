"""The private Dovecot harness works end to end with imap-tools, as the mailbox poller will use it.

If these fail, tests of the poller cannot be trusted: they would be testing the harness.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from imap_tools import MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import MailboxLoginError

from tests.imap_server import OTHER_USERNAME, ImapServer

pytestmark = pytest.mark.imap

HANDLED_FOLDER = "Обработано"  # a Cyrillic name, as the company's folders will have


def a_complaint(subject: str = "Жалоба: курьер опоздал на два часа") -> bytes:
    message = EmailMessage()
    message["From"] = "Анна Петрова <anna@example.test>"
    message["To"] = "complaints@servicecraft.test"
    message["Subject"] = subject
    message["Message-ID"] = "<complaint-1@example.test>"
    message.set_content("Заказ 4711 привезли в 21:00 вместо 19:00.\n")
    return message.as_bytes()


def signed_in(server: ImapServer) -> MailBoxUnencrypted:
    return MailBoxUnencrypted(server.host, server.port).login(server.username, server.password)


def test_it_delivers_a_message_that_imap_tools_reads(imap_mailbox: ImapServer):
    uid = imap_mailbox.append(a_complaint())

    with signed_in(imap_mailbox) as mailbox:
        [fetched] = list(mailbox.fetch(mark_seen=False))

    assert fetched.uid == str(uid)
    assert fetched.subject == "Жалоба: курьер опоздал на два часа"
    assert fetched.from_ == "anna@example.test"
    assert fetched.from_values.name == "Анна Петрова"
    assert fetched.text.strip() == "Заказ 4711 привезли в 21:00 вместо 19:00."
    assert MailMessageFlags.SEEN not in fetched.flags


def test_it_shows_flags_that_imap_tools_sets(imap_mailbox: ImapServer):
    uid = imap_mailbox.append(a_complaint())

    with signed_in(imap_mailbox) as mailbox:
        mailbox.flag(str(uid), [MailMessageFlags.SEEN, MailMessageFlags.FLAGGED], True)

    [stored] = imap_mailbox.messages()
    assert stored.flags == {MailMessageFlags.SEEN, MailMessageFlags.FLAGGED}


def test_it_moves_a_message_into_a_folder_with_imap_tools(imap_mailbox: ImapServer):
    imap_mailbox.create_folder(HANDLED_FOLDER)
    uid = imap_mailbox.append(a_complaint())

    with signed_in(imap_mailbox) as mailbox:
        assert HANDLED_FOLDER in [folder.name for folder in mailbox.folder.list()]
        mailbox.move(str(uid), HANDLED_FOLDER)

    assert imap_mailbox.messages("INBOX") == []
    [moved] = imap_mailbox.messages(HANDLED_FOLDER)
    assert moved.parsed["Message-ID"] == "<complaint-1@example.test>"


def test_it_shows_one_message_to_two_connections_at_once(imap_mailbox: ImapServer):
    uid = imap_mailbox.append(a_complaint())

    with signed_in(imap_mailbox) as first, signed_in(imap_mailbox) as second:
        assert first.uids() == second.uids() == [str(uid)]

        first.flag(str(uid), MailMessageFlags.SEEN, True)
        [seen_by_second] = list(second.fetch(mark_seen=False, headers_only=True))
        assert MailMessageFlags.SEEN in seen_by_second.flags


def test_it_shows_mail_arriving_during_a_session_after_a_noop(imap_mailbox: ImapServer):
    """A connection learns of new mail only when the server reports it (RFC 3501 5.2): a
    poller that keeps its connection open must NOOP (or re-select) before searching."""
    with signed_in(imap_mailbox) as mailbox:
        uid = imap_mailbox.append(a_complaint())

        mailbox.client.noop()

        assert mailbox.uids() == [str(uid)]


def test_it_delivers_with_flags_into_a_chosen_folder(imap_mailbox: ImapServer):
    imap_mailbox.create_folder("Archive")

    uid = imap_mailbox.append(a_complaint(), "Archive", flags=[MailMessageFlags.SEEN])

    assert imap_mailbox.messages() == []
    [stored] = imap_mailbox.messages("Archive")
    assert (stored.uid, stored.flags) == (uid, {MailMessageFlags.SEEN})
    assert stored.parsed["Subject"] == "Жалоба: курьер опоздал на два часа"


def test_it_empties_every_account_on_reset(imap_server: ImapServer):
    other = imap_server.mailbox_of(OTHER_USERNAME)
    imap_server.create_folder(HANDLED_FOLDER)
    imap_server.create_folder(f"{HANDLED_FOLDER}.2024")
    imap_server.append(a_complaint(), f"{HANDLED_FOLDER}.2024")
    imap_server.append(a_complaint())
    other.append(a_complaint())

    imap_server.reset()

    assert imap_server.folders() == other.folders() == ["INBOX"]
    assert imap_server.messages() == other.messages() == []


def test_it_keeps_each_accounts_mail_to_itself(imap_mailbox: ImapServer):
    other = imap_mailbox.mailbox_of(OTHER_USERNAME)

    other.append(a_complaint())

    assert imap_mailbox.messages() == []
    with signed_in(other) as mailbox:
        assert len(mailbox.uids()) == 1


def test_it_refuses_a_wrong_password(imap_server: ImapServer):
    with pytest.raises(MailboxLoginError):
        MailBoxUnencrypted(imap_server.host, imap_server.port).login(imap_server.username, "not-the-password")
