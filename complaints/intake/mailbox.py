"""Polling the company's mailbox over IMAP: each unread mail through the intake, once.

Every ``IMAP_POLL_MINUTES`` the beat task logs in to ``IMAP_HOST`` (TLS unless
``IMAP_SSL=false``), opens each folder of ``IMAP_FOLDERS`` in turn (by default
``IMAP_FOLDER`` alone) and, oldest first, for each unread (not ``\\Seen``) mail:

1. fetches it without marking it read (``BODY.PEEK``) — only its header when the server
   says it is over ``INBOUND_MAIL_MAX_BYTES``: such a mail is quarantined from its header and
   stays on the server whole;
2. hands it to :func:`complaints.intake.services.mail_receive`, which commits the
   complaint, the reply or the quarantine entry together with the mail's key;
3. only then marks it ``\\Seen`` (and moves it to ``IMAP_DONE_FOLDER`` when set).

A worker that dies between 2 and 3 leaves the mail unread: the next poll reads it again and
the key (unique in the database) says it is done, so it is only marked. Two pollers at once
both fetch it; one commits, the other finds the key taken. A mail that cannot be processed
or even quarantined (the database is down) stays unread for the next poll. Nothing here
deletes mail.

A mail's key is its Message-ID (else the hash of its bytes), whatever folder it is in: a
mail the server filed into two of the folders read (a copy kept in INBOX too) makes one
complaint; the second folder's copy is found done and only marked. A folder that cannot be
opened (a typo in ``IMAP_FOLDERS``) is logged and skipped; the others are still read.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from django.conf import settings
from imap_tools import AND, BaseMailBox, MailBox, MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import MailboxFolderSelectError

from complaints.intake.services import MailReceipt, mail_receive

logger = logging.getLogger(__name__)

# Mails handled in one poll; the rest wait for the next (a flood cannot hold a worker for ever).
POLL_BATCH = 200
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


@dataclasses.dataclass
class PollResult:
    """What one poll did: how many mails it processed, found done before, or left for later."""

    processed: int = 0
    duplicates: int = 0
    failed: int = 0
    receipts: list[MailReceipt] = dataclasses.field(default_factory=list)

    def add(self, other: PollResult) -> None:
        """Count in what the poll of another folder did."""
        self.processed += other.processed
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.receipts.extend(other.receipts)


def mailbox_configured() -> bool:
    return bool(settings.IMAP_HOST)


def mailbox_folders() -> list[str]:
    """The folders read, in order, each once: ``IMAP_FOLDERS``, else ``IMAP_FOLDER``; never the
    done folder (its mail is handled already)."""
    configured = [folder.strip() for folder in settings.IMAP_FOLDERS if folder.strip()]
    folders = dict.fromkeys(configured or [settings.IMAP_FOLDER])
    folders.pop(settings.IMAP_DONE_FOLDER, None)
    return list(folders)


def mailbox_connect() -> BaseMailBox:
    """A logged-in connection to the configured mailbox, no folder selected yet."""
    mailbox_class = MailBox if settings.IMAP_SSL else MailBoxUnencrypted
    mailbox = mailbox_class(settings.IMAP_HOST, settings.IMAP_PORT, timeout=settings.IMAP_TIMEOUT)
    return mailbox.login(settings.IMAP_USER, settings.IMAP_PASSWORD, initial_folder=None)


def _fetched_part(mailbox: BaseMailBox, uid: str, item: str) -> bytes | None:
    status, data = mailbox.client.uid("FETCH", uid, f"({item})")
    if status != "OK":
        return None
    for entry in data:
        if isinstance(entry, tuple):
            return entry[1]
    return None


def _size(mailbox: BaseMailBox, uid: str) -> int | None:
    status, data = mailbox.client.uid("FETCH", uid, "(RFC822.SIZE)")
    if status != "OK":
        return None
    found = _SIZE.search(b" ".join(entry for entry in data if isinstance(entry, bytes)))
    return int(found.group(1)) if found else None


def mail_fetch(mailbox: BaseMailBox, uid: str) -> tuple[bytes, int] | None:
    """The raw mail ``uid`` and its size, left unread; only its header when it is over the
    size limit (the intake then quarantines it as too large); None when it is gone."""
    size = _size(mailbox, uid)
    if size is None:
        return None
    part = "BODY.PEEK[HEADER]" if size > settings.INBOUND_MAIL_MAX_BYTES else "BODY.PEEK[]"
    raw = _fetched_part(mailbox, uid, part)
    return None if raw is None else (raw, size)


def mail_mark_done(mailbox: BaseMailBox, uid: str) -> None:
    """The mail is committed: mark it read and, with IMAP_DONE_FOLDER, move it there."""
    mailbox.flag(uid, MailMessageFlags.SEEN, True)
    if settings.IMAP_DONE_FOLDER:
        mailbox.move(uid, settings.IMAP_DONE_FOLDER)


def mailbox_poll_with(mailbox: BaseMailBox, *, limit: int = POLL_BATCH) -> PollResult:
    """Process the unread mail of an open mailbox (see the module's docstring)."""
    result = PollResult()
    if settings.IMAP_DONE_FOLDER and not mailbox.folder.exists(settings.IMAP_DONE_FOLDER):
        mailbox.folder.create(settings.IMAP_DONE_FOLDER)
    for uid in mailbox.uids(AND(seen=False))[:limit]:
        fetched = mail_fetch(mailbox, uid)
        if fetched is None:
            continue
        raw, size = fetched
        try:
            receipt = mail_receive(raw=raw, size=size, source="imap")
        except Exception:
            logger.exception("inbound mail UID %s: left unread for the next poll", uid)
            result.failed += 1
            continue
        mail_mark_done(mailbox, uid)
        result.receipts.append(receipt)
        if receipt.duplicate:
            result.duplicates += 1
        else:
            result.processed += 1
    return result


def mailbox_poll(*, limit: int = POLL_BATCH) -> PollResult | None:
    """One poll of the configured mailbox, folder after folder (at most ``limit`` mails in all);
    None (nothing done) when IMAP_HOST is empty."""
    if not mailbox_configured():
        return None
    result = PollResult()
    with mailbox_connect() as mailbox:
        for folder in mailbox_folders():
            left = limit - len(result.receipts) - result.failed
            if left <= 0:
                break
            try:
                mailbox.folder.set(folder)
            except MailboxFolderSelectError:
                logger.error("inbound mailbox: cannot open folder %r (see IMAP_FOLDERS); skipped", folder)
                continue
            result.add(mailbox_poll_with(mailbox, limit=left))
    if result.processed or result.failed:
        logger.info(
            "inbound mailbox: %s processed, %s done before, %s left for later",
            result.processed,
            result.duplicates,
            result.failed,
        )
    return result
