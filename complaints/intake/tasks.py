"""Background jobs of the intake: polling the inbound mailbox."""

from __future__ import annotations

from celery import shared_task

from complaints.intake import mailbox


@shared_task(name="complaints.poll_inbound_mailbox", ignore_result=True)
def poll_inbound_mailbox() -> int:
    """Every IMAP_POLL_MINUTES (beat): the unread mail of the mailbox into complaints and
    replies, each once (two polls at once are safe); nothing while IMAP_HOST is empty."""
    result = mailbox.mailbox_poll()
    return result.processed if result is not None else 0
