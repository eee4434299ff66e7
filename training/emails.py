"""The training emails, one function per type: the invitation (with the session's
``.ics`` attached) and the cancellation notice. Each is written in the
recipient's language. ``*_notification_message`` are the builders the
notification mechanism calls (``servicecraft.lib.emails.EMAIL_BUILDERS``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import ics
from .models import Enrolment


def _context(enrolment: Enrolment) -> dict:
    return {
        "enrolment": enrolment,
        "session": enrolment.session,
        "employee": enrolment.employee,
        "my_trainings_url": settings.SITE_URL.rstrip("/") + reverse("training:my_trainings"),
    }


def _message(enrolment: Enrolment, subject: str, template: str) -> EmailMultiAlternatives:
    context = _context(enrolment)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        to=[enrolment.employee.user.email],
        headers={"X-Servicecraft-Enrolment": str(enrolment.pk)},
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def invitation_message(enrolment: Enrolment) -> EmailMultiAlternatives:
    with translation.override(enrolment.employee.language):
        message = _message(
            enrolment,
            _("Invitation: %(course)s") % {"course": enrolment.session.course.title},
            "training_invitation",
        )
    message.attach("session.ics", ics.session_ics(enrolment.session, method="REQUEST"), "text/calendar")
    return message


def change_message(enrolment: Enrolment) -> EmailMultiAlternatives:
    with translation.override(enrolment.employee.language):
        message = _message(
            enrolment,
            _("Changed: %(course)s") % {"course": enrolment.session.course.title},
            "training_changed",
        )
    message.attach("session.ics", ics.session_ics(enrolment.session, method="REQUEST"), "text/calendar")
    return message


def cancellation_message(enrolment: Enrolment) -> EmailMultiAlternatives:
    with translation.override(enrolment.employee.language):
        message = _message(
            enrolment,
            _("Cancelled: %(course)s") % {"course": enrolment.session.course.title},
            "training_cancelled",
        )
    message.attach("session.ics", ics.session_ics(enrolment.session, method="CANCEL"), "text/calendar")
    return message


def _enrolment_of(notification) -> Enrolment:
    pk = int(notification.key.split(":", 1)[1])
    return Enrolment.objects.select_related(
        "session__course", "session__trainer__user", "employee__user"
    ).get(pk=pk)


def invitation_notification_message(notification) -> EmailMultiAlternatives:
    message = invitation_message(_enrolment_of(notification))
    message.extra_headers["X-Servicecraft-Notification"] = str(notification.pk)
    return message


def cancellation_notification_message(notification) -> EmailMultiAlternatives:
    message = cancellation_message(_enrolment_of(notification))
    message.extra_headers["X-Servicecraft-Notification"] = str(notification.pk)
    return message


def change_notification_message(notification) -> EmailMultiAlternatives:
    message = change_message(_enrolment_of(notification))
    message.extra_headers["X-Servicecraft-Notification"] = str(notification.pk)
    return message
