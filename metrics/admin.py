"""Admin for customers, purchases, snapshots and the API tokens of BI tools."""

from django.contrib import admin

from .models import ApiToken, Customer, ImportJob, MetricsSnapshot, Purchase


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "segment", "first_seen", "churned_on"]
    list_filter = ["segment"]
    search_fields = ["external_id", "name", "email"]


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "customer", "date", "amount"]
    search_fields = ["external_id", "customer__external_id", "customer__name"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]
    date_hierarchy = "date"


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "original_name", "status", "rows_done", "error_count"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(MetricsSnapshot)
class MetricsSnapshotAdmin(admin.ModelAdmin):
    list_display = ["computed_at", "period_start", "period_end", "duration_seconds"]
    exclude = ["charts"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown once here after creation; revoke one by unticking "active"."""

    list_display = ["name", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["key", "created_at", "last_used_at"]
