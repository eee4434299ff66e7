"""Admin of customers, purchases and import jobs (imports run from the upload page or the commands)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from customers.models import Customer, ImportJob, Purchase


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
    """Jobs come from the upload page only: here they are read (and may be deleted)."""

    list_display = ["created_at", "kind", "original_name", "status", "rows_done", "error_count"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
