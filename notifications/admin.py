"""Admin of notifications: every email sent or failed, and people's preferences."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, NotificationSettings
from notifications.registry import email_kinds
from notifications.services import notification_requeue
from notifications.tasks import deliver_notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every email sent or failed; failed ones can be put back in line from here."""

    list_display = [
        "kind",
        "recipient",
        "period",
        "status",
        "attempts",
        "maybe_duplicate",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind", "maybe_duplicate"]
    search_fields = ["recipient__username", "recipient__email", "key", "text"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(description=_("Send the selected failed emails again"))
    def resend(self, request, queryset) -> None:
        count = 0
        for notification in queryset.filter(kind__in=email_kinds(), status=Notification.Status.FAILED):
            if notification_requeue(notification=notification):
                transaction.on_commit(lambda pk=notification.pk: deliver_notification.delay(pk))
                count += 1
        self.message_user(request, _("%(count)d email(s) put back in line.") % {"count": count})

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "weekly_report", "report_scope"]
    autocomplete_fields = ["user"]
