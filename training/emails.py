"""The training emails, one function per type: the invitation, the change notice
and the cancellation notice, each with the session's ``.ics`` attached. Each is written in the
recipient's language, through one builder. ``*_notification_message`` are the builders
registered with the notifications (``TrainingConfig.ready``) under the kinds below."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.text import single_line
from training import ics
from training.models import Enrolment

INVITATION = "training_invitation"
CHANGE = "training_change"
CANCELLATION = "training_cancellation"


def _context(enrolment: Enrolment) -> dict:
    return {
        "enrolment": enrolment,
        "session": enrolment.session,
        "employee": enrolment.employee,
        "my_trainings_url": settings.SITE_URL.rstrip("/") + reverse("training:my_trainings"),
    }


def _session_message(
    enrolment: Enrolment, *, subject: Promise, template: str, ics_method: str
) -> EmailMultiAlternatives:
    """The email about ``enrolment``'s session in the recipient's language, with the
    session's ``.ics`` (``REQUEST`` adds or updates it in a calendar, ``CANCEL`` removes it)."""
    with translation.override(enrolment.employee.language):
        context = _context(enrolment)
        message = EmailMultiAlternatives(
            subject=single_line(subject % {"course": enrolment.session.course.title}),
            body=render_to_string(f"emails/{template}.txt", context),
            to=[enrolment.employee.user.email],
            headers={"X-Servicecraft-Enrolment": str(enrolment.pk)},
        )
        message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    message.attach("session.ics", ics.session_ics(enrolment.session, method=ics_method), "text/calendar")
    return message


def invitation_message(enrolment: Enrolment) -> EmailMultiAlternatives:
    return _session_message(
        enrolment,
        subject=_("Invitation: %(course)s"),
        template="training_invitation",
        ics_method="REQUEST",
    )


def change_message(enrolment: Enrolment) -> EmailMultiAlternatives:
    return _session_message(
        enrolment, subject=_("Changed: %(course)s"), template="training_changed", ics_method="REQUEST"
    )


def cancellation_message(enrolment: Enrolment) -> EmailMultiAlternatives:
    return _session_message(
        enrolment, subject=_("Cancelled: %(course)s"), template="training_cancelled", ics_method="CANCEL"
    )


def _notification_message(notification, build: Callable[[Enrolment], EmailMultiAlternatives]):
    """The email ``build`` writes for the enrolment named in ``notification.key``
    (``"<kind>:<enrolment pk>"``), marked with the notification's id."""
    pk = int(notification.key.split(":", 1)[1])
    enrolment = Enrolment.objects.select_related(
        "session__course", "session__trainer__user", "employee__user"
    ).get(pk=pk)
    message = build(enrolment)
    message.extra_headers["X-Servicecraft-Notification"] = str(notification.pk)
    return message


def invitation_notification_message(notification) -> EmailMultiAlternatives:
    return _notification_message(notification, invitation_message)


def change_notification_message(notification) -> EmailMultiAlternatives:
    return _notification_message(notification, change_message)


def cancellation_notification_message(notification) -> EmailMultiAlternatives:
    return _notification_message(notification, cancellation_message)
