"""Admin of the complaints app: the satisfaction surveys and the company's survey switches.

A survey's email is a notification like every other email: a failed one is sent again
from *Notifications* (the same action as for staff emails).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from complaints.survey.models import SatisfactionSurvey, SurveySettings


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
