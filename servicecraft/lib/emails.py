"""The emails servicecraft sends: one function per email type.

Each builds the whole message (subject, plain text, HTML alternative, inline
images) in the recipient's language; sending and bookkeeping are in
:mod:`servicecraft.lib.notifications`.
"""

from __future__ import annotations

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from servicecraft.lib.notifications import (
    DIGEST,
    TRAINING_CANCELLATION,
    TRAINING_CHANGE,
    TRAINING_INVITATION,
    WEEKLY_REPORT,
    WEEKLY_REPORT_RESEND,
    reminder_kinds,
)
from servicecraft.models import Employee, Notification


def recipient_language(user_id: int) -> str:
    language = Employee.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def _message(notification: Notification, subject: str, text: str, html: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.recipient.email],
        headers={"X-Servicecraft-Notification": str(notification.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message


def reminder_digest_message(notification: Notification) -> EmailMultiAlternatives:
    """Today's reminders for one person, grouped by kind, each with its link."""
    kinds = reminder_kinds()
    labels = {kind.code: kind.label for kind in kinds}
    order = {kind.code: position for position, kind in enumerate(kinds)}
    with translation.override(recipient_language(notification.recipient_id)):
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
            "preferences_url": absolute_url(reverse("servicecraft:notification_preferences")),
            "site_url": settings.SITE_URL,
        }
        subject = ngettext(
            "servicecraft: %(count)s reminder for today",
            "servicecraft: %(count)s reminders for today",
            context["count"],
        ) % {"count": context["count"]}
        return _message(
            notification,
            subject,
            render_to_string("emails/reminder_digest.txt", context),
            render_to_string("emails/reminder_digest.html", context),
        )


def weekly_report_message(notification: Notification) -> EmailMultiAlternatives:
    """The weekly report: HTML with the charts inline (CID images), and plain text."""
    from servicecraft.reports import report_charts, report_context

    report = notification.report
    with translation.override(recipient_language(notification.recipient_id)):
        charts = report_charts(report)
        context = {
            **report_context(report, chart_src=lambda name: f"cid:{_content_id(name, notification)}"),
            "recipient": notification.recipient,
            "archive_url": absolute_url(reverse("servicecraft:report_detail", args=[report.pk])),
            "preferences_url": absolute_url(reverse("servicecraft:notification_preferences")),
            "resent": notification.kind == WEEKLY_REPORT_RESEND,
        }
        subject = gettext("servicecraft weekly report %(week)s · %(scope)s") % {
            "week": context["week"],
            "scope": context["scope"],
        }
        message = _message(
            notification,
            subject,
            render_to_string("emails/weekly_report.txt", context),
            render_to_string("emails/weekly_report.html", context),
        )
    # multipart/related around the alternatives: the HTML part finds the images by CID.
    message.mixed_subtype = "related"
    for chart in charts:
        image = MIMEImage(chart.png, "png")
        image.add_header("Content-ID", f"<{_content_id(chart.name, notification)}>")
        image.add_header("Content-Disposition", "inline", filename=f"{chart.name}.png")
        message.attach(image)
    return message


def _content_id(name: str, notification: Notification) -> str:
    return f"{name}.{notification.pk}@servicecraft"


EMAIL_BUILDERS = {
    DIGEST: reminder_digest_message,
    WEEKLY_REPORT: weekly_report_message,
    WEEKLY_REPORT_RESEND: weekly_report_message,
    # An app's own emails, as dotted paths: imported when used, so this module
    # does not depend on the apps.
    TRAINING_INVITATION: "training.emails.invitation_notification_message",
    TRAINING_CHANGE: "training.emails.change_notification_message",
    TRAINING_CANCELLATION: "training.emails.cancellation_notification_message",
}


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    builder = EMAIL_BUILDERS[notification.kind]
    if isinstance(builder, str):
        builder = import_string(builder)
    return builder(notification)
