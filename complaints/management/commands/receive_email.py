"""``manage.py receive_email < message.eml``: one mail from a mail server's pipe into the intake.

For a mail server that delivers to a program (Postfix's ``pipe``, an alias
``"|/path/manage.py receive_email"``): the raw mail on standard input goes through
:func:`complaints.intake.services.mail_receive`, like a mail the IMAP poller fetched. Exit 0
when the mail is done (a complaint, a reply, quarantined, or processed before); 75
(``EX_TEMPFAIL``) when it could not even be quarantined, so the mail server keeps it and
tries again.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from complaints.intake.services import mail_receive

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Process one raw email read from standard input (a mail server's pipe)."

    def handle(self, *args, **options) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("no mail on standard input", returncode=EX_TEMPFAIL)
        try:
            receipt = mail_receive(raw=raw, source="pipe")
        except Exception as exc:
            raise CommandError(f"not processed, try again later: {exc}", returncode=EX_TEMPFAIL) from exc
        done = "processed before" if receipt.duplicate else receipt.outcome
        on = f" (complaint {receipt.complaint_id})" if receipt.complaint_id else ""
        self.stdout.write(f"{receipt.key}: {done}{on}")
