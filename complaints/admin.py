"""Admin of the complaints app: the satisfaction surveys, the pulse survey's weeks and
invitations (read only: the draw and the customers write them), the company's survey switches.

A survey's email is a notification like every other email: a failed one is sent again
from *Notifications* (the same action as for staff emails).

The inbound mailbox's processed mails and quarantined mails are read only too: the intake
writes them (managers also see the quarantine on the public form's page).

Canned replies are written by managers on their own pages; here too, who saves one is
recorded as its last editor.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.conversation.models import CannedReply
from complaints.intake.models import ProcessedMail, QuarantinedMail
from complaints.survey.models import SatisfactionSurvey, SurveySettings
from complaints.survey.pulse.models import PulseInvitation, PulseWave


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(admin.ModelAdmin):
    list_display = ["complaint", "round", "email", "delivery", "answer", "answered_at"]
    list_filter = ["notification__status", "answer"]
    search_fields = ["email", "complaint__id"]
    raw_id_fields = ["complaint", "notification"]
    readonly_fields = ["answered_at", "commented_at"]
    list_select_related = ["notification"]
    date_hierarchy = "created_at"

    @admin.display(description=_("email"))
    def delivery(self, survey: SatisfactionSurvey) -> str:
        return survey.notification.get_status_display() if survey.notification_id else "—"


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ["enabled", "disabled_channels", "updated_by", "updated_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the weekly draw and by the customers' answers: looked at, never edited."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PulseWave)
class PulseWaveAdmin(ReadOnlyAdmin):
    list_display = [
        "week_start",
        "population",
        "skipped_no_email",
        "skipped_opted_out",
        "skipped_no_consent",
        "skipped_asked_recently",
        "eligible",
        "sampled",
        "seed",
    ]
    date_hierarchy = "week_start"


@admin.register(PulseInvitation)
class PulseInvitationAdmin(ReadOnlyAdmin):
    list_display = ["wave", "email", "segment", "language", "answered_at", "satisfaction", "problem", "told"]
    list_filter = ["problem", "told", "segment", "language"]
    search_fields = ["email", "customer__name", "customer__external_id"]
    list_select_related = ["wave"]
    date_hierarchy = "created_at"


@admin.register(QuarantinedMail)
class QuarantinedMailAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "reason", "sender", "subject", "size"]
    list_filter = ["reason"]
    search_fields = ["sender", "subject", "message_id"]
    date_hierarchy = "received_at"


@admin.register(ProcessedMail)
class ProcessedMailAdmin(ReadOnlyAdmin):
    list_display = ["processed_at", "key", "source", "outcome", "complaint"]
    list_filter = ["outcome", "source"]
    search_fields = ["key"]
    raw_id_fields = ["complaint"]
    date_hierarchy = "processed_at"


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "root_cause", "language", "is_active", "updated_by", "updated_at"]
    list_filter = ["is_active", "root_cause", "language"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_by", "updated_at"]
    list_select_related = ["updated_by"]

    def save_model(self, request, obj: CannedReply, form, change: bool) -> None:
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
