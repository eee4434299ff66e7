"""The emails of a complaint's conversation, registered with the outbox (``ComplaintsConfig``).

Customer emails (the acknowledgement, replies) are in the language stored on the email
(the customer's), carry the signed reply address (:mod:`complaints.conversation.reply_address`)
as ``Reply-To`` and one subject per complaint, so that mail programs keep them in one
thread; each reply names the acknowledgement (and the messages since) in ``In-Reply-To``
and ``References``. The Message-ID of every email is its outbox row's
(:func:`notifications.emails.notification_message_id`): stable across attempts.
Staff emails (assigned to you; logged without a handler) are in the recipient's language.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from common.links import absolute_url
from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.conversation.reply_address import reply_address
from complaints.models import Complaint
from notifications.emails import notification_email, notification_language, notification_message_id
from notifications.models import Notification

ACKNOWLEDGEMENT_EMAIL = "complaint_acknowledgement"
REPLY_EMAIL = "complaint_reply"
ASSIGNED_EMAIL = "complaint_assigned"
UNASSIGNED_EMAIL = "complaint_unassigned"

# References lists at most this many earlier messages (the acknowledgement always first).
REFERENCES_MAX = 20


def thread_subject(complaint: Complaint) -> str:
    """The subject every email to the customer about ``complaint`` shares (in the active language)."""
    return gettext("Your complaint #%(number)s") % {"number": complaint.pk}


def _customer_email(
    notification: Notification, message: ComplaintMessage, subject: str, template: str, context: dict
) -> EmailMultiAlternatives:
    email = notification_email(
        notification,
        subject,
        render_to_string(f"emails/{template}.txt", context),
        render_to_string(f"emails/{template}.html", context),
    )
    email.reply_to = [reply_address(message.complaint_id)]
    return email


def _message_of(notification: Notification) -> ComplaintMessage:
    return ComplaintMessage.objects.select_related("complaint", "complaint__customer").get(
        notification=notification
    )


def acknowledgement_message(notification: Notification) -> EmailMultiAlternatives:
    """ "We have your complaint": its number, what happens next, the promised date when set."""
    message = _message_of(notification)
    complaint = message.complaint
    with translation.override(notification_language(notification)):
        context = {
            "customer_name": complaint.customer_display,
            "number": complaint.pk,
            "received_on": timezone.localdate(complaint.received_at),
            "promised_on": complaint.promised_on,
        }
        return _customer_email(
            notification, message, thread_subject(complaint), "complaint_acknowledgement", context
        )


def _thread_ids(message: ComplaintMessage) -> tuple[str, list[str]]:
    """(In-Reply-To, References) of a reply: the messages before it that mail programs know."""
    earlier = (
        ComplaintMessage.objects.filter(
            complaint_id=message.complaint_id,
            kind__in=[MessageKind.ACKNOWLEDGEMENT, MessageKind.REPLY, MessageKind.CUSTOMER],
        )
        .filter(at__lte=message.at)
        .exclude(pk=message.pk)
        .order_by("at", "id")
    )
    ids, answering = [], ""
    for previous in earlier:
        if previous.kind == MessageKind.CUSTOMER:
            if previous.message_id:
                ids.append(previous.message_id)
                answering = previous.message_id
        elif previous.notification_id:
            ids.append(notification_message_id(Notification(pk=previous.notification_id)))
    if len(ids) > REFERENCES_MAX:
        ids = [ids[0], *ids[-(REFERENCES_MAX - 1) :]]
    return (answering or (ids[0] if ids else "")), ids


def reply_message(notification: Notification) -> EmailMultiAlternatives:
    """A reply written on the complaint's page, quoting the customer's last message, threaded,
    with the files attached to it."""
    message = _message_of(notification)
    complaint = message.complaint
    quoted = (
        ComplaintMessage.objects.filter(complaint=complaint, kind=MessageKind.CUSTOMER, at__lte=message.at)
        .order_by("-at", "-id")
        .first()
    )
    with translation.override(notification_language(notification)):
        context = {
            "customer_name": complaint.customer_display,
            "number": complaint.pk,
            "body": message.body,
            "quoted": quoted,
            "quoted_lines": quoted.body.splitlines() if quoted else [],
        }
        email = _customer_email(
            notification, message, "Re: " + thread_subject(complaint), "complaint_reply", context
        )
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as stored:
            email.attach(attachment.name, stored.read(), attachment.content_type)
    in_reply_to, references = _thread_ids(message)
    if in_reply_to:
        email.extra_headers["In-Reply-To"] = in_reply_to
        email.extra_headers["References"] = " ".join(references)
    return email


def _staff_message(notification: Notification, *, assigned: bool) -> EmailMultiAlternatives:
    complaint_id = int(notification.key.split(":")[1])
    complaint = Complaint.objects.select_related("customer", "department").get(pk=complaint_id)
    with translation.override(notification_language(notification)):
        if assigned:
            subject = gettext("Complaint #%(number)s is assigned to you") % {"number": complaint.pk}
        else:
            subject = gettext("Complaint #%(number)s has no handler") % {"number": complaint.pk}
        context = {
            "assigned": assigned,
            "title": subject,
            "complaint": complaint,
            "received_on": timezone.localdate(complaint.received_at),
            "url": absolute_url(reverse("complaints:complaint_detail", args=[complaint.pk])),
        }
        return notification_email(
            notification,
            subject,
            render_to_string("emails/complaint_for_staff.txt", context),
            render_to_string("emails/complaint_for_staff.html", context),
        )


def assigned_message(notification: Notification) -> EmailMultiAlternatives:
    """To a handler: a complaint was given to them."""
    return _staff_message(notification, assigned=True)


def unassigned_message(notification: Notification) -> EmailMultiAlternatives:
    """To a department's managers: a complaint came in with nobody to handle it."""
    return _staff_message(notification, assigned=False)


BUILDERS = {
    ACKNOWLEDGEMENT_EMAIL: acknowledgement_message,
    REPLY_EMAIL: reply_message,
    ASSIGNED_EMAIL: assigned_message,
    UNASSIGNED_EMAIL: unassigned_message,
}
