"""The weekly report email: HTML with the charts inline (CID images), and plain text,
in the recipient's language. Registered with the notifications in ``ReportsConfig.ready``."""

from __future__ import annotations

from email.mime.image import MIMEImage

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from common.links import absolute_url
from notifications.emails import notification_email, notification_language
from notifications.models import Notification
from reports.rendering import report_charts, report_context

WEEKLY_REPORT = "weekly_report"
WEEKLY_REPORT_RESEND = "weekly_report_resend"


def weekly_report_message(notification: Notification) -> EmailMultiAlternatives:
    """The report this delivery carries, to its recipient."""
    report = notification.report_delivery.report
    with translation.override(notification_language(notification)):
        charts = report_charts(report)
        context = {
            **report_context(report, chart_src=lambda name: f"cid:{_content_id(name, notification)}"),
            "recipient": notification.recipient,
            "archive_url": absolute_url(reverse("reports:report_detail", args=[report.pk])),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "resent": notification.kind == WEEKLY_REPORT_RESEND,
        }
        subject = gettext("servicecraft weekly report %(week)s · %(scope)s") % {
            "week": context["week"],
            "scope": context["scope"],
        }
        message = notification_email(
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
