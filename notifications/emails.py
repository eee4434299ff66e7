"""Building emails: the helpers every app's email builders share, and the digest's builder.

A builder makes the whole message (subject, plain text, HTML alternative, inline
images) in the recipient's language; sending and bookkeeping are in
:mod:`notifications.services`. Apps register their builders (:mod:`notifications.registry`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from common.links import absolute_url
from common.text import single_line
from notifications.models import Notification
from notifications.registry import reminder_kinds
from people.selectors import language_of


def notification_language(notification: Notification) -> str:
    """The language of an email: its recipient's, or the one stored for an address."""
    if notification.recipient_id:
        return language_of(notification.recipient_id)
    return notification.language or settings.LANGUAGE_CODE


def notification_message_id(notification: Notification) -> str:
    """The Message-ID of ``notification``: the same on every attempt, so that a mail server or
    client that receives a second copy (a crash between the server's 250 and the row's
    UPDATE) can tell it is one message."""
    domain = urlsplit(settings.SITE_URL).hostname or DNS_NAME.get_fqdn()
    return f"<notification.{notification.pk}@{domain}>"


def notification_email(
    notification: Notification, subject: str, text: str, html: str
) -> EmailMultiAlternatives:
    """The message of ``notification`` to its address, with a plain-text body and an HTML alternative."""
    message = EmailMultiAlternatives(
        # Names in a subject come from outside: one line, whatever they hold.
        subject=single_line(str(subject)),
        body=text,
        to=[notification.address],
        headers={"X-Servicecraft-Notification": str(notification.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message


def reminder_digest_message(notification: Notification) -> EmailMultiAlternatives:
    """Today's reminders for one person, grouped by kind, each with its link."""
    kinds = reminder_kinds()
    labels = {kind.code: kind.label for kind in kinds}
    order = {kind.code: position for position, kind in enumerate(kinds)}
    with translation.override(language_of(notification.recipient_id)):
        groups: dict[str, list[Notification]] = {}
        items = sorted(notification.items.all(), key=lambda item: (order.get(item.kind, len(order)), item.pk))
        for item in items:
            groups.setdefault(item.kind, []).append(item)
        context = {
            "recipient": notification.recipient,
            "groups": [
                {
                    "label": str(labels.get(kind, kind)),
                    "items": [
                        {"text": item.text, "url": absolute_url(item.url) if item.url else ""}
                        for item in items
                    ],
                }
                for kind, items in groups.items()
            ],
            "count": sum(len(items) for items in groups.values()),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "site_url": settings.SITE_URL,
        }
        subject = ngettext(
            "servicecraft: %(count)s reminder for today",
            "servicecraft: %(count)s reminders for today",
            context["count"],
        ) % {"count": context["count"]}
        return notification_email(
            notification,
            subject,
            render_to_string("emails/reminder_digest.txt", context),
            render_to_string("emails/reminder_digest.html", context),
        )
