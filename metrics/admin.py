"""Admin for customers, purchases, snapshots and the API tokens of BI tools."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metrics import services
from metrics.models import ApiToken, MetricsSnapshot


@admin.register(MetricsSnapshot)
class MetricsSnapshotAdmin(admin.ModelAdmin):
    """Snapshots are written by the recompute only: one typed by hand lacks figures the pages need."""

    list_display = ["computed_at", "period_start", "period_end", "duration_seconds"]
    exclude = ["charts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MetricsSnapshot | None = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only a hash of each key is stored: the key is shown once, in a message, when the token is added.

    Revoke a token by unticking "active" or with the "Revoke" action.
    """

    list_display = ["name", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    fields = ["name", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["created_at", "last_used_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key = services.api_token_issue(token=obj)
        messages.warning(
            request,
            format_html(
                '{} <code class="user-select-all">{}</code>',
                _("The key of the token “%(name)s” is shown only this once; copy it now:")
                % {"name": obj.name},
                key,
            ),
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset) -> None:
        count = services.api_tokens_revoke(token_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
