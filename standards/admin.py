"""Admin for the standards library.

A published version is read-only here as in the services: its text is what people
signed. Nothing that carries history (standards, versions, acknowledgements) can be
deleted; standards are retired instead.
"""

from django.contrib import admin

from standards import rules, services
from standards.models import (
    Acknowledgement,
    AuditAction,
    AuditEvent,
    ComplianceCheck,
    KnowledgeCheckAttempt,
    Standard,
    StandardStep,
    StandardVersion,
    StepFlag,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Standard)
class StandardAdmin(NoDeleteAdmin):
    list_display = ["code", "title", "category", "status", "current_version", "next_review_due", "owner"]
    list_filter = ["status", "category"]
    search_fields = ["code", "title"]
    list_select_related = ["current_version", "owner"]
    # Status, current version and the review clock move only through publication and review.
    readonly_fields = ["status", "current_version", "last_reviewed_at", "next_review_due"]
    autocomplete_fields = ["owner", "review_delegate"]
    filter_horizontal = ["departments", "positions"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.audit_record(
            standard=obj,
            actor=request.user,
            action=AuditAction.UPDATED if change else AuditAction.CREATED,
            detail="admin: " + ", ".join(form.changed_data),
        )


class StepInline(admin.TabularInline):
    model = StandardStep
    extra = 0

    def _editable(self, obj) -> bool:
        return rules.version_is_editable(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(StandardVersion)
class StandardVersionAdmin(NoDeleteAdmin):
    list_display = ["__str__", "status", "kind", "published_at", "published_by"]
    list_filter = ["status", "kind"]
    search_fields = ["standard__code", "standard__title"]
    list_select_related = ["standard", "published_by"]
    inlines = [StepInline]
    readonly_fields = [
        "status",
        "major_number",
        "minor_number",
        "published_at",
        "published_by",
        "major_published_on",
        "content_hash",
        "checklist",
        "based_on",
        "created_by",
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.version_is_editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        # New versions start from the current one through the library ("Revise").
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Only drafts reach here (published versions are read-only): the trail still says who edited.
        services.audit_record(
            standard=obj.standard,
            actor=request.user,
            action=AuditAction.DRAFT_EDITED,
            version=obj,
            detail="admin: " + ", ".join(form.changed_data),
        )


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["printed_name", "version", "signed_at"]
    list_select_related = ["version__standard"]
    search_fields = ["printed_name", "version__standard__code"]


@admin.register(KnowledgeCheckAttempt)
class KnowledgeCheckAttemptAdmin(ReadOnlyAdmin):
    list_display = ["employee", "version", "score_percent", "passed", "created_at"]
    list_select_related = ["employee__user", "version__standard"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "standard", "action", "actor", "detail"]
    list_filter = ["action"]
    list_select_related = ["standard", "actor"]


@admin.register(StepFlag)
class StepFlagAdmin(NoDeleteAdmin):
    list_display = ["step", "note", "flagged_by", "created_at", "resolved_at"]
    list_select_related = ["step__version__standard", "flagged_by"]


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(ReadOnlyAdmin):
    list_display = ["standard", "employee", "observed_on", "steps_done", "steps_applicable"]
    list_select_related = ["standard", "employee__user"]
