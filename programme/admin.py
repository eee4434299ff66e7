"""Admin views of the programme's records: read-mostly; the pages are where they are made."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from programme.models import (
    CharterEntry,
    CharterRevision,
    EffectivenessCheck,
    GoldenRulesReview,
    ManagementDecision,
    ProgrammeLead,
    Target,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the pages and the services only (they keep the history and the notes right)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CharterEntry)
class CharterEntryAdmin(ReadOnlyAdmin):
    list_display = ["text", "kind", "author", "created_at", "in_charter", "merged_into"]
    list_filter = ["kind", "in_charter"]
    search_fields = ["text"]


@admin.register(CharterRevision)
class CharterRevisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "published_by", "published_at"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["year", "figure", "direction", "value", "owner"]
    list_filter = ["year"]


@admin.register(ProgrammeLead)
class ProgrammeLeadAdmin(ReadOnlyAdmin):
    list_display = ["user", "started_on", "ended_on", "is_current"]


@admin.register(GoldenRulesReview)
class GoldenRulesReviewAdmin(ReadOnlyAdmin):
    list_display = ["year", "quarter", "department", "reviewer", "submitted_at"]
    list_filter = ["year", "quarter"]


@admin.register(EffectivenessCheck)
class EffectivenessCheckAdmin(ReadOnlyAdmin):
    list_display = ["action", "due_on", "status", "verdict", "outcome"]
    list_filter = ["status", "verdict", "outcome"]


@admin.register(ManagementDecision)
class ManagementDecisionAdmin(ReadOnlyAdmin):
    list_display = ["text", "year", "quarter", "decided_by", "action"]
