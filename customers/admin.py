"""Admin of customers, purchases and import jobs (imports run from the upload page or the commands)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from customers.models import Customer, EmailOptOut, ImportJob, OptOutSource, Purchase
from customers.services import customer_email_opt_out


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "segment", "email_consent", "first_seen", "churned_on"]
    list_filter = ["segment", "email_consent", "language"]
    search_fields = ["external_id", "name", "email"]
    readonly_fields = ["value", "p_alive", "figures_computed_at"]


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    """Who asked for no more survey emails. Staff may record one (a customer asked by phone),
    through the same service as the unsubscribe link, or delete one (the customer asked to be
    surveyed again)."""

    list_display = ["email", "customer", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["email", "customer__name", "customer__external_id"]
    fields = ["email", "customer", "source", "created_at"]
    readonly_fields = ["customer", "source", "created_at"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: EmailOptOut, form, change: bool) -> None:
        customer_email_opt_out(email=obj.email, source=OptOutSource.STAFF)
        obj.pk = EmailOptOut.objects.get(email=obj.email.strip().lower()).pk


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
