"""Admin of the complaints app: the satisfaction surveys, for support (failed emails, a resend)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .survey_models import SatisfactionSurvey, SurveySettings


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(admin.ModelAdmin):
    list_display = ["complaint", "round", "email", "status", "attempts", "sent_at", "answer", "answered_at"]
    list_filter = ["status", "answer"]
    search_fields = ["email", "complaint__id"]
    raw_id_fields = ["complaint"]
    readonly_fields = ["claimed_at", "sent_at", "attempts", "last_error", "answered_at", "commented_at"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(description=_("Send the failed surveys again"))
    def send_again(self, request, queryset):
        from .survey_tasks import deliver_satisfaction_survey

        ids = list(queryset.filter(status=SatisfactionSurvey.Status.FAILED).values_list("pk", flat=True))
        SatisfactionSurvey.objects.filter(pk__in=ids).update(
            status=SatisfactionSurvey.Status.PENDING, attempts=0, last_error=""
        )
        for survey_id in ids:
            transaction.on_commit(lambda pk=survey_id: deliver_satisfaction_survey.delay(pk))
        messages.success(
            request, ngettext("%(n)d survey queued.", "%(n)d surveys queued.", len(ids)) % {"n": len(ids)}
        )


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ["enabled", "disabled_channels", "updated_by", "updated_at"]
