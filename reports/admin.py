"""Admin of the stored weekly reports (read only: a report never changes once built)."""

from __future__ import annotations

from django.contrib import admin

from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "week_start", "department", "built_at"]
    list_filter = ["department"]
    readonly_fields = ["week_start", "department", "figures", "built_at"]
