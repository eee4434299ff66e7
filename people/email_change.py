"""The link and the two emails of an email change on an account above Staff.

The link goes to the new address (only the account's owner, signed in, can use it):
a signed token of the request, which expires. The old address is told, so a change
the owner did not ask for does not go unnoticed. Both are sent at once, like Django's
password-reset email, because the person is waiting for them. The change itself is
in :mod:`people.services`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from common.links import absolute_url
from common.programme import programme_setting
from people.models import EmailChangeRequest
from people.selectors import language_of

logger = logging.getLogger(__name__)


def send_email_change_messages(change) -> None:
    """Send the confirmation link to the new address and the notice to the old one."""
    user = change.user
    with translation.override(language_of(user.pk)):
        context = {
            "user": user,
            "change": change,
            "requested_by": change.requested_by,
            "confirm_url": absolute_url(reverse("email_change_confirm", args=[email_change_token(change)])),
            "max_age_hours": programme_setting("EMAIL_CHANGE_LINK_MAX_AGE_HOURS"),
            "site_url": settings.SITE_URL,
        }
        messages = [
            _message(
                gettext("servicecraft: confirm your new email address"),
                "emails/email_change_confirm",
                context,
                change.new_email,
            )
        ]
        if change.old_email:
            messages.append(
                _message(
                    gettext("servicecraft: a new email address was entered for your account"),
                    "emails/email_change_notice",
                    context,
                    change.old_email,
                )
            )
    for message in messages:
        try:
            message.send()
        except Exception:
            # The request stays pending; the person can be asked to save the address again.
            logger.exception("Could not send the email-change message for account %s", user.pk)


def _message(subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


EMAIL_CHANGE_SALT = "servicecraft.email-change"


class EmailChangeLinkError(Exception):
    """A confirmation link that is expired, replaced by a newer one, already used or not for this account."""


def email_change_token(change: EmailChangeRequest) -> str:
    return signing.dumps({"change": change.pk, "email": change.new_email}, salt=EMAIL_CHANGE_SALT)


def email_change_from_token(token: str) -> EmailChangeRequest:
    """The pending request a confirmation link stands for, or :class:`EmailChangeLinkError`."""
    max_age = datetime.timedelta(hours=programme_setting("EMAIL_CHANGE_LINK_MAX_AGE_HOURS"))
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=max_age)
        change = EmailChangeRequest.objects.select_related("user").get(
            pk=payload["change"], new_email=payload["email"]
        )
    except (signing.BadSignature, EmailChangeRequest.DoesNotExist, KeyError, TypeError, ValueError):
        raise EmailChangeLinkError(_("This link is not valid or has expired.")) from None
    return change
