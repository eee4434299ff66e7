"""Admin for the organisation. People are deactivated, never deleted."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Department, Employee, Notification, NotificationSettings, Position, Report


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "customer_facing", "head"]
    search_fields = ["name"]
    autocomplete_fields = ["head"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "position", "hired_on", "left_on", "customer_facing"]
    list_filter = ["department", "customer_facing", "left_on"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "department", "position"]
    autocomplete_fields = ["user"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A person with history (complaints, acknowledgements, trainings) is kept:
        # set "left on" instead.
        return False


# --- Notifications and reports ----------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every email sent or failed; failed ones can be put back in line from here."""

    list_display = ["kind", "recipient", "period", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__username", "recipient__email", "key", "text"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(description=_("Send the selected failed emails again"))
    def resend(self, request, queryset) -> None:
        from .lib.notifications import EMAIL_KINDS, notification_requeue
        from .tasks import deliver_notification

        count = 0
        for notification in queryset.filter(kind__in=EMAIL_KINDS, status=Notification.Status.FAILED):
            if notification_requeue(notification=notification):
                transaction.on_commit(lambda pk=notification.pk: deliver_notification.delay(pk))
                count += 1
        self.message_user(request, _("%(count)d email(s) put back in line.") % {"count": count})

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "week_start", "department", "built_at"]
    list_filter = ["department"]
    readonly_fields = ["week_start", "department", "figures", "built_at"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "weekly_report", "report_scope"]
    autocomplete_fields = ["user"]
