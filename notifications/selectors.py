"""Reads of the notifications: what the home page says about emails that failed."""

from __future__ import annotations

from django.utils.translation import gettext

from notifications.models import Notification
from people.home import HomePanel


def home_panels(user) -> list[HomePanel]:
    """For superusers: emails that failed after their last retry, with the way to resend them."""
    if not getattr(user, "is_superuser", False):
        return []
    failed = Notification.objects.filter(status=Notification.Status.FAILED, digest__isnull=True).count()
    if not failed:
        return []
    return [
        HomePanel(
            title=gettext("Emails that could not be sent"),
            template="notifications/snippets/panel_failed_emails.html",
            context={"failed": failed},
            priority=50,
        )
    ]
