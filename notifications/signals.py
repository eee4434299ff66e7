"""Signals of the notifications, for apps that react to their emails being sent.

``email_sent`` is sent once an email has been accepted by the mail server and marked
sent, with ``kind`` and ``notification_id``: an app whose figures count sent emails
(the satisfaction survey) refreshes them, without the notifications knowing it.
"""

from __future__ import annotations

from django.dispatch import Signal

email_sent = Signal()
